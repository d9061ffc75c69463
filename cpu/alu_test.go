package cpu_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"toyvm/cpu"
	. "toyvm/cpu/cputest"
	"toyvm/isa"
)

const (
	N = cpu.FlagN
	Z = cpu.FlagZ
	C = cpu.FlagC
	V = cpu.FlagV
)

// aluCase runs one instruction on registers: r1 = a and r2 = b before;
// two-operand forms are "op r1, r2" (d = r2), three-operand forms
// "op r1, r2, r3" (d = r3), one-operand forms "op r2". want is d after
// (b for CMP, CMPB and TST), flags the flags after.
type aluCase struct {
	name  string
	op    isa.Opcode
	a, b  uint32
	want  uint32
	flags cpu.PSW
}

var aluCases = []aluCase{
	{"mov copies and sets N", isa.MOV, 0x80000000, 7, 0x80000000, N},
	{"mov of zero sets Z", isa.MOV, 0, 7, 0, Z},
	{"movb zero-extends into a register, N from bit 7", isa.MOVB, 0x1FF, 0xFFFFFFFF, 0xFF, N},
	{"movb of a low byte zero sets Z", isa.MOVB, 0x100, 5, 0, Z},
	{"add carries out of bit 31", isa.ADD, 1, 0xFFFFFFFF, 0, Z | C},
	{"add overflows into the sign", isa.ADD, 1, 0x7FFFFFFF, 0x80000000, N | V},
	{"add of two negatives overflows and carries", isa.ADD, 0x80000000, 0x80000000, 0, Z | C | V},
	{"sub borrows when d < s unsigned", isa.SUB, 1, 0, 0xFFFFFFFF, N | C},
	{"sub overflows below the most negative", isa.SUB, 1, 0x80000000, 0x7FFFFFFF, V},
	{"sub of equal values is zero", isa.SUB, 5, 5, 0, Z},
	{"sub of minus one from max overflows", isa.SUB, 0xFFFFFFFF, 0x7FFFFFFF, 0x80000000, N | C | V},
	{"mul keeps the low 32 bits", isa.MUL, 0x10000, 0x10000, 0, Z},
	{"mul of signed values", isa.MUL, 0xFFFFFFFD, 4, 0xFFFFFFF4, N},
	{"div truncates", isa.DIV, 2, 7, 3, 0},
	{"div truncates toward zero", isa.DIV, 2, 0xFFFFFFF9, 0xFFFFFFFD, N},
	{"div of the most negative by -1 overflows", isa.DIV, 0xFFFFFFFF, 0x80000000, 0x80000000, N | V},
	{"mod has the sign of the dividend", isa.MOD, 2, 0xFFFFFFF9, 0xFFFFFFFF, N},
	{"mod with a negative divisor is positive", isa.MOD, 0xFFFFFFFE, 7, 1, 0},
	{"mod of the most negative by -1 is zero", isa.MOD, 0xFFFFFFFF, 0x80000000, 0, Z},
	{"and", isa.AND, 0xF0F0F0F0, 0xFF00FF00, 0xF000F000, N},
	{"or", isa.OR, 0x0F, 0xF0, 0xFF, 0},
	{"xor of equal values is zero", isa.XOR, 0x1234, 0x1234, 0, Z},
	{"shl by 31", isa.SHL, 31, 1, 0x80000000, N},
	{"shl by 32 shifts by 0", isa.SHL, 32, 1, 1, 0},
	{"shl by 33 shifts by 1", isa.SHL, 33, 1, 2, 0},
	{"shl out of the word clears C", isa.SHL, 1, 0x80000000, 0, Z},
	{"shr is logical", isa.SHR, 31, 0x80000000, 1, 0},
	{"shr by 32 shifts by 0", isa.SHR, 32, 0x80000000, 0x80000000, N},
	{"sar keeps the sign", isa.SAR, 4, 0x80000000, 0xF8000000, N},
	{"sar by 36 shifts by 4", isa.SAR, 36, 0x80000000, 0xF8000000, N},
	{"sar by 255 shifts by 31", isa.SAR, 255, 0x80000000, 0xFFFFFFFF, N},
	{"cmp of a smaller value borrows", isa.CMP, 1, 2, 2, N | C},
	{"cmp overflows", isa.CMP, 0x80000000, 1, 1, V},
	{"cmp of equal values sets Z", isa.CMP, 9, 9, 9, Z},
	{"cmpb compares the low bytes", isa.CMPB, 0x100, 1, 1, N | C},
	{"cmpb overflows in 8 bits", isa.CMPB, 0x80, 1, 1, V},
	{"cmpb ignores the high bytes", isa.CMPB, 0x1FF, 0xFF, 0xFF, Z},
	{"add3", isa.ADD3, 0xFFFFFFFF, 2, 1, C},
	{"add3 overflows", isa.ADD3, 0x7FFFFFFF, 0x7FFFFFFF, 0xFFFFFFFE, N | V},
	{"sub3 is a - b", isa.SUB3, 2, 3, 0xFFFFFFFF, N | C},
	{"sub3 overflows", isa.SUB3, 0x80000000, 1, 0x7FFFFFFF, V},
	{"mul3", isa.MUL3, 6, 7, 42, 0},
	{"div3 is a / b", isa.DIV3, 42, 6, 7, 0},
	{"div3 of the most negative by -1 overflows", isa.DIV3, 0x80000000, 0xFFFFFFFF, 0x80000000, N | V},
	{"clr", isa.CLR, 0, 0x1234, 0, Z},
	{"inc carries out of bit 31", isa.INC, 0, 0xFFFFFFFF, 0, Z | C},
	{"inc overflows", isa.INC, 0, 0x7FFFFFFF, 0x80000000, N | V},
	{"dec borrows from zero", isa.DEC, 0, 0, 0xFFFFFFFF, N | C},
	{"dec overflows", isa.DEC, 0, 0x80000000, 0x7FFFFFFF, V},
	{"neg of zero", isa.NEG, 0, 0, 0, Z},
	{"neg borrows", isa.NEG, 0, 1, 0xFFFFFFFF, N | C},
	{"neg of the most negative overflows", isa.NEG, 0, 0x80000000, 0x80000000, N | C | V},
	{"not", isa.NOT, 0, 0xFFFF0000, 0x0000FFFF, 0},
	{"tst sets N and Z and clears C and V", isa.TST, 0, 0x80000000, 0x80000000, N},
	{"tst of zero", isa.TST, 0, 0, 0, Z},
}

