package cputest

import (
	"fmt"

	"toyvm/isa"
)

// Operand constructors, in assembler terms.

// R is the register operand rN.
func R(r isa.Reg) isa.Operand { return isa.Operand{Mode: isa.ModeReg, Reg: r} }

// Def is (rN).
func Def(r isa.Reg) isa.Operand { return isa.Operand{Mode: isa.ModeDeferred, Reg: r} }

// Inc is (rN)+.
func Inc(r isa.Reg) isa.Operand { return isa.Operand{Mode: isa.ModeAutoInc, Reg: r} }

// Dec is -(rN).
func Dec(r isa.Reg) isa.Operand { return isa.Operand{Mode: isa.ModeAutoDec, Reg: r} }

// IncDef is @(rN)+.
func IncDef(r isa.Reg) isa.Operand {
	return isa.Operand{Mode: isa.ModeAutoIncDeferred, Reg: r}
}

// Disp is d(rN).
func Disp(d int32, r isa.Reg) isa.Operand {
	return isa.Operand{Mode: isa.ModeDisp, Reg: r, Ext: uint32(d)}
}

// Imm is #v.
func Imm(v uint32) isa.Operand { return isa.Operand{Mode: isa.ModeImm, Ext: v} }

// Abs is @a.
func Abs(a uint32) isa.Operand { return isa.Operand{Mode: isa.ModeAbs, Ext: a} }

// I encodes one instruction; it panics if the operands do not fit the
// table (a bug in the test).
func I(code isa.Opcode, args ...isa.Operand) []byte {
	in := isa.Inst{Op: isa.Lookup(code)}
	if in.Op == nil || len(args) != in.NArgs() {
		panic(fmt.Sprintf("cputest.I: %v takes %d operands", code, in.NArgs()))
	}
	copy(in.Args[:], args)
	b, err := isa.Encode(nil, &in)
	if err != nil {
		panic("cputest.I: " + err.Error())
	}
	return b
}

// B encodes a branch with displacement d from the next instruction.
func B(code isa.Opcode, d int16) []byte {
	in := isa.Inst{Op: isa.Lookup(code), Disp: d}
	b, err := isa.Encode(nil, &in)
	if err != nil {
		panic("cputest.B: " + err.Error())
	}
	return b
}

// Prog concatenates instructions.
func Prog(insts ...[]byte) []byte {
	var out []byte
	for _, in := range insts {
		out = append(out, in...)
	}
	return out
}
