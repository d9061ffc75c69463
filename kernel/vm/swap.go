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
// in use. A slot is in use when a run reserved for an object covers it
// (static layout), or when a page holds its copy there, or both: one bit
// each, so that a terabyte of swap costs 64 MiB of bookkeeping at most.
type Swap struct {
	Layout   SwapLayout
	Store    dev.Store
	reserved bits // covered by a run reserved for an object
	held     bits // holding a page's copy
	slots    int
	free     int
	next     int // where the search for a free slot starts (dynamic)
}

// bits is a set of slots, one bit each.
type bits []uint64

func (b bits) has(s int) bool { return b[s/64]&(1<<(s%64)) != 0 }
func (b bits) set(s int)      { b[s/64] |= 1 << (s % 64) }
func (b bits) unset(s int)    { b[s/64] &^= 1 << (s % 64) }

// NewSwap returns an empty swap area on store, whose size (a whole
// number of pages) sets the number of slots.
func NewSwap(layout SwapLayout, store dev.Store) *Swap {
	n := int(store.Size() / mmu.PageSize)
	return &Swap{Layout: layout, Store: store, reserved: make(bits, (n+63)/64),
		held: make(bits, (n+63)/64), slots: n, free: n}
}

// Offset returns the byte offset of slot s in the swap store.
func (sw *Swap) Offset(s Slot) int64 { return int64(s) * mmu.PageSize }

// Slots returns the number of slots; Free how many are not in use.
func (sw *Swap) Slots() int { return sw.slots }
func (sw *Swap) Free() int  { return sw.free }

// InUse reports whether slot s is in use: reserved, held or both.
func (sw *Swap) InUse(s Slot) bool { return sw.Reserved(s) || sw.Held(s) }

// Reserved reports whether a run covers slot s; Held, whether a page
// holds its copy there.
func (sw *Swap) Reserved(s Slot) bool { return sw.reserved.has(int(s)) }
func (sw *Swap) Held(s Slot) bool     { return sw.held.has(int(s)) }

// mark sets or clears slot s's bit in set b, keeping the free count.
func (sw *Swap) mark(b bits, s int, on bool) {
	was := sw.InUse(Slot(s))
	if on {
		b.set(s)
	} else {
		b.unset(s)
	}
	switch now := sw.InUse(Slot(s)); {
	case was && !now:
		sw.free++
	case !was && now:
		sw.free--
	}
}

// Alloc takes any free slot for a page to hold, searching round from
// where the last search ended (dynamic layout); it returns ErrSwapFull
// when none is free.
func (sw *Swap) Alloc() (Slot, error) {
	if sw.free == 0 {
		return NoSlot, ErrSwapFull
	}
	for i := range sw.slots {
		s := (sw.next + i) % sw.slots
		if !sw.InUse(Slot(s)) {
			sw.mark(sw.held, s, true)
			sw.next = s + 1
			return Slot(s), nil
		}
	}
	panic("vm.Swap.Alloc: free count says a slot is free, but none is")
}

// Hold makes a page hold slot s of a run reserved for its object (static
// layout). It panics if s is not reserved or is held already.
func (sw *Swap) Hold(s Slot) {
	if !sw.Reserved(s) || sw.Held(s) {
		panic(fmt.Sprintf("vm.Swap.Hold: slot %d is not a free slot of a run", s))
	}
	sw.mark(sw.held, int(s), true)
}

// Release frees the slot a page held. It panics if no page holds it.
func (sw *Swap) Release(s Slot) {
	if !sw.Held(s) {
		panic(fmt.Sprintf("vm.Swap.Release: slot %d is not held", s))
	}
	sw.mark(sw.held, int(s), false)
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
			for t := s - n + 1; t <= s; t++ {
				sw.mark(sw.reserved, t, true)
			}
			return Slot(s - n + 1), nil
		}
	}
	return NoSlot, ErrSwapFull
}

// ReleaseRun ends the reservation of n slots from first. A slot a page
// still holds (a page shared with another process that lives on) stays
// in use until the page lets it go. It panics for a slot not reserved.
func (sw *Swap) ReleaseRun(first Slot, n int) {
	for s := int(first); s < int(first)+n; s++ {
		if !sw.reserved.has(s) {
			panic(fmt.Sprintf("vm.Swap.ReleaseRun: slot %d is not reserved", s))
		}
		sw.mark(sw.reserved, s, false)
	}
}
