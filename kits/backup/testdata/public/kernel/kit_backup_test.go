package kernel

// The public tests of the backup kit (kits/backup/README.md): instruction
// backup at the decode level, one instruction at a time. Each instruction
// runs on the small machine of package cputest with one of its pages
// broken, so that it faults part way. As the kernel does, the tests then
// call Backup before the page is mended: the registers must be those from
// before the instruction and the saved pc its first byte. The page is
// mended, the instruction restarts, and it must end exactly as it does
// when nothing faults. The side effects decodeEffects finds must be those
// the CPU lists at the log level for the same fault (in any order).

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"toyvm/cpu"
	"toyvm/cpu/cputest"
	"toyvm/isa"
	"toyvm/mmu"
)

// The pages of the test machine: two of text, four of data, the stack.
const (
	kitBkText  = 0x1000
	kitBkText2 = 0x2000
	kitBkD     = 0x3000
	kitBkA     = 0x4000
	kitBkB     = 0x5000
	kitBkC     = 0x6000
	kitBkStack = 0x7000 // sp starts at 0x8000
)

var kitBkPages = []uint32{kitBkText, kitBkText2, kitBkD, kitBkA, kitBkB, kitBkC, kitBkStack}

// kitBkBreak is how a page is broken: not present (every access to it
// faults) or read-only (a write to it faults).
type kitBkBreak struct {
	page     uint32
	readOnly bool
}

func kitBkNP(page uint32) kitBkBreak { return kitBkBreak{page: page} }
func kitBkRO(page uint32) kitBkBreak { return kitBkBreak{page: page, readOnly: true} }

func (b kitBkBreak) String() string {
	if b.readOnly {
		return fmt.Sprintf("page 0x%04x read-only", b.page)
	}
	return fmt.Sprintf("page 0x%04x not present", b.page)
}

func (b kitBkBreak) bits() mmu.Bits {
	if b.readOnly {
		return mmu.V | mmu.P | mmu.U
	}
	return mmu.V | mmu.W | mmu.U
}

// kitBkInst is one instruction on the test machine: where it starts, its
// bytes, and the registers and memory words it starts with (sp is 0x8000
// unless regs says otherwise).
type kitBkInst struct {
	name  string
	start uint32
	code  []byte
	regs  map[isa.Reg]uint32
	mem   map[uint32]uint32
}

// movc reports whether the instruction is MOVC, whose progress through
// its registers is architectural: a backup keeps it.
func (in kitBkInst) movc() bool { return isa.Opcode(in.code[0]) == isa.MOVC }

// machine returns a machine at level with every page mapped and the
// instruction loaded, pc at its start.
func (in kitBkInst) machine(level cpu.Level) *cputest.Machine {
	m := cputest.New(level)
	for _, p := range kitBkPages {
		m.Map(p, cputest.UserPage)
	}
	m.Poke(in.start, in.code...)
	for _, a := range slices.Sorted(maps.Keys(in.mem)) {
		m.Poke32(a, in.mem[a])
	}
	m.CPU.R[isa.SP] = kitBkStack + isa.PageSize
	for r, v := range in.regs {
		m.CPU.R[r] = v
	}
	m.CPU.PC = in.start
	return m
}

// kitBkState is what an instruction leaves behind.
type kitBkState struct {
	R   [isa.NumRegs]uint32
	PC  uint32
	PSW cpu.PSW
	Mem map[uint32][]byte
}

func kitBkStateOf(m *cputest.Machine) kitBkState {
	return kitBkState{R: m.CPU.R, PC: m.CPU.PC, PSW: m.CPU.PSW, Mem: m.Memory()}
}

// kitBkRun steps m until its instruction has completed.
func kitBkRun(t *testing.T, m *cputest.Machine, what string) {
	t.Helper()
	for i := 0; m.CPU.Instructions == 0; i++ {
		require.Less(t, i, 10, "%s never completes: it faults again and again", what)
		m.CPU.Step()
	}
}

