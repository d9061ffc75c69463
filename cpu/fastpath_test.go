package cpu_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"toyvm/cpu"
	. "toyvm/cpu/cputest"
	"toyvm/isa"
)

// TestMemoryInstructionsInTheCopiesTakeTheFastPath runs, once the copies
// of translations are warm, a loop of memory instructions (absolute,
// read-modify-write, PUSH, POP, autoincrement and autodecrement) and a
// branch on the fast paths alone: none of them may fall back to the
// general path, and the results are the general path's.
func TestMemoryInstructionsInTheCopiesTakeTheFastPath(t *testing.T) {
	code := Prog(
		I(isa.MOV, Abs(data), R(1)),
		I(isa.ADD, Imm(1), Abs(data)),
		I(isa.PUSH, R(1)),
		I(isa.POP, Disp(8, 4)),
		I(isa.MOV, Inc(5), Dec(5)),
		B(isa.BR, -32),
	)
	m := newMachine(t, cpu.Precise, code)
	m.CPU.R[4], m.CPU.R[5] = data, data+0x100
	require.Equal(t, uint64(6), m.CPU.Run(6)) // warms the copies
	require.True(t, cpu.RunFast(m.CPU, 6), "a fast instruction fell back to the general path")
	require.Equal(t, uint32(text), m.CPU.PC)
	require.Equal(t, uint64(12), m.CPU.Instructions)
	require.Equal(t, uint32(1), m.CPU.R[1], "the second MOV @a, r1 reads the first ADD's 1")
	require.Equal(t, uint32(stackTop), m.CPU.R[isa.SP])
	require.Equal(t, uint32(data+0x100), m.CPU.R[5])
	require.Empty(t, m.CPU.BackupLog())
	require.Empty(t, m.Traps)
}
