package kernel

import (
	"errors"
	"fmt"

	"toyvm/isa"
	"toyvm/kernel/vm"
	"toyvm/mmu"
)

// The debugger's views of the kernel and its few controlled changes. The
// debugger reads the kernel through exported fields and these accessors;
// it changes nothing but the trace categories and, on the user's
// explicit request, a word of a present user page (PokeWord).

// SetTrace chooses which event categories are traced on standard error
// from now on (the debugger's `trace` command).
func (k *Kernel) SetTrace(t TraceSet) {
	k.cfg.Trace = t
	k.watchWalks()
}

// BreakpointTraps returns how many BPT instructions have trapped with
// Config.Debugger set: the debugger stops when the count moves.
func (k *Kernel) BreakpointTraps() uint64 { return k.bpts }

// FatalFault is a fault that kills its process, held back for the
// debugger (Config.Debugger): the process stays alive, at the faulting
// instruction, for the user to look at; if it runs that instruction
// again and it faults the same way, the kernel kills it.
type FatalFault struct {
	FaultRecord
	Status int // the exit status the kill gives
}

// holdFatal holds back, once, the kill of p for its fault f at pc, when
// a debugger is attached: it reports whether it did. The same fault
// again (the user went on without changing anything) is not held.
func (k *Kernel) holdFatal(p *Process, f mmu.Fault, pc uint32, res Result) bool {
	if !k.cfg.Debugger {
		return false
	}
	if h := k.fatal; h != nil && h.PID == p.PID && h.PC == pc && h.Addr == f.Addr {
		k.fatal = nil
		return false
	}
	k.fatal = &FatalFault{FaultRecord: FaultRecord{Cycle: k.Clock.Now(), PID: p.PID, Cause: f.Cause,
		Access: f.Access, Addr: f.Addr, PC: pc, How: res.String()}, Status: res.kill.status}
	return true
}

// HeldFault returns the fatal fault held back for the debugger, nil if
// none is.
func (k *Kernel) HeldFault() *FatalFault { return k.fatal }

// ForgetHeldFault drops the fatal fault held back: the faulting
// instruction has since completed (the user changed what made it fault).
func (k *Kernel) ForgetHeldFault() { k.fatal = nil }

// LastSwap describes the last swap transfer started: "swap-out of data
// page 3 from frame 0x12 to slot 5"; "" before the first.
func (k *Kernel) LastSwap() string { return k.lastSwap.String() }

// swapNote records a swap transfer as it starts; it is put in words only
// when the debugger asks (LastSwap), so that paging pays for no text.
type swapNote struct {
	in    bool // a swap-in, for pid's fault at va; else a swap-out
	page  *vm.Page
	pid   int
	va    mmu.VAddr
	slot  vm.Slot
	frame uint32
}

// String describes the transfer, or returns "" for none.
func (n swapNote) String() string {
	switch {
	case n.page == nil:
		return ""
	case n.in:
		return fmt.Sprintf("swap-in of %s page %d (pid %d at %s) from slot %d into frame %#x",
			n.page.Home().Name, n.page.Index, n.pid, n.va, n.slot, n.frame)
	}
	return fmt.Sprintf("swap-out of %s page %d from frame %#x to slot %d", n.page.Home().Name, n.page.Index, n.frame, n.slot)
}

// LastSyscallName returns the name of the last system call ("write"), ""
// before the first or for a number the kernel does not serve.
func (k *Kernel) LastSyscallName() string {
	if c := k.lastCall; c.p != nil && c.nr < maxSyscall && syscalls[c.nr] != nil {
		return syscalls[c.nr].name
	}
	return ""
}

// TraceCategories returns the event categories traced now.
func (k *Kernel) TraceCategories() TraceSet { return k.cfg.Trace }

// Config returns the configuration the kernel was built with (its trace
// categories as they are now).
func (k *Kernel) Config() Config { return k.cfg }

// ExitStatus returns the exit status of the first process and true once
// the machine is done (Done), or 0 and false while it runs.
func (k *Kernel) ExitStatus() (int, bool) {
	if !k.Done() {
		return 0, false
	}
	return k.status(), true
}

// PokeWord's errors.
var (
	ErrNotPresent = errors.New("page not present")
	ErrReadOnly   = errors.New("no writable region holds it")
	ErrShared     = errors.New("its page is shared copy-on-write with another process (the program's own write copies it)")
)

// PokeWord writes the word v at va in process p's memory, as the debugger's
// `set ADDR = VALUE` does, without faulting anything in: every page the
// word touches must be present, in a writable region and not shared
// copy-on-write, else it returns ErrNotPresent, ErrReadOnly or ErrShared
// and writes nothing. Each page written is marked dirty so that the change survives
// eviction, and its TLB entry is dropped so the hardware sees the new D bit.
func (k *Kernel) PokeWord(p *Process, va mmu.VAddr, v uint32) error {
	for i := mmu.VAddr(0); i < 4; i++ {
		if r := p.Space.Region(va + i); r == nil || r.Prot&vm.ProtWrite == 0 {
			return ErrReadOnly
		}
		if w := p.Space.PT.Lookup(va + i); !w.PTE.Has(mmu.V | mmu.P) {
			return ErrNotPresent
		}
		if r := p.Space.Region(va + i); k.copyOnWrite(r, r.Object.Lookup(r.Index(va+i))) {
			return ErrShared
		}
	}
	for i := mmu.VAddr(0); i < 4; i++ {
		w := p.Space.PT.Lookup(va + i)
		k.Phys.Write8(w.PAddr(), byte(v>>(8*i)))
		k.Phys.WritePTE(w.PTEAddr, w.PTE.With(mmu.D))
		k.invalidate(p.Space, mmu.VAddr(isa.PageDown(uint32(va+i))))
	}
	return nil
}

// SyscallNames returns the names of the system calls the kernel serves,
// in the order of their numbers.
func SyscallNames() []string {
	var names []string
	for _, e := range syscalls {
		if e != nil {
			names = append(names, e.name)
		}
	}
	return names
}
