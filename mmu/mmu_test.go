package mmu

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"toyvm/isa"
)

func TestHardwareSetsAccessedOnFirstRead(t *testing.T) {
	tm := newTestMem(t, 8)
	s := tm.newSpace()
	s.mapPage(page, V|P|W|U)
	m := newMMU(tm, s, Config{})
	mustTranslate(t, m, page, isa.Read, true)
	assert.Equal(t, V|P|W|U|A, s.pte(page).Bits(), "A set, D still clear")
}

func TestHardwareSetsDirtyOnFirstWrite(t *testing.T) {
	tm := newTestMem(t, 8)
	s := tm.newSpace()
	s.mapPage(page, V|P|W|U)
	m := newMMU(tm, s, Config{})
	mustTranslate(t, m, page, isa.Write, true)
	assert.Equal(t, V|P|W|U|A|D, s.pte(page).Bits())
}

func TestWriteHitOnCleanEntrySetsDirty(t *testing.T) {
	tm := newTestMem(t, 8)
	s := tm.newSpace()
	s.mapPage(page, V|P|W|U)
	m := newMMU(tm, s, Config{})
	mustTranslate(t, m, page, isa.Read, true)
	mustTranslate(t, m, page+4, isa.Write, true)
	assert.Equal(t, V|P|W|U|A|D, s.pte(page).Bits())
	assert.Equal(t, TLBStats{Hits: 1, Misses: 1, Walks: 1, Flushes: 1}, m.Stats())
	assert.True(t, m.TLBEntries()[0].D)
}

func TestSoftwareDirtyLeavesAccessedAndDirtyClear(t *testing.T) {
	tm := newTestMem(t, 8)
	s := tm.newSpace()
	s.mapPage(page, V|P|W|U)
	m := newMMU(tm, s, Config{SoftwareDirty: true})
	mustTranslate(t, m, page, isa.Read, true)
	mustTranslate(t, m, page, isa.Write, true)
	m.FlushTLB()
	mustTranslate(t, m, page, isa.Write, true)
	mustTranslate(t, m, page, isa.Write, true)
	assert.Equal(t, V|P|W|U, s.pte(page).Bits())
}

func TestCR3WriteFlushesStaleEntry(t *testing.T) {
	tm := newTestMem(t, 8)
	s := tm.newSpace()
	old := s.mapPage(page, V|P|W|U)
	m := newMMU(tm, s, Config{})
	assert.Equal(t, PAddr(old<<12), mustTranslate(t, m, page, isa.Read, true))
	moved := tm.alloc()
	s.setPTE(page, NewPTE(moved, V|P|W|U|A))
	assert.Equal(t, PAddr(old<<12), mustTranslate(t, m, page, isa.Read, true), "stale until cr3 is written")
	assert.Equal(t, PAddr(old<<12+8), mustTranslate(t, m, page+8, isa.Write, true), "stale for writes too")
	m.SetCR3(m.CR3())
	assert.Equal(t, PAddr(moved<<12), mustTranslate(t, m, page, isa.Read, true))
	assert.Equal(t, uint64(2), m.Stats().Flushes)
}

func TestASIDEntriesSurviveASwitch(t *testing.T) {
	tm := newTestMem(t, 16)
	a, b := tm.newSpace(), tm.newSpace()
	fa, fb := a.mapPage(page, V|P|U), b.mapPage(page, V|P|U)
	m := New(tm.phys, Config{TLBSize: 4, ASID: true})
	m.SetCR3(a.cr3(1))
	assert.Equal(t, PAddr(fa<<12), mustTranslate(t, m, page, isa.Read, true))
	m.SetCR3(b.cr3(2))
	assert.Equal(t, uint16(2), m.ASID())
	assert.Equal(t, PAddr(fb<<12), mustTranslate(t, m, page, isa.Read, true), "no leak from ASID 1")
	m.SetCR3(a.cr3(1))
	assert.Equal(t, PAddr(fa<<12), mustTranslate(t, m, page, isa.Read, true))
	assert.Equal(t, TLBStats{Hits: 1, Misses: 2, Walks: 2}, m.Stats())
	assert.Equal(t, []TLBEntry{
		{Valid: true, ASID: 1, VPN: page.VPN(), Frame: fa, U: true},
		{Valid: true, ASID: 2, VPN: page.VPN(), Frame: fb, U: true}, {}, {}}, m.TLBEntries())
}

