package cpu_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"toyvm/cpu"
	. "toyvm/cpu/cputest"
	"toyvm/isa"
	"toyvm/mmu"
)

// countingProgram touches text on two pages (its loop crosses a page
// boundary, some instructions and extension words straddle it), a data
// page, the stack page and a word that crosses into a second data page.
func countingProgram() []byte {
	body := Prog(
		I(isa.MOV, Abs(data), R(1)),                // a read, abs
		I(isa.ADD, Imm(1), Abs(data)),              // a read-modify-write
		I(isa.PUSH, R(1)),                          // a stack write
		I(isa.POP, Disp(8, 4)),                     // a stack read, a data write
		I(isa.MOV, Inc(5), Dec(5)),                 // read, write, side effects
		I(isa.MOV, Abs(data+isa.PageSize-2), R(6)), // a word across two pages
		I(isa.ADD, R(1), R(2)),                     // registers only
		I(isa.CMP, R(1), Imm(3)),                   // an immediate second
	)
	return Prog(body, B(isa.BR, -int16(len(body)+3)))
}

// runCounting runs countingProgram from just before a page boundary for n
// instructions, on a TLB of tlbSize entries, with the CPU's copies of
// translations on or off, and returns the machine.
func runCounting(t *testing.T, tlbSize int, unbuffered bool, n uint64) *Machine {
	t.Helper()
	const start = 0x2000 - 20
	m := New(cpu.Precise)
	cr3 := m.MMU.CR3()
	m.MMU = mmu.New(m.Phys, mmu.Config{TLBSize: tlbSize})
	m.MMU.SetCR3(cr3)
	m.CPU = cpu.New(m.MMU, m.Clock, cpu.Precise, m)
	m.CPU.PSW = cpu.UserMode
	m.Load(start, countingProgram())
	m.MapRange(data, 2*isa.PageSize, UserPage)
	m.Map(stackTop-isa.PageSize, UserPage)
	cpu.SetUnbuffered(m.CPU, unbuffered)
	m.CPU.PC, m.CPU.R[isa.SP] = start, stackTop
	m.CPU.R[4], m.CPU.R[5] = data, data+0x100
	m.CPU.Run(n)
	require.Empty(t, m.Traps)
	require.Equal(t, n, m.CPU.Instructions)
	return m
}

func TestTLBCountsDoNotDependOnTheCPUsCopiesOfTranslations(t *testing.T) {
	for _, size := range []int{1, 2, 3, 16} {
		buffered := runCounting(t, size, false, 5000)
		direct := runCounting(t, size, true, 5000)
		require.NotZero(t, buffered.MMU.Stats().Misses)
		assert.Equal(t, direct.MMU.Stats(), buffered.MMU.Stats(), "TLB of %d", size)
		assert.Equal(t, direct.CPU.Cycles, buffered.CPU.Cycles, "TLB of %d", size)
		assert.Equal(t, direct.CPU.R, buffered.CPU.R, "TLB of %d", size)
		assert.Equal(t, direct.Memory(), buffered.Memory(), "TLB of %d", size)
	}
}
