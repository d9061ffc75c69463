package vm

import "fmt"

// List says which of the frame table's lists holds a frame.
type List uint8

const (
	NoList   List = iota // on neither list
	FreeList             // on the free list
	PoolList             // in the free pool
)

// At returns the record of any frame, frame 0 included: for checks and
// views that walk every frame. It panics for a frame that does not
// exist.
func (ft *FrameTable) At(frame uint32) *Frame {
	if int(frame) >= len(ft.frames) {
		panic(fmt.Sprintf("vm.FrameTable.At: no frame %d", frame))
	}
	return &ft.frames[frame]
}

// Lists walks the free list and the pool and returns which list holds
// each frame. It returns an error for a broken list: an entry that is no
// frame, a frame listed twice or on both lists, a pool link that
// disagrees, a listed frame in another state, a pool whose count is not
// its length.
func (ft *FrameTable) Lists() ([]List, error) {
	lists := make([]List, len(ft.frames))
	if err := ft.walkFree(lists); err != nil {
		return nil, err
	}
	if err := ft.walkPool(lists); err != nil {
		return nil, err
	}
	return lists, nil
}

// walkFree marks the frames of the free list (both stacks) in lists.
func (ft *FrameTable) walkFree(lists []List) error {
	for i, f := range append(append([]uint32(nil), ft.free...), ft.zeroed...) {
		switch {
		case f == 0 || int(f) >= len(ft.frames):
			return fmt.Errorf("free list entry %d is frame %#x, which does not exist", i, f)
		case lists[f] != NoList:
			return fmt.Errorf("frame %#x is on the free list twice", f)
		case ft.frames[f].State != FrameFree:
			return fmt.Errorf("frame %#x is on the free list but %s", f, ft.frames[f].State)
		}
		lists[f] = FreeList
	}
	return nil
}

// walkPool marks the frames of the pool in lists, from its head, checking
// that the links agree both ways and that its count is its length.
func (ft *FrameTable) walkPool(lists []List) error {
	l, prev, n := &ft.pool, uint32(0), 0
	for f := l.head; f != 0; prev, f = f, l.next[f] {
		if err := ft.poolEntry(lists, f, prev); err != nil {
			return err
		}
		lists[f] = PoolList
		n++
	}
	switch {
	case l.tail != prev:
		return fmt.Errorf("the pool list's tail is frame %#x, but its last frame is %#x", l.tail, prev)
	case l.len != n:
		return fmt.Errorf("the pool counts %d frames, but its list holds %d", l.len, n)
	}
	return nil
}

// poolEntry checks frame f of the pool, reached from frame prev.
func (ft *FrameTable) poolEntry(lists []List, f, prev uint32) error {
	switch {
	case int(f) >= len(ft.frames):
		return fmt.Errorf("the pool list leads from frame %#x to frame %#x, which does not exist", prev, f)
	case lists[f] == FreeList:
		return fmt.Errorf("frame %#x is on the free list and in the pool", f)
	case lists[f] == PoolList:
		return fmt.Errorf("frame %#x is in the pool list twice", f)
	case ft.pool.prev[f] != prev:
		return fmt.Errorf("pool frame %#x links back to frame %#x, want %#x", f, ft.pool.prev[f], prev)
	case ft.frames[f].State != FramePool:
		return fmt.Errorf("frame %#x is in the pool list but %s", f, ft.frames[f].State)
	}
	return nil
}
