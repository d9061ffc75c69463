package isa

import "fmt"

// Mode is an addressing mode: the high nibble of an operand specifier.
type Mode uint8

const (
	ModeReg             Mode = 0 // rN: the register itself
	ModeDeferred        Mode = 1 // (rN): address = rN
	ModeAutoInc         Mode = 2 // (rN)+: address = rN, then rN += size
	ModeAutoDec         Mode = 3 // -(rN): rN -= size, then address = rN
	ModeAutoIncDeferred Mode = 4 // @(rN)+: p = rN, rN += 4, address = word at p
	ModeDisp            Mode = 5 // d(rN): address = rN + d
	ModeImm             Mode = 6 // #v: the value v
	ModeAbs             Mode = 7 // @a or label: address = a
)

var modeNames = [...]string{"reg", "deferred", "autoinc", "autodec",
	"autoinc-deferred", "displacement", "immediate", "absolute"}

func (m Mode) String() string {
	if m <= ModeAbs {
		return modeNames[m]
	}
	return fmt.Sprintf("mode(%d)", uint8(m))
}

// HasExt reports whether an operand in mode m is followed by a 32-bit
// extension word.
func (m Mode) HasExt() bool { return m >= ModeDisp && m <= ModeAbs }

// IsMemory reports whether mode m names a memory location (not a register
// and not an immediate).
func (m Mode) IsMemory() bool { return m != ModeReg && m != ModeImm }

// Reg is a general register number, 0 to 15.
type Reg uint8

const (
	// FP is the frame pointer, another name for r14.
	FP Reg = 14
	// SP is the stack pointer, another name for r15.
	SP Reg = 15
	// NumRegs is the number of general registers.
	NumRegs = 16
)

// String returns "r0".."r13", "fp" or "sp".
func (r Reg) String() string {
	switch r {
	case SP:
		return "sp"
	case FP:
		return "fp"
	}
	return fmt.Sprintf("r%d", uint8(r))
}

// Operand is one decoded general operand.
type Operand struct {
	Mode Mode
	Reg  Reg
	Ext  uint32 // the extension word of modes 5, 6 and 7
}

// Spec returns the operand's specifier byte, mode in the high nibble.
func (o Operand) Spec() byte { return byte(o.Mode)<<4 | byte(o.Reg&15) }

// Len returns the operand's length in bytes: 1, or 5 with an extension.
func (o Operand) Len() uint32 {
	if o.Mode.HasExt() {
		return 5
	}
	return 1
}

// SpecOperand splits a specifier byte into an operand (without its
// extension word).
func SpecOperand(spec byte) Operand {
	return Operand{Mode: Mode(spec >> 4), Reg: Reg(spec & 15)}
}

// SideEffect returns the register an operand steps and by how much, for
// an instruction whose step size is size; ok is false for modes that
// change no register.
func (o Operand) SideEffect(size uint32) (r Reg, delta int32, ok bool) {
	switch o.Mode {
	case ModeAutoInc:
		return o.Reg, int32(size), true
	case ModeAutoDec:
		return o.Reg, -int32(size), true
	case ModeAutoIncDeferred:
		return o.Reg, 4, true
	}
	return 0, 0, false
}
