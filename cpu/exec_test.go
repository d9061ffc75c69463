package cpu_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"toyvm/cpu"
	. "toyvm/cpu/cputest"
	"toyvm/isa"
)

func TestAddressingModesReadTheirOperandsAndStepRegisters(t *testing.T) {
	cases := []struct {
		name   string
		src    isa.Operand
		r1     uint32 // before
		wantR1 uint32 // after
	}{
		{"register", R(1), 0x11, 0x11},
		{"deferred", Def(1), data, data},
		{"autoincrement steps by 4", Inc(1), data, data + 4},
		{"autodecrement steps first", Dec(1), data + 4, data},
		{"autoincrement deferred reads a pointer", IncDef(1), data + 8, data + 12},
		{"displacement", Disp(-4, 1), data + 4, data + 4},
		{"immediate", Imm(0x11223344), 0, 0},
		{"absolute", Abs(data), 0, 0},
	}
	want := map[string]uint32{"register": 0x11, "immediate": 0x11223344, "autoincrement deferred reads a pointer": 0xCAFE}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			m := newMachine(t, cpu.Precise, I(isa.MOV, tc.src, R(2)))
			m.Poke32(data, 0xBEEF)
			m.Poke32(data+8, data+16)
			m.Poke32(data+16, 0xCAFE)
			m.CPU.R[1] = tc.r1
			step(t, m)
			w, ok := want[tc.name]
			if !ok {
				w = 0xBEEF
			}
			assert.Equal(t, w, m.CPU.R[2])
			assert.Equal(t, tc.wantR1, m.CPU.R[1])
		})
	}
}

func TestByteFormsStepByOneAndTouchOneByte(t *testing.T) {
	m := newMachine(t, cpu.Precise, Prog(
		I(isa.MOVB, Inc(1), R(2)),    // r2 = 0x000000F1, r1 += 1
		I(isa.MOVB, R(3), Dec(4)),    // one byte at data+0x13
		I(isa.MOVB, IncDef(5), R(6)), // @(r5)+ steps by 4 even for a byte
	))
	m.Poke(data, 0xF1, 0xF2)
	m.Poke32(data+0x10, 0xAAAAAAAA)
	m.Poke32(data+0x20, data+1)
	m.CPU.R[1], m.CPU.R[3], m.CPU.R[4], m.CPU.R[5] = data, 0x12345677, data+0x14, data+0x20
	m.CPU.R[2], m.CPU.R[6] = 0xFFFFFFFF, 0xFFFFFFFF
	for range 3 {
		step(t, m)
	}
	assert.Equal(t, uint32(0xF1), m.CPU.R[2])
	assert.Equal(t, uint32(data+1), m.CPU.R[1])
	assert.Equal(t, []byte{0xAA, 0xAA, 0xAA, 0x77}, m.Peek(data+0x10, 4))
	assert.Equal(t, uint32(data+0x13), m.CPU.R[4])
	assert.Equal(t, uint32(0xF2), m.CPU.R[6])
	assert.Equal(t, uint32(data+0x24), m.CPU.R[5])
}

func TestUnalignedWordCrossingPagesIsReadAndWritten(t *testing.T) {
	m := newMachine(t, cpu.Precise, Prog(
		I(isa.MOV, Abs(data+0xFFE), R(1)),
		I(isa.ADD, Imm(1), Abs(data+0xFFE)),
	))
	m.Map(data+isa.PageSize, UserPage)
	m.Poke32(data+0xFFE, 0x44332211)
	step(t, m)
	step(t, m)
	assert.Equal(t, uint32(0x44332211), m.CPU.R[1])
	assert.Equal(t, []byte{0x12, 0x22, 0x33, 0x44}, m.Peek(data+0xFFE, 4))
}

func TestReadModifyWriteUsesTheOldValueOfMemory(t *testing.T) {
	m := newMachine(t, cpu.Precise, I(isa.SUB, Imm(3), Disp(4, 1)))
	m.Poke32(data+4, 10)
	m.CPU.R[1] = data
	step(t, m)
	assert.Equal(t, uint32(7), m.Peek32(data+4))
}

func TestBranchesFollowTheirConditions(t *testing.T) {
	cases := []struct {
		op    isa.Opcode
		flags cpu.PSW
		taken bool
	}{
		{isa.BR, 0, true},
		{isa.BEQ, Z, true}, {isa.BEQ, 0, false},
		{isa.BNE, 0, true}, {isa.BNE, Z, false},
		{isa.BLT, N, true}, {isa.BLT, V, true}, {isa.BLT, N | V, false},
		{isa.BGE, N | V, true}, {isa.BGE, N, false},
		{isa.BLE, Z, true}, {isa.BLE, V, true}, {isa.BLE, 0, false},
		{isa.BGT, 0, true}, {isa.BGT, N | V, true}, {isa.BGT, Z, false}, {isa.BGT, N, false},
		{isa.BLO, C, true}, {isa.BLO, 0, false},
		{isa.BHS, 0, true}, {isa.BHS, C, false},
		{isa.BLS, C, true}, {isa.BLS, Z, true}, {isa.BLS, 0, false},
		{isa.BHI, 0, true}, {isa.BHI, C, false}, {isa.BHI, Z, false},
	}
	for _, tc := range cases {
		t.Run(tc.op.String()+" "+tc.flags.String(), func(t *testing.T) {
			m := newMachine(t, cpu.Precise, B(tc.op, -8))
			m.CPU.PSW = cpu.UserMode | tc.flags
			step(t, m)
			want := uint32(text + 3)
			if tc.taken {
				want -= 8
			}
			assert.Equal(t, want, m.CPU.PC)
		})
	}
}

