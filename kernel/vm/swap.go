package vm

import (
	"errors"
	"fmt"

	"toyvm/dev"
	"toyvm/mmu"
)

// Slot is a page-sized slot of the swap area.
type Slot int32

// NoSlot is the slot of a page that has none.
const NoSlot Slot = -1

// String returns "slot N", or "no slot".
func (s Slot) String() string {
	if s == NoSlot {
		return "no slot"
	}
	return fmt.Sprintf("slot %d", int32(s))
}

// SwapLayout says how pages are placed in the swap area.
type SwapLayout uint8

const (
	// SwapDynamic puts a page in any free slot, found in a map when it is
	// first written out.
	SwapDynamic SwapLayout = iota
	// SwapStatic reserves, for each region that can be swapped, a run
	// of slots as large as the region when it is created or grows: the
	// slot of a page is the run's base plus the page's index, computed,
	// never looked up, and Writing out can never fail.
	SwapStatic
)

var swapLayoutNames = [...]string{"dynamic", "static"}

// String returns "dynamic" or "static", as --swap spells it.
func (l SwapLayout) String() string {
	if int(l) < len(swapLayoutNames) {
		return swapLayoutNames[l]
	}
	return fmt.Sprintf("layout(%d)", uint8(l))
}

// ParseSwapLayout reads "static" or "dynamic"; it returns an error for
// anything else.
func ParseSwapLayout(s string) (SwapLayout, error) {
	for i, n := range swapLayoutNames {
		if n == s {
			return SwapLayout(i), nil
		}
	}
	return 0, fmt.Errorf("unknown swap layout %q (known: static, dynamic)", s)
}

// ErrSwapFull: no swap slot is free.
var ErrSwapFull = errors.New("out of swap space")

// Swap is the swap area: slots on the disk's swap store, and which are
// in use (one bit a slot, so that a terabyte of swap costs 32 MiB of
// bookkeeping at most).
type Swap struct {
	Layout SwapLayout
	Store  dev.Store
	used   []uint64 // bit s%64 of used[s/64]: slot s is in use
	slots  int
	free   int
	next   int // where the search for a free slot starts (dynamic)
}

// NewSwap returns an empty swap area on store, whose size (a whole
// number of pages) sets the number of slots.
func NewSwap(layout SwapLayout, store dev.Store) *Swap {
	n := int(store.Size() / mmu.PageSize)
	return &Swap{Layout: layout, Store: store, used: make([]uint64, (n+63)/64), slots: n, free: n}
}

// Offset returns the byte offset of slot s in the swap store.
func (sw *Swap) Offset(s Slot) int64 { return int64(s) * mmu.PageSize }

// Slots returns the number of slots; Free how many are not in use.
func (sw *Swap) Slots() int { return sw.slots }
func (sw *Swap) Free() int  { return sw.free }

// InUse reports whether slot s is in use.
func (sw *Swap) InUse(s Slot) bool { return sw.used[s/64]&(1<<(s%64)) != 0 }

func (sw *Swap) mark(s int, inUse bool) {
	if inUse {
		sw.used[s/64] |= 1 << (s % 64)
	} else {
		sw.used[s/64] &^= 1 << (s % 64)
	}
}

// Alloc takes any free slot, searching round from where the last search
// ended; it returns ErrSwapFull when none is free.
func (sw *Swap) Alloc() (Slot, error) {
	if sw.free == 0 {
		return NoSlot, ErrSwapFull
	}
	for i := range sw.slots {
		s := (sw.next + i) % sw.slots
		if !sw.InUse(Slot(s)) {
			sw.take(s, 1)
			sw.next = s + 1
			return Slot(s), nil
		}
	}
	panic("kernel.Swap.alloc: free count says a slot is free, but none is")
}

// Reserve takes a run of n contiguous free slots (static layout); it
// returns ErrSwapFull when there is no such run.
func (sw *Swap) Reserve(n int) (Slot, error) {
	run := 0
	for s := range sw.slots {
		if sw.InUse(Slot(s)) {
			run = 0
			continue
		}
		if run++; run == n {
			sw.take(s-n+1, n)
			return Slot(s - n + 1), nil
		}
	}
	return NoSlot, ErrSwapFull
}

func (sw *Swap) take(first, n int) {
	for s := first; s < first+n; s++ {
		sw.mark(s, true)
	}
	sw.free -= n
}

// Release frees n slots from first.
func (sw *Swap) Release(first Slot, n int) {
	for s := int(first); s < int(first)+n; s++ {
		if !sw.InUse(Slot(s)) {
			panic(fmt.Sprintf("kernel.Swap.release: slot %d is not in use", s))
		}
		sw.mark(s, false)
	}
	sw.free += n
}
