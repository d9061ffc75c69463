package kernel

import "fmt"

// FrameState says what a physical frame holds.
type FrameState uint8

const (
	// FrameFree is on the free list.
	FrameFree FrameState = iota
	// FrameKernel holds a page directory or a page table.
	FrameKernel
	// FrameMapped holds a user page, mapped in its owner's page table.
	FrameMapped
	// FrameReserved is never handed out (frame 0, so that physical
	// address 0 never names a page).
	FrameReserved
)

var frameStateNames = [...]string{"free", "kernel", "mapped", "reserved"}

func (s FrameState) String() string {
	if int(s) < len(frameStateNames) {
		return frameStateNames[s]
	}
	return fmt.Sprintf("state(%d)", uint8(s))
}

// Frame is the frame table's record of one physical frame.
type Frame struct {
	State FrameState
	Owner int    // pid of the owning process, 0 for none
	Page  uint32 // the virtual page (address) it holds when mapped
}

// FrameTable tracks every physical frame and hands out free ones in a
// deterministic order (lowest first at boot, then the most recently
// released), so that runs are reproducible.
type FrameTable struct {
	frames []Frame
	free   []uint32 // a stack: the lowest-numbered free frame on top
}

// NewFrameTable returns a table of n frames, all free but frame 0.
func NewFrameTable(n int) *FrameTable {
	ft := &FrameTable{frames: make([]Frame, n), free: make([]uint32, 0, n)}
	ft.frames[0].State = FrameReserved
	for f := n - 1; f >= 1; f-- {
		ft.free = append(ft.free, uint32(f))
	}
	return ft
}

// Alloc takes a free frame and records its use; ok is false when no
// frame is free.
func (ft *FrameTable) Alloc(state FrameState, owner int, page uint32) (frame uint32, ok bool) {
	if len(ft.free) == 0 {
		return 0, false
	}
	frame = ft.free[len(ft.free)-1]
	ft.free = ft.free[:len(ft.free)-1]
	ft.frames[frame] = Frame{State: state, Owner: owner, Page: page}
	return frame, true
}

// Release returns a frame to the free list.
func (ft *FrameTable) Release(frame uint32) {
	if frame == 0 || int(frame) >= len(ft.frames) || ft.frames[frame].State == FrameFree {
		panic(fmt.Sprintf("kernel.FrameTable.Release: frame %d is not in use", frame))
	}
	ft.frames[frame] = Frame{}
	ft.free = append(ft.free, frame)
}

// Get returns the record of one frame.
func (ft *FrameTable) Get(frame uint32) Frame { return ft.frames[frame] }

// Len returns the number of frames, FreeCount how many are free.
func (ft *FrameTable) Len() int       { return len(ft.frames) }
func (ft *FrameTable) FreeCount() int { return len(ft.free) }