func TestASIDEntriesDoNotLeakAcrossASIDs(t *testing.T) {
	tm := newTestMem(t, 16)
	a, b := tm.newSpace(), tm.newSpace()
	a.mapPage(page, V|P|W|U)
	m := New(tm.phys, Config{TLBSize: 4, ASID: true})
	m.SetCR3(a.cr3(1))
	mustTranslate(t, m, page, isa.Write, true)
	m.SetCR3(b.cr3(2))
	requireFault(t, m, page, isa.Read, true, isa.Invalid)
	m.InvalidatePage(page) // invalidates ASID 2's entry only
	m.SetCR3(a.cr3(1))
	mustTranslate(t, m, page, isa.Write, true)
	assert.Equal(t, TLBStats{Hits: 1, Misses: 2, Walks: 2}, m.Stats(), "ASID 1's entry survived")
}

func TestInvalidatePageLeavesOtherEntries(t *testing.T) {
	tm := newTestMem(t, 8)
	s := tm.newSpace()
	s.mapPage(page, V|P|U)
	s.mapPage(page+PageSize, V|P|U)
	m := newMMU(tm, s, Config{TLBSize: 4})
	mustTranslate(t, m, page, isa.Read, true)
	mustTranslate(t, m, page+PageSize, isa.Read, true)
	m.InvalidatePage(page + 0x234)
	mustTranslate(t, m, page+PageSize, isa.Read, true)
	mustTranslate(t, m, page, isa.Read, true)
	assert.Equal(t, TLBStats{Hits: 1, Misses: 3, Walks: 3, Flushes: 1}, m.Stats())
}

func TestTLBSmallerThanWorkingSetReplacesRoundRobin(t *testing.T) {
	tm := newTestMem(t, 16)
	s := tm.newSpace()
	pages := make([]VAddr, 5)
	for i := range pages {
		pages[i] = page + VAddr(i*PageSize)
		s.mapPage(pages[i], V|P|U)
	}
	m := newMMU(tm, s, Config{TLBSize: 4})
	for _, i := range []int{0, 1, 2, 3, 0, 4, 0} { // 4 evicts 0 (slot 0), then 0 evicts 1 (slot 1)
		mustTranslate(t, m, pages[i], isa.Read, true)
	}
	assert.Equal(t, TLBStats{Hits: 1, Misses: 6, Walks: 6, Flushes: 1}, m.Stats())
	vpns := []uint32{}
	for _, e := range m.TLBEntries() {
		vpns = append(vpns, e.VPN)
	}
	assert.Equal(t, []uint32{pages[4].VPN(), pages[0].VPN(), pages[2].VPN(), pages[3].VPN()}, vpns)
}

func TestCyclicWorkingSetLargerThanTLBAlwaysMisses(t *testing.T) {
	tm := newTestMem(t, 16)
	s := tm.newSpace()
	for i := range 5 {
		s.mapPage(page+VAddr(i*PageSize), V|P|U)
	}
	m := newMMU(tm, s, Config{TLBSize: 4})
	for range 3 {
		for i := range 5 {
			mustTranslate(t, m, page+VAddr(i*PageSize), isa.Read, true)
		}
	}
	assert.Equal(t, TLBStats{Misses: 15, Walks: 15, Flushes: 1}, m.Stats())
}

func TestSoftwareRefillMissFaultsTLBMissUntilKernelInserts(t *testing.T) {
	tm := newTestMem(t, 8)
	s := tm.newSpace()
	frame := s.mapPage(page, V|P|W|U)
	m := newMMU(tm, s, Config{SoftwareRefill: true})
	requireFault(t, m, page+4, isa.Write, true, isa.TLBMiss)
	m.InsertTLB(page+4, s.pte(page))
	assert.Equal(t, PAddr(frame<<12+4), mustTranslate(t, m, page+4, isa.Write, true))
	assert.Equal(t, TLBStats{Hits: 1, Misses: 1, Flushes: 1}, m.Stats(), "the hardware never walks")
	assert.Equal(t, V|P|W|U, s.pte(page).Bits(), "nor sets A or D")
}

func TestInsertTLBReplacesThePagesEntryInPlace(t *testing.T) {
	tm := newTestMem(t, 8)
	s := tm.newSpace()
	m := newMMU(tm, s, Config{TLBSize: 2, SoftwareRefill: true})
	m.InsertTLB(page, NewPTE(5, V|P|U))
	mustTranslate(t, m, page, isa.Read, true)
	m.InsertTLB(page, NewPTE(6, V|P|W|U|D))
	assert.Equal(t, PAddr(6<<12), mustTranslate(t, m, page, isa.Write, true))
	assert.Equal(t, []TLBEntry{{Valid: true, VPN: page.VPN(), Frame: 6, W: true, U: true, D: true}, {}},
		m.TLBEntries())
	assert.Panics(t, func() { m.InsertTLB(page, NewPTE(6, V|W)) })
}

