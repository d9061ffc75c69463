package kernel_test

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"toyvm/cpu"
	. "toyvm/cpu/cputest"
	"toyvm/isa"
	"toyvm/kernel"
	"toyvm/mmu"
)

// The pages of the fault-injection machine.
const (
	textA = 0x1000 // text
	textB = 0x2000 // text, for an instruction that spans two pages
	pageA = 0x4000 // data
	pageB = 0x5000 // data, right after pageA
	pageC = 0x6000 // data
	pageS = 0x7000 // the stack page; sp starts at 0x8000
)

var levels = []cpu.Level{cpu.Precise, cpu.Log, cpu.Decode}

// breakage is how a page is broken: not present (every access to it
// faults), or read-only (only a write faults).
type breakage struct {
	page     uint32
	readOnly bool
}

func (b breakage) String() string {
	if b.readOnly {
		return fmt.Sprintf("read-only 0x%x", b.page)
	}
	return fmt.Sprintf("not-present 0x%x", b.page)
}

func (b breakage) bits() mmu.Bits {
	if b.readOnly {
		return mmu.V | mmu.P | mmu.U
	}
	return mmu.V | mmu.W | mmu.U
}

// effect is what the CPU must report at level Log when a breakage makes
// the instruction fault: the access, where fetching stopped (from the
// instruction's start) and the log.
type effect struct {
	access isa.Access
	saved  uint32
	log    []cpu.LogEntry
}

// scenario is one instruction and, for each page it touches, the fault
// that breaking the page causes.
type scenario struct {
	name  string
	start uint32
	code  []byte
	regs  map[isa.Reg]uint32
	mem   map[uint32]uint32 // words to poke
	cases map[breakage]effect
}

func e(r isa.Reg, d int32) cpu.LogEntry { return cpu.LogEntry{Reg: r, Delta: d} }

var (
	np = func(p uint32) breakage { return breakage{page: p} }
	ro = func(p uint32) breakage { return breakage{page: p, readOnly: true} }
)

