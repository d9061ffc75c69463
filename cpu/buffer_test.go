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

// newSmallTLBMachine returns newMachine's machine with a TLB of size
// entries, and its copies of translations on or off.
func newSmallTLBMachine(t *testing.T, level cpu.Level, code []byte, size int, unbuffered bool) *Machine {
	m := newMachine(t, level, code)
	cr3 := m.MMU.CR3()
	m.MMU = mmu.New(m.Phys, mmu.Config{TLBSize: size})
	m.MMU.SetCR3(cr3)
	pc, sp := m.CPU.PC, m.CPU.R[isa.SP]
	m.CPU = cpu.New(m.MMU, m.Clock, level, m)
	m.CPU.PSW, m.CPU.PC, m.CPU.R[isa.SP] = cpu.UserMode, pc, sp
	cpu.SetUnbuffered(m.CPU, unbuffered)
	return m
}

// FuzzCopiesOfTranslationsAreInvisible runs random bytes with the CPU's
// copies of translations on and off, on a 2-entry TLB (so that walks in
// the middle of instructions evict the text's entry), with a timer
// interrupt every few cycles: the traps, registers, memory, cycles and TLB
// counters must be the same.
func FuzzCopiesOfTranslationsAreInvisible(f *testing.F) {
	f.Add(Prog(I(isa.MOV, Abs(data), R(1)), I(isa.ADD, Imm(1), Abs(data+0x2000)), B(isa.BR, -20)))
	f.Add(Prog(I(isa.MOVC, R(1), R(2), R(3)), I(isa.DIV, R(0), R(4)), I(isa.SYS)))
	f.Add(Prog(I(isa.CALL, IncDef(5)), I(isa.RET), B(isa.BR, -10)))
	f.Add(Prog(I(isa.PUSH, Disp(4, 6)), I(isa.POP, Dec(7)), I(isa.CMP, Inc(8), Abs(data+0xFFE))))
	f.Fuzz(func(t *testing.T, code []byte) {
		run := func(unbuffered bool) *Machine {
			m := newSmallTLBMachine(t, cpu.Log, append(code, 0), 2, unbuffered)
			for r := range isa.Reg(13) {
				m.CPU.R[r] = data + uint32(r)*0x100 - 2
			}
			m.CPU.R[1] = 20
			m.OnTrap = func(m *Machine, cause isa.Cause) {
				if cause.IsInterrupt() || cause == isa.Syscall || cause == isa.Breakpoint {
					m.Clock.Schedule(m.Clock.Now()+7, devTimer())
					return
				}
				m.CPU.Stop()
			}
			m.Clock.Schedule(7, devTimer())
			m.CPU.Run(300)
			return m
		}
		a, b := run(false), run(true)
		require.Equal(t, b.Traps, a.Traps)
		require.Equal(t, b.CPU.R, a.CPU.R)
		require.Equal(t, b.CPU.Cycles, a.CPU.Cycles)
		require.Equal(t, b.MMU.Stats(), a.MMU.Stats())
		require.Equal(t, b.Memory(), a.Memory())
	})
}
