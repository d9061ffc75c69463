package mmu

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"toyvm/isa"
)

const page = VAddr(0x00401000) // directory index 1, table index 1

func TestWalkReadsBothLevels(t *testing.T) {
	tm := newTestMem(t, 8)
	s := tm.newSpace()
	frame := s.mapPage(page, V|P|U)
	w := tm.phys.Walk(s.cr3(0), page+0x123)
	require.Equal(t, LevelTable, w.Level)
	assert.Equal(t, PAddr(s.dir<<12+4), w.PDEAddr)
	assert.Equal(t, NewPDE(w.PDE.Frame(), P|W|U), w.PDE)
	assert.Equal(t, PAddr(w.PDE.Frame()<<12+4), w.PTEAddr)
	assert.Equal(t, NewPTE(frame, V|P|U), w.PTE)
	assert.Equal(t, PAddr(frame<<12|0x123), w.PAddr())
	assert.Equal(t, isa.CauseNone, w.Check(isa.Read, true))
	assert.Equal(t, "va 0x00401123: pde[1] at 0x00001004 = table 0x00002 P W U; "+
		"pte[1] at 0x00002004 = frame 0x00003 V P - U - -", w.String())
}

func TestWalkIgnoresTheASIDBitsOfCR3(t *testing.T) {
	tm := newTestMem(t, 8)
	s := tm.newSpace()
	s.mapPage(page, V|P)
	assert.Equal(t, s.walk(page), tm.phys.Walk(s.cr3(0xABC), page))
}

func TestWalkWithoutPageTableFaultsInvalid(t *testing.T) {
	tm := newTestMem(t, 8)
	s := tm.newSpace()
	w := s.walk(page)
	assert.Equal(t, LevelDirectory, w.Level)
	assert.Zero(t, w.PTEAddr)
	assert.Equal(t, isa.Invalid, w.Check(isa.Read, false))
	assert.Equal(t, "va 0x00401000: pde[1] at 0x00001004 = table 0x00000 - - -; no page table", w.String())
	m := newMMU(tm, s, Config{})
	requireFault(t, m, page, isa.Read, false, isa.Invalid)
}

func TestWalkWithValidClearFaultsInvalid(t *testing.T) {
	tm := newTestMem(t, 8)
	s := tm.newSpace()
	s.mapPage(page, P|W|U) // not V, so neither W nor P matters
	assert.Equal(t, isa.Invalid, s.walk(page).Check(isa.Write, true))
	requireFault(t, newMMU(tm, s, Config{}), page, isa.Write, true, isa.Invalid)
}

func TestWalkWithPresentClearFaultsNotPresent(t *testing.T) {
	tm := newTestMem(t, 8)
	s := tm.newSpace()
	s.mapPage(page, V|W|U)
	requireFault(t, newMMU(tm, s, Config{}), page, isa.Write, true, isa.NotPresent)
}

func TestProtectionIsCheckedBeforePresence(t *testing.T) {
	tm := newTestMem(t, 8)
	s := tm.newSpace()
	s.mapPage(page, V|U) // read-only and not present
	requireFault(t, newMMU(tm, s, Config{}), page, isa.Write, true, isa.Protection)
}

func TestUserAccessToSupervisorPageFaultsProtection(t *testing.T) {
	tm := newTestMem(t, 8)
	s := tm.newSpace()
	s.mapPage(page, V|P|W)
	m := newMMU(tm, s, Config{})
	for _, acc := range []isa.Access{isa.Read, isa.Write, isa.Fetch} {
		requireFault(t, m, page, acc, true, isa.Protection)
		mustTranslate(t, m, page, acc, false)
	}
}

func TestUserAccessThroughSupervisorDirectoryFaultsProtection(t *testing.T) {
	tm := newTestMem(t, 8)
	s := tm.newSpace()
	s.mapPage(page, V|P|W|U)
	s.setPDE(page, P|W)
	m := newMMU(tm, s, Config{})
	requireFault(t, m, page, isa.Read, true, isa.Protection)
	mustTranslate(t, m, page, isa.Read, false)
}

func TestWriteToReadOnlyPageFaultsProtection(t *testing.T) {
	tm := newTestMem(t, 8)
	s := tm.newSpace()
	s.mapPage(page, V|P|U)
	m := newMMU(tm, s, Config{})
	requireFault(t, m, page, isa.Write, true, isa.Protection)
	requireFault(t, m, page, isa.Write, false, isa.Protection) // supervisor too
	mustTranslate(t, m, page, isa.Read, true)
}

func TestWriteThroughReadOnlyDirectoryFaultsProtection(t *testing.T) {
	tm := newTestMem(t, 8)
	s := tm.newSpace()
	s.mapPage(page, V|P|W|U)
	s.setPDE(page, P|U)
	m := newMMU(tm, s, Config{})
	requireFault(t, m, page, isa.Write, true, isa.Protection)
	requireFault(t, m, page, isa.Write, false, isa.Protection)
	mustTranslate(t, m, page, isa.Read, true)
}

func TestFetchIsCheckedAsARead(t *testing.T) {
	tm := newTestMem(t, 8)
	s := tm.newSpace()
	frame := s.mapPage(page, V|P|U) // read-only text
	m := newMMU(tm, s, Config{})
	assert.Equal(t, PAddr(frame<<12|0x10), mustTranslate(t, m, page+0x10, isa.Fetch, true))
	s.setPTE(page, NewPTE(frame, V|U))
	m.FlushTLB()
	requireFault(t, m, page, isa.Fetch, true, isa.NotPresent)
}

func TestLevelNamesTheStepThatStoppedTheWalk(t *testing.T) {
	assert.Equal(t, "directory", LevelDirectory.String())
	assert.Equal(t, "table", LevelTable.String())
	assert.Equal(t, "level(9)", Level(9).String())
}

func TestEntryAddrAndPageOfAreTheWalksArithmetic(t *testing.T) {
	va := VAddr(0x12345678)
	w := newTestMem(t, 8).phys.Walk(0x3000, va)
	assert.Equal(t, EntryAddr(0x3000, va.Dir()), w.PDEAddr)
	assert.Equal(t, PAddr(0x3000+4*0x48), EntryAddr(0x3000, 0x48))
	assert.Equal(t, VAddr(0x12345000), PageOf(va.Dir(), va.Table()))
}
