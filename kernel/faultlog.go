package kernel

import (
	"fmt"

	"toyvm/isa"
	"toyvm/mmu"
)

// FaultRecord is one memory fault the kernel took for a process, and how
// it was served: the debugger's `info faults` lists the recent ones.
type FaultRecord struct {
	Cycle  uint64
	PID    int
	Cause  isa.Cause
	Access isa.Access
	Addr   mmu.VAddr
	PC     uint32 // the faulting instruction
	How    string // zero-fill, reclaim, image read, swap-in, wait (in transit), ...
}

func (r FaultRecord) String() string {
	return fmt.Sprintf("cycle %d: pid %d %s %s at %s, pc 0x%08x: %s",
		r.Cycle, r.PID, r.Cause, r.Access, r.Addr, r.PC, r.How)
}

// faultLogSize is how many recent faults the kernel remembers.
const faultLogSize = 64

// faultLog is a ring of the most recent fault records.
type faultLog struct {
	recs [faultLogSize]FaultRecord
	n    int // records ever added
}

func (l *faultLog) add(r FaultRecord) {
	l.recs[l.n%faultLogSize] = r
	l.n++
}

// RecentFaults returns the most recent faults, oldest first.
func (k *Kernel) RecentFaults() []FaultRecord {
	l := &k.faultLog
	first := max(0, l.n-faultLogSize)
	out := make([]FaultRecord, 0, l.n-first)
	for i := first; i < l.n; i++ {
		out = append(out, l.recs[i%faultLogSize])
	}
	return out
}