// aluCode encodes the instruction of an aluCase.
func aluCode(op isa.Opcode) []byte {
	switch len(isa.Lookup(op).Operands) {
	case 1:
		return I(op, R(2))
	case 2:
		return I(op, R(1), R(2))
	}
	return I(op, R(1), R(2), R(3))
}

func TestEveryInstructionGivesTheResultAndFlagsOfItsRows(t *testing.T) {
	for _, tc := range aluCases {
		t.Run(tc.name, func(t *testing.T) {
			m := newMachine(t, cpu.Precise, aluCode(tc.op))
			m.CPU.R[1], m.CPU.R[2], m.CPU.R[3] = tc.a, tc.b, 0xDEAD
			m.CPU.PSW = cpu.UserMode | cpu.Flags // every flag must be recomputed
			step(t, m)
			d := 2
			if len(isa.Lookup(tc.op).Operands) == 3 {
				d = 3
			}
			assert.Equal(t, tc.want, m.CPU.R[d], "result %#x", m.CPU.R[d])
			assert.Equal(t, tc.flags|cpu.UserMode, m.CPU.PSW)
			assert.Equal(t, uint32(text+len(aluCode(tc.op))), m.CPU.PC)
		})
	}
}

func TestDivisionByZeroTrapsDivideAndWritesNothing(t *testing.T) {
	for _, tc := range []struct {
		op     isa.Opcode
		r1, r2 uint32 // the divisor is 0
	}{{isa.DIV, 0, 7}, {isa.MOD, 0, 7}, {isa.DIV3, 7, 0}} {
		t.Run(tc.op.String(), func(t *testing.T) {
			m := newMachine(t, cpu.Precise, aluCode(tc.op))
			m.CPU.R[1], m.CPU.R[2], m.CPU.R[3] = tc.r1, tc.r2, 9
			m.CPU.PSW = cpu.UserMode | Z
			m.CPU.Step()
			tr := lastTrap(t, m)
			assert.Equal(t, isa.Divide, tr.Cause.Cause)
			assert.Equal(t, uint32(text), tr.FaultPC)
			assert.Equal(t, [3]uint32{tc.r1, tc.r2, 9}, [3]uint32{m.CPU.R[1], m.CPU.R[2], m.CPU.R[3]})
			assert.Equal(t, cpu.UserMode|Z, m.CPU.PSW, "flags unchanged")
			assert.Equal(t, uint64(0), m.CPU.Instructions)
		})
	}
}

func TestFlagsKeptByMoveLikeInstructions(t *testing.T) {
	for _, code := range [][]byte{I(isa.PUSH, R(1)), Prog(I(isa.PUSH, R(1)), I(isa.POP, R(2)))} {
		m := newMachine(t, cpu.Precise, code)
		m.CPU.PSW = cpu.UserMode | N | C
		for m.CPU.PC < text+uint32(len(code)) {
			step(t, m)
		}
		assert.Equal(t, cpu.UserMode|N|C, m.CPU.PSW)
	}
}
