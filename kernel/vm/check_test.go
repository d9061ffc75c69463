package vm

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// poolOfTwo returns a table of 8 frames with frames 1 and 2 in the pool.
func poolOfTwo(t *testing.T) *FrameTable {
	ft := NewFrameTable(8)
	for range 2 {
		f, ok := ft.Alloc(FrameMapped, 1)
		require.True(t, ok)
		ft.Get(f).Page = &Page{Frame: f}
		ft.ToPool(f)
	}
	return ft
}

func TestListsSaysWhichListHoldsEachFrame(t *testing.T) {
	lists, err := poolOfTwo(t).Lists()
	require.NoError(t, err)
	assert.Equal(t, []List{NoList, PoolList, PoolList, FreeList, FreeList, FreeList, FreeList, FreeList}, lists)
}

func TestListsFindsEachWayTheListsCanBreak(t *testing.T) {
	for want, corrupt := range map[string]func(ft *FrameTable){
		"free list entry 5 is frame 0x9, which does not exist":         func(ft *FrameTable) { ft.free = append(ft.free, 9) },
		"frame 0x3 is on the free list twice":                          func(ft *FrameTable) { ft.free = append(ft.free, 3) },
		"frame 0x1 is on the free list but pool":                       func(ft *FrameTable) { ft.free = append(ft.free, 1) },
		"frame 0x1 is in the pool list but mapped":                     func(ft *FrameTable) { ft.frames[1].State = FrameMapped },
		"pool frame 0x2 links back to frame 0x0, want 0x1":             func(ft *FrameTable) { ft.pool.prev[2] = 0 },
		"the pool counts 3 frames, but its list holds 2":               func(ft *FrameTable) { ft.pool.len++ },
		"the pool list's tail is frame 0x1, but its last frame is 0x2": func(ft *FrameTable) { ft.pool.tail = 1 },
		"the pool list leads from frame 0x2 to frame 0x9, which does not exist": func(ft *FrameTable) {
			ft.pool.next[2] = 9
		},
	} {
		ft := poolOfTwo(t)
		corrupt(ft)
		_, err := ft.Lists()
		assert.EqualError(t, err, want)
	}
}