func TestHitOnEntryThatForbidsTheAccessFaultsProtection(t *testing.T) {
	tm := newTestMem(t, 8)
	s := tm.newSpace()
	s.mapPage(page, V|P|W)
	m := newMMU(tm, s, Config{})
	mustTranslate(t, m, page, isa.Read, false)
	s.setPTE(page, s.pte(page).With(U)) // the stale entry still says supervisor only
	requireFault(t, m, page, isa.Read, true, isa.Protection)
	assert.Equal(t, TLBStats{Hits: 1, Misses: 1, Walks: 1, Flushes: 1}, m.Stats())
}

func TestMicroTLBHitsCountAsTLBHits(t *testing.T) {
	tm := newTestMem(t, 8)
	s := tm.newSpace()
	s.mapPage(page, V|P|W|U)
	m := newMMU(tm, s, Config{})
	for i := range 10 {
		mustTranslate(t, m, page+VAddr(i), isa.Fetch, true)
		mustTranslate(t, m, page+VAddr(i), isa.Write, true)
	}
	assert.Equal(t, TLBStats{Hits: 19, Misses: 1, Walks: 1, Flushes: 1}, m.Stats())
}

func TestMicroTLBForgetsEveryTLBChange(t *testing.T) {
	changes := map[string]func(m *MMU){
		"flush":      func(m *MMU) { m.FlushTLB() },
		"invalidate": func(m *MMU) { m.InvalidatePage(page) },
		"cr3":        func(m *MMU) { m.SetCR3(m.CR3()) },
		"insert":     func(m *MMU) { m.InsertTLB(page, NewPTE(7, V|P|U)) },
	}
	for name, change := range changes {
		t.Run(name, func(t *testing.T) {
			tm := newTestMem(t, 8)
			s := tm.newSpace()
			s.mapPage(page, V|P|U)
			m := newMMU(tm, s, Config{})
			mustTranslate(t, m, page, isa.Read, true)
			s.setPTE(page, NewPTE(7, V|P|U))
			change(m)
			assert.Equal(t, PAddr(7<<12), mustTranslate(t, m, page, isa.Read, true))
		})
	}
}

func TestMicroTLBIsPerMode(t *testing.T) {
	tm := newTestMem(t, 8)
	s := tm.newSpace()
	s.mapPage(page, V|P|W)
	m := newMMU(tm, s, Config{})
	mustTranslate(t, m, page, isa.Read, false)
	mustTranslate(t, m, page, isa.Read, false)
	requireFault(t, m, page, isa.Read, true, isa.Protection)
}

func TestEvictionOfAnEntryClearsTheMicroTLB(t *testing.T) {
	tm := newTestMem(t, 8)
	s := tm.newSpace()
	s.mapPage(page, V|P|U)
	s.mapPage(page+PageSize, V|P|U)
	m := newMMU(tm, s, Config{TLBSize: 1})
	mustTranslate(t, m, page, isa.Read, true)
	mustTranslate(t, m, page+PageSize, isa.Fetch, true) // evicts page
	s.setPTE(page, NewPTE(7, V|P|U))
	assert.Equal(t, PAddr(7<<12), mustTranslate(t, m, page, isa.Read, true))
}

func TestLastFaultIsNilUntilAFaultAndACopy(t *testing.T) {
	tm := newTestMem(t, 8)
	s := tm.newSpace()
	m := newMMU(tm, s, Config{})
	assert.Nil(t, m.LastFault())
	requireFault(t, m, 0x1234, isa.Fetch, true, isa.Invalid)
	f := m.LastFault()
	f.Addr = 0
	assert.Equal(t, VAddr(0x1234), m.LastFault().Addr)
	assert.EqualError(t, m.LastFault(), "INVALID fault: user fetch at 0x00001234")
	requireFault(t, m, 0x8000, isa.Write, false, isa.Invalid)
	assert.EqualError(t, m.LastFault(), "INVALID fault: supervisor write at 0x00008000")
}

func TestTLBEntryStringShowsEveryField(t *testing.T) {
	e := TLBEntry{Valid: true, ASID: 1, VPN: 0x401, Frame: 0x12, W: true, U: true}
	assert.Equal(t, "valid asid 0x001 vpn 0x00401 frame 0x00012 W U -", e.String())
	assert.Equal(t, "invalid", TLBEntry{}.String())
}

func TestConfigValidateBoundsTheTLBSize(t *testing.T) {
	assert.NoError(t, Config{TLBSize: 1}.Validate())
	assert.NoError(t, Config{TLBSize: MaxTLBSize}.Validate())
	assert.EqualError(t, Config{}.Validate(), "TLB size 0: want 1 to 4096 entries")
	assert.Error(t, Config{TLBSize: MaxTLBSize + 1}.Validate())
	assert.PanicsWithValue(t, "mmu.New: TLB size 0: want 1 to 4096 entries",
		func() { New(NewPhys(1), Config{}) })
}

