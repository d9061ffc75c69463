package cpu_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"toyvm/cpu"
	"toyvm/cpu/cputest"
	"toyvm/dev"
	"toyvm/isa"
)

// The layout of the test machine's user space.
const (
	text     = 0x1000
	data     = 0x4000
	stackTop = 0x8000 // sp starts here; the stack page is 0x7000
)

// newMachine returns a user-mode machine at the given level with code
// loaded at text, a data page at data and a stack page below stackTop.
func newMachine(t *testing.T, level cpu.Level, code []byte) *cputest.Machine {
	t.Helper()
	m := cputest.New(level)
	m.Load(text, code)
	m.Map(data, cputest.UserPage)
	m.Map(stackTop-isa.PageSize, cputest.UserPage)
	m.CPU.PC = text
	m.CPU.R[isa.SP] = stackTop
	return m
}

// step runs one instruction and requires that it did not trap.
func step(t *testing.T, m *cputest.Machine) {
	t.Helper()
	m.CPU.Step()
	require.Empty(t, m.Traps, "unexpected trap")
}

// lastTrap returns the last trap the machine took.
func lastTrap(t *testing.T, m *cputest.Machine) cputest.Trap {
	t.Helper()
	require.NotEmpty(t, m.Traps, "no trap")
	return m.Traps[len(m.Traps)-1]
}

// devTimer is a timer interrupt event.
func devTimer() dev.Event { return dev.Event{Cause: isa.Timer} }
