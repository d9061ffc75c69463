package kernel

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"toyvm/isa"
	"toyvm/mmu"
)

// newSpace returns an empty address space of process 1 in a memory of 64
// frames.
func newSpace(t *testing.T, softDirty bool) (*AddressSpace, *FrameTable) {
	t.Helper()
	pt, _, frames := newPageTable(t, 64)
	return &AddressSpace{PT: pt, softDirty: softDirty}, frames
}

func region(name string, start, end uint32, prot Prot) *Region {
	return &Region{Name: name, Start: mmu.VAddr(start), End: mmu.VAddr(end), Prot: prot, Backing: ZeroFill{}}
}

func TestAddRegionMarksEveryPageValidButNotPresent(t *testing.T) {
	as, _ := newSpace(t, false)
	require.NoError(t, as.AddRegion(region("data", 0x2000, 0x5000, ProtRead|ProtWrite)))
	for va := uint32(0x2000); va < 0x5000; va += isa.PageSize {
		pte := as.PT.Lookup(mmu.VAddr(va)).PTE
		assert.True(t, pte.Has(mmu.V|mmu.U|mmu.W), "%#x: %v", va, pte)
		assert.False(t, pte.Has(mmu.P), "%#x: nothing is loaded ahead of time", va)
	}
	assert.False(t, as.PT.Lookup(0x1000).Valid(), "the page below")
	assert.False(t, as.PT.Lookup(0x5000).Valid(), "the page after the end")
}

func TestAddRegionOfAReadOnlyRegionLeavesWClear(t *testing.T) {
	as, _ := newSpace(t, false)
	require.NoError(t, as.AddRegion(region("text", 0x1000, 0x2000, ProtRead)))
	pte := as.PT.Lookup(0x1000).PTE
	assert.True(t, pte.Has(mmu.V|mmu.U))
	assert.False(t, pte.Has(mmu.W))
}

func TestAddRegionUnderSoftwareDirtyBitsMapsWritablePagesReadOnly(t *testing.T) {
	as, _ := newSpace(t, true)
	require.NoError(t, as.AddRegion(region("data", 0x2000, 0x3000, ProtRead|ProtWrite)))
	assert.False(t, as.PT.Lookup(0x2000).PTE.Has(mmu.W), "the first write must trap")
}

func TestAddRegionRefusesOverlappingRegions(t *testing.T) {
	as, _ := newSpace(t, false)
	require.NoError(t, as.AddRegion(region("data", 0x2000, 0x5000, ProtRead|ProtWrite)))
	for _, r := range []*Region{
		region("inside", 0x3000, 0x4000, ProtRead),
		region("over the start", 0x1000, 0x3000, ProtRead),
		region("over the end", 0x4000, 0x6000, ProtRead),
		region("around", 0x1000, 0x6000, ProtRead),
		region("same", 0x2000, 0x5000, ProtRead),
	} {
		err := as.AddRegion(r)
		require.Error(t, err, r.Name)
		assert.Equal(t, "region "+r.Name+" overlaps data", err.Error())
	}
	assert.Len(t, as.Regions, 1)
}

func TestAddRegionAcceptsAdjacentRegions(t *testing.T) {
	as, _ := newSpace(t, false)
	require.NoError(t, as.AddRegion(region("text", 0x1000, 0x2000, ProtRead)))
	require.NoError(t, as.AddRegion(region("data", 0x2000, 0x3000, ProtRead|ProtWrite)))
	assert.Equal(t, "text", as.Region(0x1FFF).Name)
	assert.Equal(t, "data", as.Region(0x2000).Name)
	assert.Nil(t, as.Region(0x3000))
	assert.Nil(t, as.Region(0))
}

func TestDestroyFreesPagesAndPageTables(t *testing.T) {
	as, frames := newSpace(t, false)
	boot := frames.FreeCount() + 1
	require.NoError(t, as.AddRegion(region("data", 0x2000, 0x4000, ProtRead|ProtWrite)))
	require.NoError(t, as.AddRegion(region("stack", isa.StackTop-pages(2), isa.StackTop, ProtRead|ProtWrite)))
	f := userFrame(t, frames, 0x3000)
	require.NoError(t, as.PT.Map(0x3000, f, mmu.U|mmu.W))

	as.Destroy(frames)

	assert.Equal(t, boot, frames.FreeCount())
	assert.Empty(t, as.Regions)
}

func TestRegionOffsetIsFromTheRegionStartToThePage(t *testing.T) {
	r := region("data", 0x2000, 0x5000, ProtRead)
	assert.Equal(t, uint32(0), r.Offset(0x2000))
	assert.Equal(t, uint32(0x1000), r.Offset(0x3FFF))
	assert.True(t, r.Contains(0x4FFF))
	assert.False(t, r.Contains(0x5000))
	assert.Equal(t, "data 0x00002000-0x00005000 r- zero", r.String())
}

func TestProtAllowsFetchAndReadWithRAndWriteWithW(t *testing.T) {
	assert.True(t, ProtRead.Allows(isa.Fetch))
	assert.True(t, ProtRead.Allows(isa.Read))
	assert.False(t, ProtRead.Allows(isa.Write))
	assert.True(t, (ProtRead | ProtWrite).Allows(isa.Write))
	assert.Equal(t, "rw", (ProtRead | ProtWrite).String())
	assert.Equal(t, "--", Prot(0).String())
}

func TestImageDataFillsItsBytesThenZeros(t *testing.T) {
	b := ImageData{Data: append(make([]byte, isa.PageSize), 1, 2, 3)}
	page := make([]byte, isa.PageSize)
	for i := range page {
		page[i] = 0xAA
	}
	b.Fill(page, isa.PageSize)
	assert.Equal(t, []byte{1, 2, 3, 0, 0}, page[:5])
	assert.Equal(t, byte(0), page[isa.PageSize-1])
	b.Fill(page, 2*isa.PageSize)
	assert.Equal(t, make([]byte, isa.PageSize), page, "past the data: all zeros")
	assert.Equal(t, "image", b.Kind())
	assert.Equal(t, "zero", ZeroFill{}.Kind())
}
