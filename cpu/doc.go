// Package cpu is toyvm's processor: the registers, the psw, the
// fetch-decode-execute cycle of docs/isa.md sections 2 to 5, traps and interrupts
// (section 4) and the hardware's help with instruction backup (section 5).
//
// Files:
//
//   - cpu.go: CPU, New, Run, Step, the cost model's constants.
//   - psw.go: PSW, the flags and the mode.
//   - clock.go: the cycle count, and the dev.Clock brought up to date
//     with it lazily; the one-comparison check for a due interrupt.
//   - buffer.go: the CPU's copies of translations (the prefetch buffer,
//     the last read and write pages), why they are invisible, and how
//     their TLB hits are counted.
//   - fetch.go: instruction bytes, fetched through the MMU as decoding
//     goes, one fetch access at a time.
//   - memory.go: data reads and writes, including words that cross a page
//     (both pages are translated before any byte is written).
//   - operand.go: operand evaluation (specifier, extension, register side
//     effect, address, value) and the destination's write.
//   - optable.go: opInfo, the facts about each opcode that execute needs,
//     computed from the isa table at init.
//   - exec.go: the instructions, dispatched on the opcode's class; the
//     operand roles, sizes, stack and flag effects come from opTable.
//   - decoded.go: the cache of decoded instructions the fast paths run
//     from, each entry checked against the bytes in memory at every use.
//   - fast.go: runFast, and the fast handlers of two-operand register and
//     immediate instructions and of branches.
//   - fastmem.go: the fast handler of general instructions whose data
//     accesses all hit the CPU's copies of translations.
//   - fastops.go: shorter fast handlers of their own for the commonest of
//     them: PUSH, POP, MOV and MOVB, and d = d op s with d in memory.
//   - alu.go: results and flags.
//   - movc.go: MOVC, byte by byte, interruptible.
//   - trap.go: Level, FaultCause, LogEntry, Handler; trap entry and return.
//   - debugstops.go: a debugger's breakpoints, watched words and holds,
//     which make Run return early, at no cost without a debugger.
//   - cputest/: a small machine (memory, page tables, a recording kernel)
//     for the tests of this package and of the kernel's backup.
//
// # Order of evaluation
//
// An instruction fetches its opcode byte, then evaluates each operand in
// order: specifier and extension fetched, register side effect (modes 2, 3
// and 4) applied and logged, then a source's value or a read-modify-write
// destination's old value read. The implicit stack operand of POP and RET
// (sp += 4, then the read at the old sp) comes before a destination; that
// of PUSH and CALL (sp -= 4, then the write) is the write itself. Then the
// result is computed; then the destination is translated for writing and
// written; then the flags are set. A write fault is therefore the last
// thing an instruction can take, and an instruction that faults changes no
// memory and no flags (MOVC aside: its bytes are copied one by one).
//
// # Traps
//
// A trap sets the control registers (Cause, FaultPC, FaultAddr, SavedPC,
// SavedPSW and the backup log), clears the user bit of the PSW and calls
// Handler.Trap. When Trap returns, the CPU returns from the trap: PC =
// SavedPC and PSW = SavedPSW. A kernel therefore handles a fault by
// fixing its cause (mapping the page), backing the instruction up for the
// help level (kernel.Backup: SavedPC = FaultPC) and returning; it switches
// processes by saving R, SavedPC and SavedPSW and loading another's; it
// kills a process by loading another or calling Stop.
//
//   - Faults (INVALID, PROTECTION, NOT_PRESENT, TLB_MISS) and the traps an
//     instruction raises part way (ILLEGAL, PRIVILEGED, DIVIDE): FaultPC is
//     the instruction's start; FaultAddr the faulting virtual address (0
//     for ILLEGAL, PRIVILEGED and DIVIDE); registers and SavedPC as the
//     help level says, below.
//   - SYS and BPT trap after the instruction completes: SavedPC is the next
//     instruction, FaultPC the SYS or BPT.
//   - Interrupts (TIMER, DISK: a dev.Clock event that is due) are taken
//     between instructions and between two bytes of a MOVC, in either mode:
//     SavedPC = FaultPC = where the program resumes (the MOVC's start, with
//     its registers where the copy reached). CPU.Interrupt holds the event.
//   - HALT in supervisor mode stops the machine: Run returns and Halted
//     reports true. In user mode it traps PRIVILEGED.
//
// # Help levels
//
//   - Precise: the CPU undoes the side effects itself. SavedPC = FaultPC =
//     the instruction's start; the kernel restarts by returning.
//   - Log: the side effects stay applied; SavedPC is where fetching stopped
//     (the address after the last instruction byte fetched); BackupLog
//     lists (register, delta) for each side effect in order.
//   - Decode: as Log, with an empty log: the kernel decodes the bytes from
//     FaultPC to SavedPC.
//
// An operand's side effect has been applied iff its whole specifier and
// extension lie before SavedPC. The implicit stack operand has no bytes:
// that of POP and RET is applied whenever the opcode was fetched; that of
// PUSH and CALL only when the fault is their final write. If the opcode
// fetch itself faults, SavedPC = FaultPC. MOVC never logs: its progress
// is architectural; under Log and Decode its SavedPC after a data fault is
// the address after its four bytes.
//
// # Cost model
//
// Every instruction costs InstCycles (1), whether it completes or traps;
// MOVC costs ByteCycles (1) more per byte copied; every hardware page-table
// walk the MMU makes costs WalkCycles (10). Taking a trap or an interrupt
// costs nothing. The CPU advances Cycles and the dev.Clock together.
//
// # TLB counters
//
// Every instruction fetch access (the opcode byte, each specifier byte,
// each extension word, each branch displacement) and every data access
// is one TLB lookup per page it touches (two for a word or a
// displacement that crosses a page), counted once in the MMU's Stats as a
// hit or a miss. The count does not depend on the CPU's copies of
// translations (buffer.go): a lookup they serve is a hit that the CPU
// adds with mmu.MMU.CountHits before every trap handler runs and before
// Run or Step returns. TestTLBCountsDoNotDependOnTheCPUsCopiesOfTranslations
// runs a program with the copies on and off and compares.
//
// # Speed
//
// Step allocates nothing and goes through no interface on the path of an
// instruction. The tricks, each invisible to the architecture:
//
//   - The CPU keeps copies of the translations of the last fetch page and
//     of recent read and write pages (one per group of dataWays pages),
//     checked against the MMU's Generation after every translation and
//     dropped on every trap (buffer.go).
//   - Per-opcode facts are read from opTable, built from the isa table at
//     init, not from the isa.Op slices.
//   - runFast, called from Run's loop, runs instructions on the fast
//     paths one after another, as many as can run before the next
//     interrupt falls due or Run's max is reached, with the pc, the count
//     of instructions and the TLB hits in local variables; PC,
//     Instructions, Cycles and the hits are written once when it stops
//     (at an instruction the fast paths cannot run, which the general
//     path then runs). Each fast instruction costs exactly InstCycles and
//     can neither trap nor walk, so nothing else could have read them in
//     between.
//   - runFast takes each instruction whose 16 bytes are in the prefetch
//     buffer from a direct-mapped cache of decoded instructions
//     (decoded.go): 256 entries of 64 bytes in the CPU, found by the
//     instruction's offset in its page, each holding the instruction's
//     shape (the fast handler that runs it), its operands' modes,
//     registers and extension words, its length and its TLB lookups on a
//     fast path, and a copy of the facts about its opcode the fast
//     handlers need (fastFacts), so that they read no global table. An
//     entry is used only if the bytes now in memory are the bytes it was
//     decoded from (two 8-byte loads and compares), so it
//     needs no invalidation: code that writes over its own instructions,
//     a DMA or the kernel loading a program simply fail the comparison,
//     and the instruction is decoded again.
//     TestSelfModifyingCodeRunsTheNewInstruction proves it. An instruction
//     no fast handler runs (its opcode, or a mode its role forbids: an
//     ILLEGAL trap) goes to the general path.
//   - runFast calls the handler of the entry's shape, with one call.
//     fastRegister (fast.go) runs a two-operand register or immediate
//     instruction in one function, and fastBranch a branch (inlined):
//     neither can fault (a division by zero falls back to the general
//     path, which fetches the instruction again). A branch's condition is
//     one look at a 16-bit mask of the flag combinations it is taken on,
//     computed at init from takenOn.
//   - fastMemory (fastmem.go) runs a general instruction of at most two
//     operands, and no stack operand, whose data accesses all fall in
//     the read and write copies: none of its accesses can fault or change
//     the TLB, so it runs in the general path's order, and at the first
//     doubt (an access outside the copies, a division by zero) puts back
//     the registers it stepped (saved before it ran, in local variables)
//     and leaves the instruction to the general path. Its TLB lookups,
//     one per fetch access and one per data access, are known from its
//     decoding. A move (or TST) makes no call to alu: its result is its
//     operand. Memory and the flags change only once nothing can fail.
//   - The commonest memory instructions have handlers of their own
//     (fastops.go), chosen when the instruction is decoded: PUSH, POP,
//     MOV and MOVB, and an operation whose source is a register or an
//     immediate and whose destination is in memory (ADD #1, count). Each
//     does only what its shape needs (a PUSH no ALU, a POP into a
//     register no undo), and otherwise works as fastMemory does. They
//     took BenchmarkMemoryLoop from 10.6 to about 8.2 ns an instruction.
//   - Every instruction that completes, on any path, leaves the backup
//     log empty (retire empties it): BackupLog describes a fault only.
//   - The fast paths charge no walks: they never translate.
//   - The general path evaluates an operand whose bytes are in the
//     prefetch buffer in one function (evaluateBuffered), and fetches it
//     byte by byte through the MMU otherwise (after a walk in the middle
//     of the instruction, say).
//   - The clock is advanced only when someone else could read it, and a
//     due interrupt is one comparison of Cycles (clock.go).
//
// BenchmarkRegisterLoop and BenchmarkMemoryLoop measure it.
package cpu
