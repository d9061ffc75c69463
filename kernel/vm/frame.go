package vm

import (
	"errors"
	"fmt"
	"path/filepath"
	"runtime"
	"slices"
	"strings"

	"toyvm/mmu"
)

// ErrOutOfMemory: no physical frame is free.
var ErrOutOfMemory = errors.New("out of physical memory")

// FrameState says what a physical frame holds.
type FrameState uint8

const (
	// FrameFree is on the free list: it holds nothing.
	FrameFree FrameState = iota
	// FrameKernel holds a page directory or a page table.
	FrameKernel
	// FrameMapped holds a page mapped in its owner's page table.
	FrameMapped
	// FramePool holds a clean page that is mapped nowhere: the free
	// pool. Its frame may be taken at any time (the page's contents are
	// safe in swap or in its source), but until then a fault on the page
	// reclaims it without I/O.
	FramePool
	// FrameBusy holds a page in transit between memory and the disk.
	FrameBusy
	// FrameReserved is never handed out (frame 0, so that physical
	// address 0 never names a page).
	FrameReserved
	// FrameOwned is held by a process's library OS through a capability
	// (kernel/libos.go): installed at one of its self-paged pages, or not
	// yet. The replacement policy never sees it; the kernel takes it
	// back only by revoking the capability.
	FrameOwned
)

var frameStateNames = [...]string{"free", "kernel", "mapped", "pool", "busy", "reserved", "owned"}

func (s FrameState) String() string {
	if int(s) < len(frameStateNames) {
		return frameStateNames[s]
	}
	return fmt.Sprintf("state(%d)", uint8(s))
}

// Frame is the frame table's record of one physical frame.
type Frame struct {
	State FrameState
	Owner int   // pid of the process that brought its page in, 0 for none
	Page  *Page // the page it holds: mapped, in the pool, or in transit
	Locks int   // DMA transfers, system calls and mlock using it: never evicted while > 0
	// Maps is the reverse map: every page-table entry that maps the
	// frame, in the order they were made. Its length is the frame's
	// share count; a mapped frame has at least one.
	Maps []Mapping
}

// Mapping is one page-table entry that maps a frame: the address space
// whose table holds it and the virtual address it translates.
type Mapping struct {
	Space *AddressSpace
	VA    mmu.VAddr
}

// Shares returns how many page-table entries map the frame.
func (f *Frame) Shares() int { return len(f.Maps) }

// AddMap records that m maps the frame. It panics if m does already.
func (f *Frame) AddMap(m Mapping) {
	if slices.Contains(f.Maps, m) {
		panic(fmt.Sprintf("vm.Frame.AddMap: %s of an address space maps the frame twice", m.VA))
	}
	f.Maps = append(f.Maps, m)
}

// RemoveMap forgets that m maps the frame; it returns false if m did
// not.
func (f *Frame) RemoveMap(m Mapping) bool {
	i := slices.Index(f.Maps, m)
	if i < 0 {
		return false
	}
	f.Maps = slices.Delete(f.Maps, i, i+1)
	return true
}

// FrameTable tracks every physical frame. It hands out free frames in a
// deterministic order (lowest first at boot, then the most recently
// released) and keeps the free pool in the order frames entered it, so
// that the oldest pool frame is the first to be taken.
type FrameTable struct {
	frames []Frame
	free   []uint32 // a stack: the next frame to hand out on top
	zeroed []uint32 // free frames known to hold zeros (ZeroOne), a stack too
	pool   poolList
	kernel int      // frames holding page directories and tables
	sites  []string // where each frame was last taken (TrackSites), or nil
}

// NewFrameTable returns a table of n frames, all free but frame 0.
func NewFrameTable(n int) *FrameTable {
	ft := &FrameTable{frames: make([]Frame, n), free: make([]uint32, 0, n), pool: newPoolList(n)}
	ft.frames[0].State = FrameReserved
	for f := n - 1; f >= 1; f-- {
		ft.free = append(ft.free, uint32(f))
	}
	return ft
}

// Alloc takes a frame from the free list for owner; ok is false when the
// free list is empty (the pool is not touched: see TakeFromPool).
func (ft *FrameTable) Alloc(state FrameState, owner int) (frame uint32, ok bool) {
	if len(ft.free) == 0 {
		return ft.AllocZeroed(state, owner)
	}
	frame = ft.free[len(ft.free)-1]
	ft.free = ft.free[:len(ft.free)-1]
	ft.use(frame, state, owner)
	return frame, true
}

// AllocZeroed takes a free frame known to hold zeros (ZeroOne) for owner;
// ok is false when there is none. Alloc takes these last.
func (ft *FrameTable) AllocZeroed(state FrameState, owner int) (frame uint32, ok bool) {
	if len(ft.zeroed) == 0 {
		return 0, false
	}
	frame = ft.zeroed[len(ft.zeroed)-1]
	ft.zeroed = ft.zeroed[:len(ft.zeroed)-1]
	ft.use(frame, state, owner)
	return frame, true
}

// ZeroOne takes a free frame whose contents are unknown, calls zero to
// fill it with zeros, and keeps it among the free frames known to hold
// zeros. It returns false when no such frame is free.
func (ft *FrameTable) ZeroOne(zero func(frame uint32)) bool {
	if len(ft.free) == 0 {
		return false
	}
	frame := ft.free[len(ft.free)-1]
	ft.free = ft.free[:len(ft.free)-1]
	zero(frame)
	ft.zeroed = append(ft.zeroed, frame)
	return true
}

