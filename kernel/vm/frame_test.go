package vm

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestFramesAreHandedOutLowestFirstAtBoot(t *testing.T) {
	ft := NewFrameTable(8)
	for want := uint32(1); want < 8; want++ {
		f, ok := ft.Alloc(FrameMapped, 1)
		require.True(t, ok)
		assert.Equal(t, want, f)
	}
}

func TestFrameZeroIsNeverHandedOut(t *testing.T) {
	ft := NewFrameTable(4)
	assert.Panics(t, func() { ft.Get(0) }, "frame 0 is no frame to ask about")
	assert.Equal(t, 3, ft.FreeCount())
	for range 3 {
		f, ok := ft.Alloc(FrameKernel, 1)
		require.True(t, ok)
		assert.NotZero(t, f)
	}
	_, ok := ft.Alloc(FrameKernel, 1)
	assert.False(t, ok, "only frames 1 to 3 exist to hand out")
}

func TestAllocWhenNoFrameIsFreeReportsFalse(t *testing.T) {
	ft := NewFrameTable(1)
	f, ok := ft.Alloc(FrameMapped, 1)
	assert.False(t, ok)
	assert.Zero(t, f)
}

func TestReleasedFrameIsTheNextHandedOut(t *testing.T) {
	ft := NewFrameTable(8)
	for range 4 {
		ft.Alloc(FrameMapped, 1)
	}
	ft.Release(2)
	f, _ := ft.Alloc(FrameMapped, 2)
	assert.Equal(t, uint32(2), f, "the most recently released frame comes back first")
	f, _ = ft.Alloc(FrameMapped, 2)
	assert.Equal(t, uint32(5), f)
}

func TestAllocRecordsStateOwnerAndPage(t *testing.T) {
	ft := NewFrameTable(4)
	f, _ := ft.Alloc(FrameMapped, 7)
	assert.Equal(t, Frame{State: FrameMapped, Owner: 7}, *ft.Get(f))
	ft.Release(f)
	assert.Equal(t, Frame{State: FrameFree}, *ft.Get(f))
}

func TestReleaseOfAFreeFramePanicsNamingTheFunction(t *testing.T) {
	ft := NewFrameTable(4)
	assert.PanicsWithValue(t, "vm.FrameTable.Release: frame 2 is free with 0 locks, mapped 0 times", func() { ft.Release(2) })
	f, _ := ft.Alloc(FrameMapped, 1)
	ft.Release(f)
	assert.Panics(t, func() { ft.Release(f) }, "a double release")
}

func TestReleaseOfFrameZeroOrBeyondMemoryPanics(t *testing.T) {
	ft := NewFrameTable(4)
	assert.PanicsWithValue(t, "vm.FrameTable.Release: no frame 0", func() { ft.Release(0) })
	assert.PanicsWithValue(t, "vm.FrameTable.Release: no frame 4", func() { ft.Release(4) })
}

func TestFrameStateNamesItself(t *testing.T) {
	assert.Equal(t, "free", FrameFree.String())
	assert.Equal(t, "kernel", FrameKernel.String())
	assert.Equal(t, "mapped", FrameMapped.String())
	assert.Equal(t, "reserved", FrameReserved.String())
	assert.Equal(t, "state(9)", FrameState(9).String())
}

func TestFramesZeroedAheadAreHandedOutLastByAllocAndFirstByAllocZeroed(t *testing.T) {
	ft := NewFrameTable(4) // frames 1, 2, 3 free; 1 on top
	var zeroed []uint32
	require.True(t, ft.ZeroOne(func(f uint32) { zeroed = append(zeroed, f) }))
	assert.Equal(t, []uint32{1}, zeroed)
	assert.Equal(t, 3, ft.FreeCount())
	assert.Equal(t, 1, ft.ZeroedCount())
	f, ok := ft.Alloc(FrameMapped, 1)
	require.True(t, ok)
	assert.Equal(t, uint32(2), f, "a frame of unknown contents first")
	f, ok = ft.AllocZeroed(FrameMapped, 1)
	require.True(t, ok)
	assert.Equal(t, uint32(1), f)
	_, ok = ft.AllocZeroed(FrameMapped, 1)
	assert.False(t, ok)
	lists, err := ft.Lists()
	require.NoError(t, err)
	assert.Equal(t, FreeList, lists[3])
}
