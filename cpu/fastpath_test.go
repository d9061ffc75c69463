package cpu_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"toyvm/cpu"
	"toyvm/isa"
)

// TestMemoryInstructionsInTheCopiesTakeTheFastPath runs, once the copies
// of translations are warm, a loop of memory instructions (absolute,
// read-modify-write, PUSH, POP, autoincrement and autodecrement) and a
// branch on the fast paths alone: none of them may fall back to the
// general path, and the results are the general path's.
func TestMemoryInstructionsInTheCopiesTakeTheFastPath(t *testing.T) {
	m := newMachine(t, cpu.Precise, memoryLoop())
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

// TestRunningAWarmLoopAllocatesNothing runs the memory loop of the test
// above, warm, and counts the heap allocations Run makes: none.
func TestRunningAWarmLoopAllocatesNothing(t *testing.T) {
	m := newMachine(t, cpu.Precise, memoryLoop())
	m.CPU.R[4], m.CPU.R[5] = data, data+0x100
	m.CPU.Run(1000)
	allocs := testing.AllocsPerRun(10, func() { m.CPU.Run(10000) })
	require.Zero(t, allocs)
	require.Empty(t, m.Traps)
}