// ZeroedCount returns how many free frames are known to hold zeros.
func (ft *FrameTable) ZeroedCount() int { return len(ft.zeroed) }

// use records a frame's new use.
func (ft *FrameTable) use(frame uint32, state FrameState, owner int) {
	if ft.sites != nil {
		ft.sites[frame] = callerSite()
	}
	ft.frames[frame] = Frame{State: state, Owner: owner, Maps: ft.frames[frame].Maps[:0]}
	if state == FrameKernel {
		ft.kernel++
	}
}

// Release returns a frame that is in use (not free, not in the pool) to
// the free list.
func (ft *FrameTable) Release(frame uint32) {
	f := ft.get("Release", frame)
	if f.State == FrameFree || f.State == FramePool || f.State == FrameReserved || f.Locks != 0 || len(f.Maps) > 0 {
		panic(fmt.Sprintf("vm.FrameTable.Release: frame %d is %s with %d locks, mapped %d times", frame, f.State, f.Locks, len(f.Maps)))
	}
	if f.State == FrameKernel {
		ft.kernel--
	}
	*f = Frame{Maps: f.Maps[:0]} // the reverse map's storage serves the frame's next page
	ft.free = append(ft.free, frame)
}

// Get returns the record of one frame.
func (ft *FrameTable) Get(frame uint32) *Frame { return ft.get("Get", frame) }

func (ft *FrameTable) get(fn string, frame uint32) *Frame {
	if frame == 0 || int(frame) >= len(ft.frames) {
		panic(fmt.Sprintf("vm.FrameTable.%s: no frame %d", fn, frame))
	}
	return &ft.frames[frame]
}

// ToPool puts a frame holding a clean, unmapped page into the free pool.
func (ft *FrameTable) ToPool(frame uint32) {
	f := ft.get("ToPool", frame)
	if f.Page == nil || f.Locks != 0 || f.State == FramePool || len(f.Maps) > 0 {
		panic(fmt.Sprintf("vm.FrameTable.ToPool: frame %d is %s, locks %d, mapped %d times", frame, f.State, f.Locks, len(f.Maps)))
	}
	f.State, f.Owner = FramePool, 0
	ft.pool.pushBack(frame)
}

// Reclaim takes a frame out of the pool to be used again for the page it
// holds, which is mapped again by the caller.
func (ft *FrameTable) Reclaim(frame uint32, owner int) {
	f := ft.get("Reclaim", frame)
	if f.State != FramePool {
		panic(fmt.Sprintf("vm.FrameTable.Reclaim: frame %d is %s", frame, f.State))
	}
	ft.pool.remove(frame)
	f.State, f.Owner = FrameMapped, owner
}

// Take takes a frame for owner: a free one, or failing that the oldest
// frame of the pool, whose page then leaves memory (its contents are safe
// in swap or its source). ok is false when both are empty.
func (ft *FrameTable) Take(state FrameState, owner int) (frame uint32, ok bool) {
	if frame, ok = ft.Alloc(state, owner); ok {
		return frame, true
	}
	frame, ok = ft.pool.front()
	if !ok {
		return 0, false
	}
	ft.pool.remove(frame)
	ft.frames[frame].Page.Frame = 0
	ft.use(frame, state, owner)
	return frame, true
}

// Lock and Unlock count the users that pin a frame in memory: a DMA
// transfer, a system call's buffer. A locked frame is never a victim.
func (ft *FrameTable) Lock(frame uint32) { ft.get("Lock", frame).Locks++ }

// Unlock undoes one Lock.
func (ft *FrameTable) Unlock(frame uint32) {
	f := ft.get("Unlock", frame)
	if f.Locks == 0 {
		panic(fmt.Sprintf("vm.FrameTable.Unlock: frame %d is not locked", frame))
	}
	f.Locks--
}

// Len returns the number of frames; FreeCount how many are free;
// PoolCount how many are in the free pool.
func (ft *FrameTable) Len() int       { return len(ft.frames) }
func (ft *FrameTable) FreeCount() int { return len(ft.free) + len(ft.zeroed) }
func (ft *FrameTable) PoolCount() int { return ft.pool.len }

// KernelCount returns how many frames hold page directories and tables.
func (ft *FrameTable) KernelCount() int { return ft.kernel }

// TrackSites makes the table record where each frame it hands out was
// taken: the first function outside this package on the stack (Site).
// It costs a stack walk per frame; tests and the grader turn it on, to
// say where a leaked frame came from.
func (ft *FrameTable) TrackSites() { ft.sites = make([]string, len(ft.frames)) }

// Site returns where frame was last taken ("kernel/fork.go:93
// (kernel.(*Kernel).copyPage)"), or "" when sites are not tracked.
func (ft *FrameTable) Site(frame uint32) string {
	if ft.sites == nil {
		return ""
	}
	return ft.sites[frame]
}

// callerSite returns the file, line and function of the first caller
// outside this package.
func callerSite() string {
	var pcs [16]uintptr
	frames := runtime.CallersFrames(pcs[:runtime.Callers(3, pcs[:])])
	for {
		f, more := frames.Next()
		if !strings.HasPrefix(f.Function, "toyvm/kernel/vm.") {
			return fmt.Sprintf("%s:%d (%s)", shortPath(f.File), f.Line, strings.TrimPrefix(f.Function, "toyvm/"))
		}
		if !more {
			return "?"
		}
	}
}

// shortPath returns the last two elements of a file's path: its package
// folder and its name.
func shortPath(file string) string {
	dir, name := filepath.Split(file)
	return filepath.Join(filepath.Base(dir), name)
}