// kitBkEffects writes side effects as the docs do: (r1, +4), (sp, -4).
func kitBkEffects(effects []cpu.LogEntry) string {
	if len(effects) == 0 {
		return "none"
	}
	var parts []string
	for _, e := range effects {
		parts = append(parts, fmt.Sprintf("(%v, %+d)", e.Reg, e.Delta))
	}
	return strings.Join(parts, ", ")
}

// kitBkCheck runs in with page b broken and checks the backup at the
// decode level; it returns the trap the fault took.
func kitBkCheck(t *testing.T, in kitBkInst, b kitBkBreak) cputest.Trap {
	t.Helper()
	what := fmt.Sprintf("%s at 0x%04x with %v", in.name, in.start, b)
	want := in.machine(cpu.Precise)
	kitBkRun(t, want, in.name)
	require.Empty(t, want.Traps, "%s faults with no page broken (a bug in the test)", in.name)

	logged := in.machine(cpu.Log)
	logged.Map(b.page, b.bits())
	logged.CPU.Step()
	require.Len(t, logged.Traps, 1, "%s: no fault (a bug in the test)", what)
	applied := logged.Traps[0].Log

	m := in.machine(cpu.Decode)
	m.Map(b.page, b.bits())
	before := m.CPU.R
	m.OnTrap = func(m *cputest.Machine, cause isa.Cause) {
		require.True(t, cause.IsMemory(), "%s: trap %v", what, m.CPU.Cause)
		at := m.CPU.R
		effects, err := decodeEffects(m.CPU, m.ReadText)
		require.NoError(t, err, what)
		assert.ElementsMatch(t, applied, effects,
			"%s: %v at 0x%08x, saved pc 0x%08x: the side effects applied are %s, decodeEffects found %s",
			what, m.CPU.Cause, m.CPU.FaultAddr, m.CPU.SavedPC, kitBkEffects(applied), kitBkEffects(effects))
		require.Equal(t, at, m.CPU.R, "%s: decodeEffects changed the registers", what)
		require.NoError(t, Backup(m.CPU, m.ReadText), what) // before the page is mended, as the kernel does
		assert.Equal(t, in.start, m.CPU.SavedPC, "%s: the saved pc after Backup is the instruction's start", what)
		if in.movc() {
			assert.Equal(t, at, m.CPU.R, "%s: MOVC's progress is kept", what)
		} else {
			assert.Equal(t, before, m.CPU.R, "%s: the registers after Backup are those before the instruction", what)
		}
		m.Map(b.page, cputest.UserPage)
	}
	kitBkRun(t, m, what)
	require.Len(t, m.Traps, 1, what)
	assert.Equal(t, kitBkStateOf(want), kitBkStateOf(m), "%s: the restarted instruction ends as it does without a fault", what)
	return m.Traps[0]
}

// kitBkCase is an instruction and the pages whose breaking makes it
// fault.
type kitBkCase struct {
	inst   kitBkInst
	breaks []kitBkBreak
}

func kitBkCheckAll(t *testing.T, cases []kitBkCase) {
	t.Helper()
	for _, c := range cases {
		for _, b := range c.breaks {
			t.Run(fmt.Sprintf("%s/%v", c.inst.name, b), func(t *testing.T) {
				kitBkCheck(t, c.inst, b)
			})
		}
	}
}

