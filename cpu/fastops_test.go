package cpu_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"toyvm/cpu"
	. "toyvm/cpu/cputest"
	"toyvm/isa"
)

// unmapped is a page the test machine does not map.
const unmapped = 0x5000

// fastCase is a loop body for the fast handlers: prelude runs once, to
// warm the copies of translations, then body runs in a loop.
type fastCase struct {
	name          string
	prelude, body []byte
	setup         func(m *Machine)
}

// fastMachine returns a machine running c (buffered or not) with its
// registers and memory set for the fast cases: r1 a value, r4, r5 and
// r6 pointers into the data page, pointers at r6, and a stack of words
// that all hold sp (so that POP sp keeps it).
func fastMachine(t *testing.T, c fastCase, unbuffered bool) *Machine {
	loop := Prog(c.body, B(isa.BR, -int16(len(c.body)+3)))
	m := newSmallTLBMachine(t, cpu.Precise, Prog(c.prelude, loop), 16, unbuffered)
	sp := uint32(stackTop - 64)
	m.CPU.R[1], m.CPU.R[4], m.CPU.R[5], m.CPU.R[6] = 0x11223344, data, data+0x100, data+0x200
	m.CPU.R[isa.SP] = sp
	for a := sp; a < stackTop; a += 4 {
		m.Poke32(a, sp)
	}
	for a := uint32(data + 0x200); a < data+0x220; a += 4 {
		m.Poke32(a, data+0x300)
	}
	if c.setup != nil {
		c.setup(m)
	}
	return m
}

// requireSameAsGeneralPath requires that the buffered machine a ended as
// the unbuffered b (which runs only the general path) did.
func requireSameAsGeneralPath(t *testing.T, b, a *Machine) {
	t.Helper()
	require.Equal(t, b.Traps, a.Traps)
	require.Equal(t, b.CPU.R, a.CPU.R)
	require.Equal(t, b.CPU.PSW, a.CPU.PSW)
	require.Equal(t, b.CPU.PC, a.CPU.PC)
	require.Equal(t, b.Memory(), a.Memory())
}

// TestEachFastHandlerRunsItsShapeAsTheGeneralPathDoes runs a loop of one
// instruction of each fast handler's shape: once the copies are warm the
// loop runs on the fast paths alone, and it ends as the general path ends.
func TestEachFastHandlerRunsItsShapeAsTheGeneralPathDoes(t *testing.T) {
	cases := []fastCase{
		{name: "push register", body: I(isa.PUSH, R(1))},
		{name: "push immediate", body: I(isa.PUSH, Imm(0xCAFE))},
		{name: "push sp", body: I(isa.PUSH, R(isa.SP))},
		{name: "push from memory", body: I(isa.PUSH, Inc(5))},
		{name: "pop register", body: I(isa.POP, R(1))},
		{name: "pop sp", body: I(isa.POP, R(isa.SP))},
		{name: "pop displacement", body: I(isa.POP, Disp(8, 4))},
		{name: "pop onto the stack", body: I(isa.POP, Dec(isa.SP))},
		{name: "pop autoincrement", body: I(isa.POP, Inc(5))},
		{name: "move absolute to register", body: I(isa.MOV, Abs(data+8), R(1))},
		{name: "move byte to register", body: I(isa.MOVB, Abs(data+0x201), R(1))},
		{name: "move register to memory", body: I(isa.MOV, R(1), Def(4))},
		{name: "move immediate to memory", body: I(isa.MOV, Imm(7), Disp(8, 4))},
		{name: "move same register stepped twice", body: I(isa.MOV, Inc(5), Dec(5))},
		{name: "move autoincrement deferred", body: I(isa.MOV, IncDef(6), R(2))},
		{name: "move byte memory to memory", body: I(isa.MOVB, Inc(6), Inc(5))},
		{name: "update absolute", body: I(isa.ADD, Imm(1), Abs(data))},
		{name: "update autoincrement", body: I(isa.SUB, R(1), Inc(5))},
		{name: "update autodecrement", body: I(isa.XOR, R(1), Dec(5))},
		{name: "update overflows", body: I(isa.ADD, Imm(0x7FFFFFFF), Def(4))},
		{name: "compare memory", body: I(isa.CMP, Def(4), R(1))},
		{name: "compare register", body: I(isa.CMP, R(1), Disp(4, 4))},
		{name: "increment memory", body: I(isa.INC, Abs(data+4))},
		{name: "load and add", body: I(isa.ADD, Inc(6), R(2))},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			a := fastMachine(t, c, false)
			require.Equal(t, uint64(4), a.CPU.Run(4)) // warms the copies
			require.True(t, cpu.RunFast(a.CPU, 4), "an instruction fell back to the general path")
			b := fastMachine(t, c, true)
			require.Equal(t, uint64(8), b.CPU.Run(8))
			requireSameAsGeneralPath(t, b, a)
			require.Empty(t, a.Traps)
		})
	}
}