func TestCallPushesTheReturnAddressAndRetPopsIt(t *testing.T) {
	m := newMachine(t, cpu.Precise, Prog(
		I(isa.CALL, Abs(text+0x100)), // 6 bytes
		I(isa.NOP),
	))
	m.Poke(text+0x100, I(isa.RET)...)
	step(t, m)
	assert.Equal(t, uint32(text+0x100), m.CPU.PC)
	assert.Equal(t, uint32(stackTop-4), m.CPU.R[isa.SP])
	assert.Equal(t, uint32(text+6), m.Peek32(stackTop-4))
	step(t, m)
	assert.Equal(t, uint32(text+6), m.CPU.PC)
	assert.Equal(t, uint32(stackTop), m.CPU.R[isa.SP])
}

func TestPushAndPopMoveWordsThroughTheStack(t *testing.T) {
	m := newMachine(t, cpu.Precise, Prog(
		I(isa.PUSH, Imm(0x1234)),
		I(isa.PUSH, R(isa.SP)), // pushes sp as it was before the push
		I(isa.POP, R(1)),
		I(isa.POP, Abs(data)),
	))
	for range 4 {
		step(t, m)
	}
	assert.Equal(t, uint32(stackTop-4), m.CPU.R[1])
	assert.Equal(t, uint32(0x1234), m.Peek32(data))
	assert.Equal(t, uint32(stackTop), m.CPU.R[isa.SP])
}

func TestJumpGoesToTheOperandsAddress(t *testing.T) {
	m := newMachine(t, cpu.Precise, I(isa.JMP, Disp(8, 1)))
	m.CPU.R[1] = text + 0x40
	step(t, m)
	assert.Equal(t, uint32(text+0x48), m.CPU.PC)
}

func TestSysAndBptTrapAfterTheInstruction(t *testing.T) {
	for _, tc := range []struct {
		op    isa.Opcode
		cause isa.Cause
	}{{isa.SYS, isa.Syscall}, {isa.BPT, isa.Breakpoint}} {
		m := newMachine(t, cpu.Log, Prog(I(isa.NOP), I(tc.op)))
		step(t, m)
		m.CPU.Step()
		tr := lastTrap(t, m)
		assert.Equal(t, cpu.FaultCause{Cause: tc.cause, User: true}, tr.Cause)
		assert.Equal(t, uint32(text+2), tr.SavedPC)
		assert.Equal(t, uint32(text+1), tr.FaultPC)
		assert.Equal(t, uint32(text+2), m.CPU.PC)
		assert.Equal(t, uint64(2), m.CPU.Instructions)
		assert.True(t, m.CPU.PSW.User(), "the trap returned to user mode")
	}
}

func TestTrapRunsTheHandlerInSupervisorMode(t *testing.T) {
	m := newMachine(t, cpu.Precise, I(isa.SYS))
	var mode cpu.PSW
	m.OnTrap = func(m *Machine, _ isa.Cause) {
		mode = m.CPU.PSW
		m.CPU.SavedPC = text + 0x80 // the kernel decides where to return
	}
	m.CPU.Step()
	assert.False(t, mode.User())
	assert.Equal(t, uint32(text+0x80), m.CPU.PC)
	assert.True(t, m.CPU.PSW.User())
}

func TestIllegalInstructionsTrap(t *testing.T) {
	cases := []struct {
		name  string
		code  []byte
		cause isa.Cause
		saved uint32 // where fetching stopped
	}{
		{"unknown opcode", []byte{0xFF}, isa.Illegal, 1},
		{"mode 8", []byte{byte(isa.MOV), 0x81, 0x02}, isa.Illegal, 2},
		{"immediate destination", []byte{byte(isa.MOV), 0x01, 0x60, 0, 0, 0, 0}, isa.Illegal, 3},
		{"register jump target", []byte{byte(isa.JMP), 0x01}, isa.Illegal, 2},
		{"immediate call target", []byte{byte(isa.CALL), 0x60, 0, 0, 0, 0}, isa.Illegal, 2},
		{"memory operand of movc", []byte{byte(isa.MOVC), 0x01, 0x12, 0x03}, isa.Illegal, 3},
		{"halt in user mode", I(isa.HALT), isa.Privileged, 1},
	}
	for _, tc := range cases {
		for _, level := range []cpu.Level{cpu.Precise, cpu.Log, cpu.Decode} {
			t.Run(tc.name+" "+level.String(), func(t *testing.T) {
				m := newMachine(t, level, tc.code)
				m.CPU.Step()
				tr := lastTrap(t, m)
				assert.Equal(t, tc.cause, tr.Cause.Cause)
				assert.Equal(t, uint32(text), tr.FaultPC)
				want := uint32(text)
				if level != cpu.Precise {
					want += tc.saved
				}
				assert.Equal(t, want, tr.SavedPC)
			})
		}
	}
}

