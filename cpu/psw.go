package cpu

import "strings"

// PSW is the processor status word: the condition flags N, Z, C, V and
// the mode (user or supervisor).
type PSW uint32

// The bits of the PSW.
const (
	FlagC    PSW = 1 << 0 // carry out of an add, borrow of a subtract
	FlagV    PSW = 1 << 1 // signed overflow
	FlagZ    PSW = 1 << 2 // zero result
	FlagN    PSW = 1 << 3 // negative result (the sign bit of its size)
	UserMode PSW = 1 << 8 // set in user mode, clear in supervisor mode

	// Flags is every condition flag.
	Flags = FlagN | FlagZ | FlagC | FlagV
)

// N reports whether the negative flag is set.
func (p PSW) N() bool { return p&FlagN != 0 }

// Z reports whether the zero flag is set.
func (p PSW) Z() bool { return p&FlagZ != 0 }

// C reports whether the carry flag is set.
func (p PSW) C() bool { return p&FlagC != 0 }

// V reports whether the overflow flag is set.
func (p PSW) V() bool { return p&FlagV != 0 }

// User reports whether the CPU is in user mode.
func (p PSW) User() bool { return p&UserMode != 0 }

// String returns the flags as letters, "-" when clear, then the mode:
// e.g. "N-C- user" or "-Z-- supervisor".
func (p PSW) String() string {
	var sb strings.Builder
	for _, f := range [...]struct {
		bit  PSW
		name byte
	}{{FlagN, 'N'}, {FlagZ, 'Z'}, {FlagC, 'C'}, {FlagV, 'V'}} {
		if p&f.bit != 0 {
			sb.WriteByte(f.name)
		} else {
			sb.WriteByte('-')
		}
	}
	if p.User() {
		sb.WriteString(" user")
	} else {
		sb.WriteString(" supervisor")
	}
	return sb.String()
}

// WithUser returns the PSW with the mode set to user (true) or supervisor.
func (p PSW) WithUser(user bool) PSW {
	if user {
		return p | UserMode
	}
	return p &^ UserMode
}
