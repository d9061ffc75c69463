package vm

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
	return &AddressSpace{PT: pt, SoftDirty: softDirty}, frames
}

func region(name string, start, end uint32, prot Prot) *Region {
	return &Region{Name: name, Start: mmu.VAddr(start), End: mmu.VAddr(end), Prot: prot,
		Object: NewObject(name, ZeroSource{}, true), Origin: mmu.VAddr(start), Floor: mmu.VAddr(start)}
}

func TestAddRegionMapsNothingAheadOfTime(t *testing.T) {
	as, frames := newSpace(t, false)
	free := frames.FreeCount()
	require.NoError(t, as.AddRegion(region("data", 0x2000, 0x5000, ProtRead|ProtWrite)))
	for va := uint32(0x1000); va <= 0x5000; va += isa.PageSize {
		assert.False(t, as.PT.Lookup(mmu.VAddr(va)).Valid(), "%#x: nothing is mapped before it is touched", va)
	}
	assert.Equal(t, free, frames.FreeCount(), "not even a page table")
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

func TestRegionIndexCountsPagesFromItsOrigin(t *testing.T) {
	r := region("data", 0x2000, 0x5000, ProtRead)
	assert.Equal(t, uint32(0), r.Index(0x2000))
	assert.Equal(t, uint32(1), r.Index(0x3FFF))
	assert.True(t, r.Contains(0x4FFF))
	assert.False(t, r.Contains(0x5000))
	assert.Equal(t, "data   0x00002000-0x00005000 r- zero", r.String())
}

func TestProtAllowsFetchAndReadWithRAndWriteWithW(t *testing.T) {
	assert.True(t, ProtRead.Allows(isa.Fetch))
	assert.True(t, ProtRead.Allows(isa.Read))
	assert.False(t, ProtRead.Allows(isa.Write))
	assert.True(t, (ProtRead | ProtWrite).Allows(isa.Write))
	assert.Equal(t, "rw", (ProtRead | ProtWrite).String())
	assert.Equal(t, "--", Prot(0).String())
}

func TestImageSourceLocatesItsBytesThenZeros(t *testing.T) {
	src := ImageSource{Image: ImageStore{Label: "image:data", Data: append(make([]byte, isa.PageSize), 1, 2, 3)}}
	store, off, n := src.Locate(1)
	assert.Equal(t, int64(isa.PageSize), off)
	assert.Equal(t, 3, n, "three bytes, then zeros to the end of the page")
	assert.Equal(t, "image:data", store.Name())
	store, _, _ = src.Locate(2)
	assert.Nil(t, store, "past the data: a zero page, no I/O")
	assert.Equal(t, "image", src.Kind())
	assert.Equal(t, "zero", ZeroSource{}.Kind())
}
