// Package cpu is toyvm's processor: the registers, the psw, the
// fetch-decode-execute cycle of SPEC.md section 2, traps and interrupts
// (section 4) and the hardware's help with instruction backup (section 5).
//
// Files:
//
//   - cpu.go: CPU, New, Run, Step, the cost model's constants.
//   - psw.go: PSW, the flags and the mode.
//   - fetch.go: instruction bytes, fetched through the MMU as decoding
//     goes, with a one-page prefetch buffer.
//   - memory.go: data reads and writes, including words that cross a page
//     (both pages are translated before any byte is written).
//   - operand.go: operand evaluation (specifier, extension, register side
//     effect, address, value) and the destination's write.
//   - exec.go: the instructions, dispatched on isa.Opcode; the operand
//     roles, sizes, stack and flag effects come from the isa table.
//   - alu.go: results and flags.
//   - movc.go: MOVC, byte by byte, interruptible.
//   - trap.go: Level, FaultCause, LogEntry, Handler; trap entry and return.
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
// # Speed
//
// Step allocates nothing and goes through no interface on the path of an
// instruction: the page of the last instruction fetch stays in a prefetch
// buffer (fetch.go says when it is dropped, so that a fetch faults exactly
// when it would through the TLB; only the TLB's hit counter misses the
// buffered fetches), register and immediate operands are evaluated inline,
// operands and the log live in fixed arrays, and dispatch is a switch on
// isa.Opcode. BenchmarkRegisterLoop and BenchmarkMemoryLoop measure it.
package cpu