func TestKitBackupTheWorkedExample(t *testing.T) {
	// docs/isa.md section 8: add (r1)+, -(r2) at 0x1ffe, its last byte on
	// the next page, and its five faults (a) to (e).
	in := kitBkInst{name: "add (r1)+, -(r2)", start: 0x1ffe,
		code: cputest.I(isa.ADD, cputest.Inc(1), cputest.Dec(2)),
		regs: map[isa.Reg]uint32{1: 0x3000, 2: 0x5000},
		mem:  map[uint32]uint32{0x3000: 5, 0x4ffc: 10}}
	for _, f := range []struct {
		fault string
		b     kitBkBreak
		saved uint32
	}{
		{"(a) the opcode fetch", kitBkNP(0x1000), 0x1ffe},
		{"(b) the source read", kitBkNP(0x3000), 0x2000},
		{"(c) the second specifier's fetch", kitBkNP(0x2000), 0x2000},
		{"(d) the destination's read", kitBkNP(0x4000), 0x2001},
		{"(e) the destination's write", kitBkRO(0x4000), 0x2001},
	} {
		t.Run(f.fault, func(t *testing.T) {
			tr := kitBkCheck(t, in, f.b)
			assert.Equal(t, f.saved, tr.SavedPC, "where fetching stopped")
		})
	}
	m := in.machine(cpu.Decode)
	kitBkRun(t, m, in.name)
	assert.Equal(t, uint32(15), m.Peek32(0x4ffc))
}

func TestKitBackupTellsOneDecrementFromTwo(t *testing.T) {
	// cmp -(sp), -(sp) finds sp = 0x4ffc and faults there in both cases:
	// only where fetching stopped tells them apart.
	code := cputest.I(isa.CMP, cputest.Dec(isa.SP), cputest.Dec(isa.SP))
	one := kitBkInst{name: "cmp -(sp), -(sp) with sp = 0x5000", start: 0x1100, code: code,
		regs: map[isa.Reg]uint32{isa.SP: 0x5000}, mem: map[uint32]uint32{0x4ffc: 1}}
	two := kitBkInst{name: "cmp -(sp), -(sp) with sp = 0x5004", start: 0x1100, code: code,
		regs: map[isa.Reg]uint32{isa.SP: 0x5004}, mem: map[uint32]uint32{0x5000: 1, 0x4ffc: 2}}
	t1 := kitBkCheck(t, one, kitBkNP(kitBkA))
	t2 := kitBkCheck(t, two, kitBkNP(kitBkA))
	assert.Equal(t, t1.R[isa.SP], t2.R[isa.SP], "the same sp at the fault")
	assert.Equal(t, t1.FaultAddr, t2.FaultAddr, "the same faulting address")
	assert.NotEqual(t, t1.SavedPC, t2.SavedPC, "but not the same saved pc")
}

func TestKitBackupStepsByTheOperandSize(t *testing.T) {
	kitBkCheckAll(t, []kitBkCase{
		{kitBkInst{name: "movb (r1)+, -(r2)", start: kitBkText,
			code: cputest.I(isa.MOVB, cputest.Inc(1), cputest.Dec(2)),
			regs: map[isa.Reg]uint32{1: kitBkA + 0xfff, 2: kitBkB + 1}},
			[]kitBkBreak{kitBkNP(kitBkA), kitBkNP(kitBkB), kitBkRO(kitBkB)}},
		{kitBkInst{name: "cmpb -(r1), (r2)+", start: kitBkText,
			code: cputest.I(isa.CMPB, cputest.Dec(1), cputest.Inc(2)),
			regs: map[isa.Reg]uint32{1: kitBkB, 2: kitBkC}},
			[]kitBkBreak{kitBkNP(kitBkA), kitBkNP(kitBkC)}},
		{kitBkInst{name: "movb @(r1)+, (r2)+ steps r1 by a pointer's 4", start: kitBkText,
			code: cputest.I(isa.MOVB, cputest.IncDef(1), cputest.Inc(2)),
			regs: map[isa.Reg]uint32{1: kitBkA + 0xffc, 2: kitBkB},
			mem:  map[uint32]uint32{kitBkA + 0xffc: kitBkC + 5}},
			[]kitBkBreak{kitBkNP(kitBkA), kitBkNP(kitBkC), kitBkNP(kitBkB), kitBkRO(kitBkB)}},
		{kitBkInst{name: "mov @(r1)+, -(r1)", start: kitBkText,
			code: cputest.I(isa.MOV, cputest.IncDef(1), cputest.Dec(1)),
			regs: map[isa.Reg]uint32{1: kitBkB},
			mem:  map[uint32]uint32{kitBkB: kitBkC + 8}},
			[]kitBkBreak{kitBkNP(kitBkB), kitBkNP(kitBkC), kitBkRO(kitBkB)}},
		{kitBkInst{name: "add3 (r1)+, (r1)+, (r1)+", start: kitBkText,
			code: cputest.I(isa.ADD3, cputest.Inc(1), cputest.Inc(1), cputest.Inc(1)),
			regs: map[isa.Reg]uint32{1: kitBkA + 0xffc},
			mem:  map[uint32]uint32{kitBkA + 0xffc: 3, kitBkB: 4}},
			[]kitBkBreak{kitBkNP(kitBkA), kitBkNP(kitBkB), kitBkRO(kitBkB)}},
	})
}