var scenarios = []scenario{
	{
		name: "mov (r1)+, (r1)+ steps r1 twice", start: textA,
		code: I(isa.MOV, Inc(1), Inc(1)),
		regs: map[isa.Reg]uint32{1: pageA + 0xFFC}, mem: map[uint32]uint32{pageA + 0xFFC: 0x11111111},
		cases: map[breakage]effect{
			np(textA): {isa.Fetch, 0, nil},
			np(pageA): {isa.Read, 2, []cpu.LogEntry{e(1, 4)}},
			np(pageB): {isa.Write, 3, []cpu.LogEntry{e(1, 4), e(1, 4)}},
			ro(pageB): {isa.Write, 3, []cpu.LogEntry{e(1, 4), e(1, 4)}},
		},
	},
	{
		name: "add (r1)+, (r1)+ reads both before the write", start: textA,
		code: I(isa.ADD, Inc(1), Inc(1)),
		regs: map[isa.Reg]uint32{1: pageA + 0xFFC}, mem: map[uint32]uint32{pageA + 0xFFC: 5, pageB: 7},
		cases: map[breakage]effect{
			np(pageA): {isa.Read, 2, []cpu.LogEntry{e(1, 4)}},
			np(pageB): {isa.Read, 3, []cpu.LogEntry{e(1, 4), e(1, 4)}},
			ro(pageB): {isa.Write, 3, []cpu.LogEntry{e(1, 4), e(1, 4)}},
		},
	},
	{
		name: "cmp -(sp), -(sp) tells one decrement from two", start: textA,
		code: I(isa.CMP, Dec(isa.SP), Dec(isa.SP)),
		regs: map[isa.Reg]uint32{isa.SP: pageB + 4}, mem: map[uint32]uint32{pageB: 1, pageA + 0xFFC: 2},
		cases: map[breakage]effect{
			np(pageB): {isa.Read, 2, []cpu.LogEntry{e(isa.SP, -4)}},
			np(pageA): {isa.Read, 3, []cpu.LogEntry{e(isa.SP, -4), e(isa.SP, -4)}},
		},
	},
	{
		name: "add (r1)+, @pageB spans two text pages", start: textB - 4,
		code: I(isa.ADD, Inc(1), Abs(pageB)),
		regs: map[isa.Reg]uint32{1: pageA}, mem: map[uint32]uint32{pageA: 3, pageB: 4},
		cases: map[breakage]effect{
			np(textA): {isa.Fetch, 0, nil},
			np(textB): {isa.Fetch, 4, []cpu.LogEntry{e(1, 4)}},
			np(pageA): {isa.Read, 2, []cpu.LogEntry{e(1, 4)}},
			np(pageB): {isa.Read, 7, []cpu.LogEntry{e(1, 4)}},
			ro(pageB): {isa.Write, 7, []cpu.LogEntry{e(1, 4)}},
		},
	},
	{
		name: "unaligned write across pages needs both", start: textA,
		code: I(isa.MOV, Imm(0x44332211), Disp(-2, 1)),
		regs: map[isa.Reg]uint32{1: pageB},
		cases: map[breakage]effect{
			ro(pageA): {isa.Write, 11, nil},
			ro(pageB): {isa.Write, 11, nil},
		},
	},
	{
		name: "movc faults part way on its source and its destination", start: textA,
		code: I(isa.MOVC, R(1), R(2), R(3)),
		regs: map[isa.Reg]uint32{1: 8, 2: pageA + 0xFFC, 3: pageC + 0xFFE},
		mem:  map[uint32]uint32{pageA + 0xFFC: 0x04030201, pageB: 0x08070605},
		cases: map[breakage]effect{
			np(pageB): {isa.Read, 4, nil},
			np(pageS): {isa.Write, 4, nil},
			ro(pageS): {isa.Write, 4, nil},
		},
	},
	{
		name: "push (r1)+", start: textA,
		code: I(isa.PUSH, Inc(1)),
		regs: map[isa.Reg]uint32{1: pageA}, mem: map[uint32]uint32{pageA: 9},
		cases: map[breakage]effect{
			np(pageA): {isa.Read, 2, []cpu.LogEntry{e(1, 4)}},
			np(pageS): {isa.Write, 2, []cpu.LogEntry{e(1, 4), e(isa.SP, -4)}},
			ro(pageS): {isa.Write, 2, []cpu.LogEntry{e(1, 4), e(isa.SP, -4)}},
		},
	},
	{
		name: "pop (r1)+", start: textA,
		code: I(isa.POP, Inc(1)),
		regs: map[isa.Reg]uint32{1: pageA, isa.SP: pageS + 0xFF8}, mem: map[uint32]uint32{pageS + 0xFF8: 9},
		cases: map[breakage]effect{
			np(pageS): {isa.Read, 1, []cpu.LogEntry{e(isa.SP, 4)}},
			np(pageA): {isa.Write, 2, []cpu.LogEntry{e(isa.SP, 4), e(1, 4)}},
		},
	},
	{
		name: "call @(r1)+", start: textA,
		code: I(isa.CALL, IncDef(1)),
		regs: map[isa.Reg]uint32{1: pageA}, mem: map[uint32]uint32{pageA: textA + 0x100},
		cases: map[breakage]effect{
			np(pageA): {isa.Read, 2, []cpu.LogEntry{e(1, 4)}},
			np(pageS): {isa.Write, 2, []cpu.LogEntry{e(1, 4), e(isa.SP, -4)}},
		},
	},
	{
		name: "ret", start: textA,
		code: I(isa.RET),
		regs: map[isa.Reg]uint32{isa.SP: pageS + 0xFF8}, mem: map[uint32]uint32{pageS + 0xFF8: textA + 0x100},
		cases: map[breakage]effect{
			np(textA): {isa.Fetch, 0, nil},
			np(pageS): {isa.Read, 1, []cpu.LogEntry{e(isa.SP, 4)}},
		},
	},
}

