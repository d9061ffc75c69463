package isa

import "fmt"

// Cause names a trap, as the fault_cause control register reports it.
type Cause uint8

const (
	CauseNone  Cause = iota // no trap
	Invalid                 // the page is not a legal mapping (V clear, or no page table)
	Protection              // the access is not allowed by the U or W bits
	NotPresent              // the mapping is legal but the page is not in memory (P clear)
	TLBMiss                 // software-refilled TLB: no entry for the page
	Illegal                 // an unknown opcode, a bad mode, or a mode the operand may not use
	Privileged              // a privileged instruction in user mode
	Divide                  // division or modulo by zero
	Syscall                 // the SYS instruction
	Breakpoint              // the BPT instruction
	Timer                   // the timer interrupt
	Disk                    // a disk completion interrupt
)

var causeNames = [...]string{"NONE", "INVALID", "PROTECTION", "NOT_PRESENT",
	"TLB_MISS", "ILLEGAL", "PRIVILEGED", "DIVIDE", "SYSCALL", "BREAKPOINT",
	"TIMER", "DISK"}

// String returns the cause's name as docs/isa.md spells it, e.g. "NOT_PRESENT".
func (c Cause) String() string {
	if int(c) < len(causeNames) {
		return causeNames[c]
	}
	return fmt.Sprintf("CAUSE(%d)", uint8(c))
}

// IsMemory reports whether c is a memory fault, which carries an address,
// an access and a mode.
func (c Cause) IsMemory() bool {
	return c == Invalid || c == Protection || c == NotPresent || c == TLBMiss
}

// IsInterrupt reports whether c is an interrupt, taken between
// instructions rather than caused by one.
func (c Cause) IsInterrupt() bool { return c == Timer || c == Disk }

// Access is the kind of memory access that faulted.
type Access uint8

const (
	Read  Access = iota // a data read
	Write               // a data write
	Fetch               // an instruction fetch
)

var accessNames = [...]string{"read", "write", "fetch"}

func (a Access) String() string {
	if int(a) < len(accessNames) {
		return accessNames[a]
	}
	return fmt.Sprintf("access(%d)", uint8(a))
}