// TestAFastHandlerThatGivesUpLeavesNoTrace runs instructions whose last
// access falls outside the copies of translations after their earlier
// accesses hit them and stepped registers: the fast handler gives up and
// the general path runs the instruction, taking the fault (or not) with
// the registers as they were, exactly as a run with no copies does.
func TestAFastHandlerThatGivesUpLeavesNoTrace(t *testing.T) {
	toUnmapped := func(r isa.Reg) func(*Machine) {
		return func(m *Machine) { m.CPU.R[r] = unmapped }
	}
	// Twice: the first pass's TLB misses drop every copy.
	touch := Prog(I(isa.MOV, Def(4), R(2)), I(isa.MOV, Def(6), R(3)), I(isa.PUSH, R(1)), I(isa.POP, R(2)))
	warm := Prog(touch, touch)
	cases := []fastCase{
		{name: "pop to an unmapped page", body: I(isa.POP, Inc(5)), setup: toUnmapped(5)},
		{name: "push from an unmapped page", body: I(isa.PUSH, Inc(5)), setup: toUnmapped(5)},
		{name: "push onto an unmapped stack", body: I(isa.PUSH, R(1)),
			setup:   func(m *Machine) { m.Poke32(data+0x200, unmapped+8) },
			prelude: I(isa.MOV, Def(6), R(isa.SP))},
		{name: "move to an unmapped page", body: I(isa.MOV, Inc(4), Inc(5)), setup: toUnmapped(5)},
		{name: "move through a wild pointer", body: I(isa.MOV, IncDef(6), R(2)),
			setup: func(m *Machine) { m.Poke32(data+0x200, unmapped) }},
		{name: "update an unmapped page", body: I(isa.ADD, Imm(1), Inc(5)), setup: toUnmapped(5)},
		{name: "increment with a cold write copy", body: I(isa.INC, Inc(4))},
		{name: "pop from an unmapped stack", body: I(isa.POP, R(1)),
			setup:   func(m *Machine) { m.Poke32(data+0x200, unmapped+8) },
			prelude: I(isa.MOV, Def(6), R(isa.SP))},
		{name: "divide by zero in memory", body: I(isa.DIV, R(0), Inc(4))},
		{name: "divide by zero from memory", body: I(isa.DIV, Inc(4), R(2))},
		{name: "test an unmapped page", body: I(isa.TST, Inc(5)), setup: toUnmapped(5)},
		{name: "compare with an unmapped page", body: I(isa.CMP, Inc(4), Inc(5)), setup: toUnmapped(5)},
		{name: "move through an unmapped pointer", body: I(isa.MOV, IncDef(5), R(2)), setup: toUnmapped(5)},
	}
	for _, c := range cases {
		c.prelude = Prog(warm, c.prelude)
		t.Run(c.name, func(t *testing.T) {
			run := func(unbuffered bool) *Machine {
				m := fastMachine(t, c, unbuffered)
				m.CPU.Run(20)
				return m
			}
			requireSameAsGeneralPath(t, run(true), run(false))
		})
	}
}