// build returns a machine at the level with the scenario loaded: every
// page mapped, registers and memory set, pc at the instruction.
func (s scenario) build(level cpu.Level) *Machine {
	m := New(level)
	for _, p := range []uint32{textA, textB, pageA, pageB, pageC, pageS} {
		m.Map(p, UserPage)
	}
	m.Poke(s.start, s.code...)
	for a, v := range s.mem {
		m.Poke32(a, v)
	}
	m.CPU.R[isa.SP] = pageS + isa.PageSize
	for r, v := range s.regs {
		m.CPU.R[r] = v
	}
	m.CPU.PC = s.start
	return m
}

// final is the state a run ends in.
type final struct {
	R   [isa.NumRegs]uint32
	PC  uint32
	PSW cpu.PSW
	Mem map[uint32][]byte
}

func finalOf(m *Machine) final {
	return final{R: m.CPU.R, PC: m.CPU.PC, PSW: m.CPU.PSW, Mem: m.Memory()}
}

// runToEnd steps until the instruction retires.
func runToEnd(t *testing.T, m *Machine) {
	for i := 0; m.CPU.Instructions == 0; i++ {
		require.Less(t, i, 10, "the instruction never completes")
		m.CPU.Step()
	}
}

// isMovc reports whether the scenario's progress is architectural.
func (s scenario) isMovc() bool { return isa.Opcode(s.code[0]) == isa.MOVC }

func TestEveryFaultBacksUpAndRestartsAtEveryLevel(t *testing.T) {
	for _, s := range scenarios {
		want := s.build(cpu.Precise)
		runToEnd(t, want)
		require.Empty(t, want.Traps, "%s: the reference run traps", s.name)
		for b, eff := range s.cases {
			for _, level := range levels {
				t.Run(fmt.Sprintf("%s/%v/%v", s.name, b, level), func(t *testing.T) {
					checkFault(t, s, b, eff, level, finalOf(want))
				})
			}
		}
	}
}

// checkFault breaks one page, runs the instruction with a kernel that
// mends the page and backs up, checks what the trap reported, and
// compares the result with the run without a fault. (That a faulting
// instruction changes no memory is TestFaultingInstructionChangesNoMemory.)
func checkFault(t *testing.T, s scenario, b breakage, eff effect, level cpu.Level, want final) {
	m := s.build(level)
	m.Map(b.page, b.bits())
	before := m.CPU.R
	var afterBackup [isa.NumRegs]uint32
	m.OnTrap = func(m *Machine, cause isa.Cause) {
		require.True(t, cause.IsMemory(), "trap %v", m.CPU.Cause)
		m.Map(b.page, UserPage)
		require.NoError(t, kernel.Backup(m.CPU, m.ReadText))
		assert.Equal(t, s.start, m.CPU.SavedPC, "backed up to the start")
		afterBackup = m.CPU.R
	}
	runToEnd(t, m)
	require.Len(t, m.Traps, 1)
	tr := m.Traps[0]

	wantCause := isa.NotPresent
	if b.readOnly {
		wantCause = isa.Protection
	}
	assert.Equal(t, cpu.FaultCause{Cause: wantCause, Access: eff.access, User: true}, tr.Cause)
	assert.Equal(t, s.start, tr.FaultPC)
	assert.Equal(t, b.page, isa.PageDown(tr.FaultAddr), "fault_addr 0x%x", tr.FaultAddr)
	checkLevel(t, s, eff, level, tr, before)
	if !s.isMovc() {
		assert.Equal(t, before, afterBackup, "registers after the backup")
	}
	assert.Equal(t, want, finalOf(m), "the restarted instruction ends as without a fault")
}

// checkLevel checks the registers, saved pc and log the level reports.
func checkLevel(t *testing.T, s scenario, eff effect, level cpu.Level, tr Trap, before [isa.NumRegs]uint32) {
	applied := before
	for _, le := range eff.log {
		applied[le.Reg] += uint32(le.Delta)
	}
	switch level {
	case cpu.Precise:
		assert.Equal(t, s.start, tr.SavedPC)
		assert.Empty(t, tr.Log)
		if !s.isMovc() {
			assert.Equal(t, before, tr.R)
		}
	case cpu.Log, cpu.Decode:
		assert.Equal(t, s.start+eff.saved, tr.SavedPC, "where fetching stopped")
		if !s.isMovc() {
			assert.Equal(t, applied, tr.R, "side effects left applied")
		}
		if level == cpu.Log {
			assert.Equal(t, eff.log, nilIfEmpty(tr.Log))
		} else {
			assert.Empty(t, tr.Log)
		}
	}
}