func TestCR3WithoutASIDsKeepsASIDZero(t *testing.T) {
	m := New(NewPhys(1), Config{TLBSize: 1})
	m.SetCR3(0x5007)
	assert.Equal(t, uint32(0x5007), m.CR3())
	assert.Equal(t, uint16(0), m.ASID())
	assert.Equal(t, Config{TLBSize: 1}, m.Config())
	assert.NotNil(t, m.Phys())
}

func TestTranslateHitAllocatesNothing(t *testing.T) {
	m, va := hitMMU(t)
	allocs := testing.AllocsPerRun(100, func() {
		m.Translate(va, isa.Read, true)
		m.Translate(va, isa.Write, true)
		m.InvalidatePage(va)
		m.Translate(va, isa.Fetch, true)
	})
	require.Zero(t, allocs)
}

// hitMMU returns an MMU whose TLB holds the page it returns.
func hitMMU(tb testing.TB) (*MMU, VAddr) {
	tm := newTestMem(tb, 8)
	s := tm.newSpace()
	s.mapPage(page, V|P|W|U)
	m := New(tm.phys, Config{TLBSize: 16})
	m.SetCR3(s.cr3(0))
	return m, page
}

func BenchmarkTranslateHit(b *testing.B) {
	m, va := hitMMU(b)
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		if _, ok := m.Translate(va+VAddr(i&0xFFC), isa.Access(i&1), true); !ok {
			b.Fatal(m.LastFault())
		}
	}
}

// BenchmarkTranslateMixed makes the accesses of a typical instruction
// stream: fetch from text, read data, read and write the stack.
func BenchmarkTranslateMixed(b *testing.B) {
	tm := newTestMem(b, 16)
	s := tm.newSpace()
	text, data, stack := VAddr(isa.TextBase), VAddr(0x3000), VAddr(isa.StackTop-PageSize)
	s.mapPage(text, V|P|U)
	s.mapPage(data, V|P|W|U)
	s.mapPage(stack, V|P|W|U)
	m := New(tm.phys, Config{TLBSize: 16})
	m.SetCR3(s.cr3(0))
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		off := VAddr(i & 0xFFC)
		m.Translate(text+off, isa.Fetch, true)
		m.Translate(data+off, isa.Read, true)
		m.Translate(stack+off, isa.Read, true)
		if _, ok := m.Translate(stack+off, isa.Write, true); !ok {
			b.Fatal(m.LastFault())
		}
	}
}

func TestDirtyIsSetAgainAfterTheKernelCleansThePage(t *testing.T) {
	tm := newTestMem(t, 8)
	s := tm.newSpace()
	s.mapPage(page, V|P|W|U)
	m := newMMU(tm, s, Config{})
	mustTranslate(t, m, page, isa.Write, true)
	s.setPTE(page, s.pte(page).Without(D)) // written back to disk
	m.InvalidatePage(page)
	mustTranslate(t, m, page, isa.Read, true)
	assert.False(t, s.pte(page).Has(D))
	mustTranslate(t, m, page, isa.Write, true)
	assert.True(t, s.pte(page).Has(D))
}

func TestMicroTLBSlotsSeparateModesKindsAndPages(t *testing.T) {
	seen := map[uint]bool{}
	for _, user := range []bool{false, true} {
		for _, acc := range []isa.Access{isa.Read, isa.Write, isa.Fetch} {
			for vpn := range uint32(microWays) {
				i := microIndex(vpn, acc, user)
				assert.False(t, seen[i], "slot %d reused", i)
				assert.Less(t, i, uint(microSlots))
				seen[i] = true
			}
		}
	}
}

func TestOnWalkIsToldOfEveryHardwareWalkAndOnlyOfWalks(t *testing.T) {
	tm := newTestMem(t, 8)
	s := tm.newSpace()
	s.mapPage(page, V|P|U)
	m := newMMU(tm, s, Config{})
	type walk struct {
		va    VAddr
		bits  Bits
		fault isa.Cause
	}
	var walks []walk
	m.OnWalk = func(va VAddr, pte PTE, fault isa.Cause) { walks = append(walks, walk{va, pte.Bits(), fault}) }
	mustTranslate(t, m, page, isa.Read, true)
	mustTranslate(t, m, page+4, isa.Read, true) // a hit: no walk
	requireFault(t, m, 0, isa.Read, true, isa.Invalid)
	assert.Equal(t, []walk{{page, V | P | U, isa.CauseNone}, {0, 0, isa.Invalid}}, walks,
		"the PTE as the walk found it, before A")
}
