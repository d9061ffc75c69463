package cpu_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"toyvm/cpu"
	. "toyvm/cpu/cputest"
	"toyvm/isa"
)

// TestSelfModifyingCodeRunsTheNewInstruction runs a loop whose first
// instruction, ADD #1, r1, is run by the general path and then from the
// decoded instruction cache, before the loop writes SUB's opcode over
// it (text is writable in the test machine): the third pass must run
// SUB, the bytes now in memory, not the decoded ADD.
func TestSelfModifyingCodeRunsTheNewInstruction(t *testing.T) {
	code := Prog(
		I(isa.ADD, Imm(1), R(1)),                     // 0: loop
		I(isa.INC, R(2)),                             // 7
		I(isa.CMP, Imm(2), R(2)),                     // 9
		B(isa.BNE, 11),                               // 16: to 30 unless r2 = 2
		I(isa.MOVB, Imm(uint32(isa.SUB)), Abs(text)), // 19: ADD becomes SUB
		I(isa.CMP, Imm(3), R(2)),                     // 30
		B(isa.BNE, -40),                              // 37: to loop unless r2 = 3
		I(isa.BPT),                                   // 40
	)
	m := newMachine(t, cpu.Precise, code)
	m.CPU.R[1] = 10
	m.CPU.Run(1000)
	require.Len(t, m.Traps, 1)
	require.Equal(t, isa.Breakpoint, m.Traps[0].Cause.Cause)
	require.Equal(t, uint32(3), m.CPU.R[2])
	require.Equal(t, uint32(11), m.CPU.R[1], "10, +1, +1, then -1 by the new SUB")
}

// TestADecodedInstructionFitsInACacheLine keeps an entry of the decoded
// instruction cache at 64 bytes.
func TestADecodedInstructionFitsInACacheLine(t *testing.T) {
	require.Equal(t, uintptr(64), cpu.DecodedSize)
}