func nilIfEmpty(l []cpu.LogEntry) []cpu.LogEntry {
	if len(l) == 0 {
		return nil
	}
	return l
}

func TestFaultingInstructionChangesNoMemory(t *testing.T) {
	for _, s := range scenarios {
		if s.isMovc() {
			continue
		}
		for b := range s.cases {
			t.Run(fmt.Sprintf("%s/%v", s.name, b), func(t *testing.T) {
				m := s.build(cpu.Log)
				m.Map(b.page, b.bits())
				before := m.Memory()
				m.CPU.Step()
				require.Len(t, m.Traps, 1)
				assert.Equal(t, before, m.Memory())
			})
		}
	}
}

func TestMovcKeepsItsProgressAcrossAFault(t *testing.T) {
	s := scenarios[5]
	require.True(t, s.isMovc())
	m := s.build(cpu.Decode)
	m.Map(pageS, mmu.V|mmu.W|mmu.U)
	m.CPU.Step()
	tr := lastTrapOf(t, m)
	assert.Equal(t, [3]uint32{6, pageA + 0xFFE, pageS}, [3]uint32(tr.R[1:4]), "two bytes copied")
	assert.Equal(t, []byte{1, 2}, m.Peek(pageC+0xFFE, 2))
}

func lastTrapOf(t *testing.T, m *Machine) Trap {
	require.NotEmpty(t, m.Traps)
	return m.Traps[len(m.Traps)-1]
}

func TestBackupReportsAnUnreadableInstruction(t *testing.T) {
	m := scenarios[0].build(cpu.Decode)
	m.Map(pageA, mmu.V|mmu.W|mmu.U)
	m.CPU.Step()
	err := kernel.Backup(m.CPU, func(uint32) (byte, bool) { return 0, false })
	require.Error(t, err)
	assert.Contains(t, err.Error(), "0x00001000")
}

// FuzzBackupRestoresAConsistentState runs one random instruction, placed
// anywhere near a page boundary, with one page broken, at a random level:
// after any fault and kernel.Backup, the registers (MOVC's progress
// aside) and pc must be those before the instruction.
func FuzzBackupRestoresAConsistentState(f *testing.F) {
	for _, s := range scenarios {
		f.Add(s.code, byte(0), byte(3), byte(1))
	}
	f.Add(I(isa.CMP, Dec(isa.SP), Dec(isa.SP)), byte(2), byte(4), byte(2))
	f.Fuzz(func(t *testing.T, code []byte, shift, broken, level byte) {
		if len(code) == 0 || len(code) > 2*isa.MaxInstLen {
			return
		}
		s := scenario{start: textB - uint32(shift%20), code: code,
			regs: map[isa.Reg]uint32{1: 3, 2: pageA + 0xFFE, 3: pageB + 0xFFD, 4: pageC}}
		m := s.build(levels[int(level)%len(levels)])
		pages := []uint32{textA, textB, pageA, pageB, pageC, pageS}
		b := breakage{page: pages[int(broken)%len(pages)], readOnly: broken&0x80 != 0}
		m.Map(b.page, b.bits())
		before := m.CPU.R
		m.CPU.Step()
		if len(m.Traps) == 0 || !restartable(m.CPU.Cause.Cause) {
			return
		}
		m.Map(b.page, UserPage)
		require.NoError(t, kernel.Backup(m.CPU, m.ReadText))
		require.Equal(t, s.start, m.CPU.SavedPC)
		if isa.Opcode(code[0]) != isa.MOVC {
			require.Equal(t, before, m.CPU.R, "registers after backup, trap %v", m.CPU.Cause)
		}
	})
}

// restartable reports whether a trap is taken part way through an
// instruction, which a kernel may back up.
func restartable(c isa.Cause) bool {
	return c.IsMemory() || c == isa.Illegal || c == isa.Privileged || c == isa.Divide
}