func TestKitBackupUndoesTheStackOperand(t *testing.T) {
	top := uint32(kitBkStack + 0xff8)
	kitBkCheckAll(t, []kitBkCase{
		{kitBkInst{name: "push (r1)+", start: kitBkText,
			code: cputest.I(isa.PUSH, cputest.Inc(1)),
			regs: map[isa.Reg]uint32{1: kitBkA}, mem: map[uint32]uint32{kitBkA: 9}},
			[]kitBkBreak{kitBkNP(kitBkA), kitBkNP(kitBkStack), kitBkRO(kitBkStack)}},
		{kitBkInst{name: "push -(sp)", start: kitBkText,
			code: cputest.I(isa.PUSH, cputest.Dec(isa.SP))},
			[]kitBkBreak{kitBkNP(kitBkStack), kitBkRO(kitBkStack)}},
		{kitBkInst{name: "pop (r1)+", start: kitBkText,
			code: cputest.I(isa.POP, cputest.Inc(1)),
			regs: map[isa.Reg]uint32{1: kitBkA, isa.SP: top}, mem: map[uint32]uint32{top: 9}},
			[]kitBkBreak{kitBkNP(kitBkStack), kitBkNP(kitBkA), kitBkRO(kitBkA)}},
		{kitBkInst{name: "pop -(sp)", start: kitBkText,
			code: cputest.I(isa.POP, cputest.Dec(isa.SP)),
			regs: map[isa.Reg]uint32{isa.SP: top}, mem: map[uint32]uint32{top: 9}},
			[]kitBkBreak{kitBkNP(kitBkStack), kitBkRO(kitBkStack)}},
		{kitBkInst{name: "pop (r1)+ across two text pages", start: kitBkText2 - 1,
			code: cputest.I(isa.POP, cputest.Inc(1)),
			regs: map[isa.Reg]uint32{1: kitBkA, isa.SP: top}, mem: map[uint32]uint32{top: 9}},
			[]kitBkBreak{kitBkNP(kitBkText2), kitBkNP(kitBkStack), kitBkNP(kitBkA)}},
		{kitBkInst{name: "push (r1)+ across two text pages", start: kitBkText2 - 1,
			code: cputest.I(isa.PUSH, cputest.Inc(1)),
			regs: map[isa.Reg]uint32{1: kitBkA}, mem: map[uint32]uint32{kitBkA: 9}},
			[]kitBkBreak{kitBkNP(kitBkText2), kitBkNP(kitBkA), kitBkNP(kitBkStack)}},
		{kitBkInst{name: "call @(r1)+", start: kitBkText,
			code: cputest.I(isa.CALL, cputest.IncDef(1)),
			regs: map[isa.Reg]uint32{1: kitBkA}, mem: map[uint32]uint32{kitBkA: kitBkText + 0x100}},
			[]kitBkBreak{kitBkNP(kitBkA), kitBkNP(kitBkStack), kitBkRO(kitBkStack)}},
		{kitBkInst{name: "call 8(r2)", start: kitBkText,
			code: cputest.I(isa.CALL, cputest.Disp(8, 2)),
			regs: map[isa.Reg]uint32{2: kitBkText + 0x200}},
			[]kitBkBreak{kitBkNP(kitBkStack), kitBkRO(kitBkStack)}},
		{kitBkInst{name: "ret", start: kitBkText,
			code: cputest.I(isa.RET),
			regs: map[isa.Reg]uint32{isa.SP: top}, mem: map[uint32]uint32{top: kitBkText + 0x100}},
			[]kitBkBreak{kitBkNP(kitBkText), kitBkNP(kitBkStack)}},
	})
}

