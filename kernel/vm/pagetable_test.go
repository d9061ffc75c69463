package vm

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"toyvm/isa"
	"toyvm/mmu"
)

// newPageTable returns an empty page table of process 1 in a memory of n
// frames, with the frame table it allocates from.
func newPageTable(t *testing.T, n int) (*PageTable, *mmu.Phys, *FrameTable) {
	t.Helper()
	phys, frames := mmu.NewPhys(n), NewFrameTable(n)
	pt, err := NewPageTable(phys, frames, 1)
	require.NoError(t, err)
	return pt, phys, frames
}

// userFrame allocates a frame for a user page, as the fault path does.
func userFrame(t *testing.T, frames *FrameTable, va mmu.VAddr) uint32 {
	t.Helper()
	f, ok := frames.Alloc(FrameMapped, 1)
	require.True(t, ok)
	return f
}

func TestNewPageTableTakesOneFrameForTheDirectory(t *testing.T) {
	pt, _, frames := newPageTable(t, 16)
	assert.Equal(t, 14, frames.FreeCount(), "15 frames were free at boot")
	assert.Equal(t, uint32(1)*mmu.PageSize, pt.CR3(), "the directory is in frame 1")
	assert.Equal(t, FrameKernel, frames.Get(1).State)
}

func TestNewPageTableWithNoFreeFrameFails(t *testing.T) {
	_, err := NewPageTable(mmu.NewPhys(1), NewFrameTable(1), 1)
	assert.ErrorIs(t, err, ErrOutOfMemory)
}

func TestMapCreatesThePageTableOnDemandAndTheMMUWalkSeesTheMapping(t *testing.T) {
	pt, phys, frames := newPageTable(t, 16)
	va := mmu.VAddr(0x00401234)
	require.Equal(t, mmu.LevelDirectory, pt.Lookup(va).Level, "no page table yet")
	free := frames.FreeCount()
	f := userFrame(t, frames, va)

	require.NoError(t, pt.Map(va, f, mmu.U|mmu.W))

	assert.Equal(t, free-2, frames.FreeCount(), "the user frame and one page table")
	w := phys.Walk(pt.CR3(), va)
	assert.Equal(t, mmu.LevelTable, w.Level)
	assert.True(t, w.PDE.Has(mmu.P|mmu.W|mmu.U))
	assert.Equal(t, mmu.NewPTE(f, mmu.V|mmu.P|mmu.W|mmu.U), w.PTE)
	m := mmu.New(phys, mmu.Config{TLBSize: 4})
	m.SetCR3(pt.CR3())
	pa, ok := m.Translate(va, isa.Write, true)
	require.True(t, ok, "%v", m.LastFault())
	assert.Equal(t, mmu.PAddr(f)*mmu.PageSize+0x234, pa)
}

func TestMapOfASecondPageInTheSameTableTakesNoNewTable(t *testing.T) {
	pt, _, frames := newPageTable(t, 16)
	require.NoError(t, pt.Map(0x1000, userFrame(t, frames, 0x1000), mmu.U))
	free := frames.FreeCount()
	require.NoError(t, pt.Map(0x2000, userFrame(t, frames, 0x2000), mmu.U))
	assert.Equal(t, free-1, frames.FreeCount(), "only the user frame")
}

func TestMapFailsWhenNoFrameIsLeftForThePageTable(t *testing.T) {
	pt, _, frames := newPageTable(t, 3) // frame 1: directory, frame 2: the user page
	f := userFrame(t, frames, 0x1000)
	assert.ErrorIs(t, pt.Map(0x1000, f, mmu.U), ErrOutOfMemory)
	assert.Equal(t, mmu.LevelDirectory, pt.Lookup(0x1000).Level, "nothing was installed")
}

func TestReadOnlyMappingRefusesAUserWrite(t *testing.T) {
	pt, phys, frames := newPageTable(t, 16)
	require.NoError(t, pt.Map(0x1000, userFrame(t, frames, 0x1000), mmu.U))
	m := mmu.New(phys, mmu.Config{TLBSize: 4})
	m.SetCR3(pt.CR3())
	_, ok := m.Translate(0x1000, isa.Write, true)
	require.False(t, ok)
	assert.Equal(t, isa.Protection, m.LastFault().Cause)
}

func TestUnmapKeepsTheEntryValidButNotPresent(t *testing.T) {
	pt, phys, frames := newPageTable(t, 16)
	f := userFrame(t, frames, 0x1000)
	require.NoError(t, pt.Map(0x1000, f, mmu.U|mmu.W))

	old := pt.Unmap(0x1000)

	assert.Equal(t, mmu.NewPTE(f, mmu.V|mmu.P|mmu.U|mmu.W), old, "the entry as it was")
	pte := pt.Lookup(0x1000).PTE
	assert.True(t, pte.Has(mmu.V|mmu.U|mmu.W))
	assert.False(t, pte.Has(mmu.P))
	m := mmu.New(phys, mmu.Config{TLBSize: 4})
	m.SetCR3(pt.CR3())
	_, ok := m.Translate(0x1000, isa.Read, true)
	require.False(t, ok)
	assert.Equal(t, isa.NotPresent, m.LastFault().Cause, "a legal page fault, not INVALID")
}

func TestUnmapWithoutAPageTableReturnsZeroAndAllocatesNothing(t *testing.T) {
	pt, _, frames := newPageTable(t, 16)
	free := frames.FreeCount()
	assert.Equal(t, mmu.PTE(0), pt.Unmap(0x00800000))
	assert.Equal(t, free, frames.FreeCount())
}

func TestSetWritesAValidNotPresentEntry(t *testing.T) {
	pt, _, _ := newPageTable(t, 16)
	require.NoError(t, pt.Set(0x3000, mmu.NewPTE(0, mmu.V|mmu.U)))
	w := pt.Lookup(0x3000)
	assert.True(t, w.Valid())
	assert.False(t, w.PTE.Has(mmu.P))
}

func TestFreeReleasesTheDirectoryAndEveryPageTable(t *testing.T) {
	pt, _, frames := newPageTable(t, 16)
	boot := frames.FreeCount() + 1 // before the directory
	var user []uint32
	for _, va := range []mmu.VAddr{0x1000, 0x00400000, 0x7FFFF000} { // three page tables
		f := userFrame(t, frames, va)
		user = append(user, f)
		require.NoError(t, pt.Map(va, f, mmu.U))
	}
	require.Equal(t, boot-1-3-3, frames.FreeCount())

	for _, f := range user { // the address space frees its pages first
		frames.Release(f)
	}
	pt.Free()

	assert.Equal(t, boot, frames.FreeCount())
	for f := 1; f < frames.Len(); f++ {
		assert.Equal(t, FrameFree, frames.Get(uint32(f)).State, "frame %d", f)
	}
}

func TestPageTableStringNamesTheDirectory(t *testing.T) {
	pt, _, _ := newPageTable(t, 4)
	assert.Equal(t, "page directory at 0x1000", pt.String())
}
