package kernel

import (
	"fmt"

	"toyvm/isa"
	"toyvm/mmu"
)

// An instruction can need up to 14 pages at once (docs/isa.md): its own
// bytes across two pages, and each operand's pointer and data across two.
// A process restarts it after each page fault, and it completes only when
// every page it touches is present together. In a memory too small for
// that (a 64K machine whose page tables leave fewer free frames), or
// while other processes keep taking its frames, each fault evicts a page
// the instruction needs again: it never completes, and the machine runs
// on for ever without retiring an instruction, which --max-steps cannot
// stop.
//
// The kernel watches for that: a process whose fault comes at the same
// pc, with the same registers, and no instruction retired by anyone since
// its last fault, has made no progress. A MOVC that faults on each page
// of a long copy changes its registers between faults, so it does not
// count as stalled. After MaxStallFaults such faults in a row the process
// is killed for lack of memory (137), as an out-of-memory killer would.

// MaxStallFaults is how many faults in a row with no progress kill a
// process. It is far above what one instruction needs on a machine that
// can hold its pages (14 and the page tables), even under contention.
const MaxStallFaults = 256

// stall is a process's count of faults without progress.
type stall struct {
	pc      uint32
	r       [isa.NumRegs]uint32
	retired uint64 // the CPU's Instructions at the last fault
	faults  int
}

// stalled counts the fault f of p and returns the kill when p has made
// no progress for MaxStallFaults faults, else nil.
func (k *Kernel) stalled(p *Process, f mmu.Fault) *kill {
	s := &p.stall
	if s.pc != p.Ctx.PC || s.r != p.Ctx.R || s.retired != k.CPU.Instructions {
		*s = stall{pc: p.Ctx.PC, r: p.Ctx.R, retired: k.CPU.Instructions}
	}
	s.faults++
	if s.faults < MaxStallFaults {
		return nil
	}
	return &kill{StatusNoMemory, fmt.Sprintf("out of memory: one instruction's pages do not fit together"+
		" (%d faults without progress)", s.faults), f.Addr, nil}
}