// kitBkDisp is a displacement whose bytes read as the specifier of (r1)+.
var kitBkDisp uint32 = 0x21212121

func TestKitBackupStopsAtTheFirstOperandNotFetched(t *testing.T) {
	// Instructions with extension words, placed so that the second text
	// page starts at each of their bytes in turn: only the operands
	// whose specifier and extension lie wholly before it were fetched.
	// The extensions hold bytes that read as specifiers of (rN)+ and
	// -(rN): a decoder that does not skip them finds side effects that
	// never happened.
	insts := []kitBkInst{
		{name: "sub3 0x21212121(r1), (r2)+, -(r3)",
			code: cputest.I(isa.SUB3, cputest.Disp(0x21212121, 1), cputest.Inc(2), cputest.Dec(3)),
			regs: map[isa.Reg]uint32{1: kitBkA + 0x10 - kitBkDisp, 2: kitBkB, 3: kitBkC + 0x100}},
		{name: "add3 (r1)+, @0x4022, -(r2)",
			code: cputest.I(isa.ADD3, cputest.Inc(1), cputest.Abs(0x4022), cputest.Dec(2)),
			regs: map[isa.Reg]uint32{1: kitBkB, 2: kitBkC + 0x100}},
		{name: "mov #0x32323232, (r3)+",
			code: cputest.I(isa.MOV, cputest.Imm(0x32323232), cputest.Inc(3)),
			regs: map[isa.Reg]uint32{3: kitBkC}},
	}
	for _, in := range insts {
		for k := range uint32(len(in.code)) {
			in.start = kitBkText2 - k
			t.Run(fmt.Sprintf("%s/%d bytes before the page", in.name, k), func(t *testing.T) {
				tr := kitBkCheck(t, in, kitBkNP(kitBkText2))
				assert.Equal(t, uint32(kitBkText2), tr.SavedPC, "fetching stopped at the page")
			})
		}
	}
}

func TestKitBackupMovcKeepsItsProgress(t *testing.T) {
	kitBkCheckAll(t, []kitBkCase{
		{kitBkInst{name: "movc r1, r2, r3", start: kitBkText,
			code: cputest.I(isa.MOVC, cputest.R(1), cputest.R(2), cputest.R(3)),
			regs: map[isa.Reg]uint32{1: 8, 2: kitBkA + 0xffc, 3: kitBkC + 0xffe},
			mem:  map[uint32]uint32{kitBkA + 0xffc: 0x04030201, kitBkB: 0x08070605}},
			[]kitBkBreak{kitBkNP(kitBkB), kitBkNP(kitBkStack), kitBkRO(kitBkStack)}},
	})
}

func TestKitBackupAnUnreadableInstructionIsAnError(t *testing.T) {
	in := kitBkInst{name: "mov (r1)+, (r1)+", start: kitBkText,
		code: cputest.I(isa.MOV, cputest.Inc(1), cputest.Inc(1)),
		regs: map[isa.Reg]uint32{1: kitBkA + 0xffc}}
	m := in.machine(cpu.Decode)
	m.Map(kitBkB, kitBkNP(kitBkB).bits())
	m.CPU.Step()
	require.Len(t, m.Traps, 1)
	at, saved := m.CPU.R, m.CPU.SavedPC
	err := Backup(m.CPU, func(uint32) (byte, bool) { return 0, false })
	require.Error(t, err, "Backup cannot read the instruction: it must say so")
	assert.Equal(t, at, m.CPU.R, "a backup that fails changes no register")
	assert.Equal(t, saved, m.CPU.SavedPC, "a backup that fails leaves the saved pc")
}