func TestHaltInSupervisorModeStopsRun(t *testing.T) {
	m := newMachine(t, cpu.Precise, Prog(I(isa.INC, R(1)), I(isa.HALT), I(isa.INC, R(1))))
	m.CPU.PSW = 0
	assert.Equal(t, uint64(2), m.CPU.Run(100))
	assert.True(t, m.CPU.Halted())
	assert.Equal(t, uint32(1), m.CPU.R[1])
	assert.Equal(t, uint32(text+3), m.CPU.PC)
}

func TestRunStopsAfterMaxInstructions(t *testing.T) {
	m := newMachine(t, cpu.Precise, B(isa.BR, -3))
	assert.Equal(t, uint64(1000), m.CPU.Run(1000))
	assert.Equal(t, uint64(1000*cpu.InstCycles+cpu.WalkCycles), m.CPU.Cycles)
	assert.Equal(t, m.CPU.Cycles, m.Clock.Now())
}

func TestMovcCopiesBytesAndLeavesRegistersAtTheEnd(t *testing.T) {
	m := newMachine(t, cpu.Log, I(isa.MOVC, R(1), R(2), R(3)))
	m.Poke(data, 1, 2, 3, 4, 5)
	m.CPU.R[1], m.CPU.R[2], m.CPU.R[3] = 5, data, data+0x100
	step(t, m)
	assert.Equal(t, []byte{1, 2, 3, 4, 5, 0}, m.Peek(data+0x100, 6))
	assert.Equal(t, [3]uint32{0, data + 5, data + 0x105}, [3]uint32(m.CPU.R[1:4]))
	assert.Equal(t, uint32(text+4), m.CPU.PC)
	assert.Empty(t, m.CPU.BackupLog())
}

func TestMovcOfZeroBytesCopiesNothing(t *testing.T) {
	m := newMachine(t, cpu.Precise, I(isa.MOVC, R(1), R(2), R(3)))
	m.CPU.R[2], m.CPU.R[3] = 0x10, 0x20 // not mapped: never touched
	step(t, m)
	assert.Equal(t, uint32(text+4), m.CPU.PC)
}

func TestTimerInterruptIsTakenBetweenInstructions(t *testing.T) {
	m := newMachine(t, cpu.Precise, Prog(I(isa.INC, R(1)), I(isa.INC, R(1)), I(isa.INC, R(1))))
	m.Clock.Schedule(2*cpu.InstCycles+cpu.WalkCycles, devTimer())
	m.OnTrap = func(m *Machine, cause isa.Cause) {}
	m.CPU.Run(3)
	require.Len(t, m.Traps, 1)
	tr := m.Traps[0]
	assert.Equal(t, isa.Timer, tr.Cause.Cause)
	assert.Equal(t, uint32(text+4), tr.SavedPC, "after two instructions")
	assert.Equal(t, uint32(2), tr.R[1])
	assert.Equal(t, uint32(3), m.CPU.R[1], "resumed")
}

func TestTimerInterruptInTheMiddleOfMovcResumesTheCopy(t *testing.T) {
	m := newMachine(t, cpu.Log, Prog(I(isa.MOVC, R(1), R(2), R(3)), I(isa.NOP)))
	for i := range 10 {
		m.Poke(data+uint32(i), byte(i+1))
	}
	m.CPU.R[1], m.CPU.R[2], m.CPU.R[3] = 10, data, data+0x100
	// the opcode and the walk of text, then the walk of data, then a cycle a byte
	m.Clock.Schedule(cpu.InstCycles+2*cpu.WalkCycles+3*cpu.ByteCycles, devTimer())
	m.OnTrap = func(m *Machine, cause isa.Cause) {}
	m.CPU.Run(2)
	require.Len(t, m.Traps, 1)
	tr := m.Traps[0]
	assert.Equal(t, isa.Timer, tr.Cause.Cause)
	assert.Equal(t, uint32(text), tr.SavedPC, "the MOVC restarts")
	assert.Equal(t, [3]uint32{7, data + 3, data + 0x103}, [3]uint32(tr.R[1:4]))
	assert.Equal(t, []byte{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, m.Peek(data+0x100, 10))
	assert.Equal(t, uint32(text+5), m.CPU.PC)
	assert.Equal(t, uint64(2), m.CPU.Instructions)
}

func TestPageWalksCostCycles(t *testing.T) {
	m := newMachine(t, cpu.Precise, I(isa.MOV, Abs(data), R(1)))
	step(t, m)
	assert.Equal(t, uint64(cpu.InstCycles+2*cpu.WalkCycles), m.CPU.Cycles, "text and data walked")
}
