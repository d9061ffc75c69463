package cpu

import "toyvm/isa"

// A debugger needs Run to stop where a program is being watched, at full
// speed everywhere else. It gives the CPU three kinds of stops:
//
//   - breakpoints: Run returns before running an instruction at one of
//     these virtual addresses (in any process). The fast path checks the
//     pc only on a page that has a breakpoint, from a bitmap of the page.
//   - watched words: a write to the page of one of these virtual words is
//     never served from a copy of its translation, so it always reaches
//     writeSlow, which notes it; if it touched a watched word, Run
//     returns after that instruction.
//   - Hold, which the debugger's trap observer calls from inside a trap:
//     Run returns once the trap has returned.
//
// Without a debugger all three are empty and cost a nil test per call of
// runFast and per instruction of the general path.

// HoldReason says why Run returned early for the debugger.
type HoldReason uint8

const (
	NotHeld      HoldReason = iota
	AtBreakpoint            // the pc is at a breakpoint; the instruction has not run
	WroteWatched            // the last instruction wrote to a watched page
	HeldByTrap              // Hold was called in the last trap
)

// debugStops is the CPU's state for the debugger's stops.
type debugStops struct {
	breaks  map[uint32]*[isa.PageSize]bool // page base -> the offsets that are breakpoints
	watched map[uint32][]uint32            // page base -> the watched words that touch the page
	held    HoldReason
	retired bool // the last instruction Run ran (the general path) retired

	// the last page looked up in breaks, so that runFast looks it up
	// once per page, not per call
	lastBase uint32
	lastBits *[isa.PageSize]bool
}

// SetBreakpoints makes Run stop before an instruction at any of addrs
// (none: Run never stops for a breakpoint).
func (c *CPU) SetBreakpoints(addrs []uint32) {
	c.stops.breaks, c.stops.lastBase, c.stops.lastBits = nil, noPage, nil
	if len(addrs) == 0 {
		return
	}
	c.stops.breaks = map[uint32]*[isa.PageSize]bool{}
	for _, a := range addrs {
		bits := c.stops.breaks[a&^pageMask]
		if bits == nil {
			bits = new([isa.PageSize]bool)
			c.stops.breaks[a&^pageMask] = bits
		}
		bits[a&pageMask] = true
	}
}

// SetWatchedWords makes Run stop after an instruction that writes to
// any byte of the 4-byte words at addrs (none: no word is watched). The
// copies of translations are dropped, so that no write to their pages is
// served from one.
func (c *CPU) SetWatchedWords(addrs []uint32) {
	c.stops.watched = nil
	for _, a := range addrs {
		if c.stops.watched == nil {
			c.stops.watched = map[uint32][]uint32{}
		}
		for _, base := range []uint32{a &^ pageMask, (a + 3) &^ pageMask} {
			if words := c.stops.watched[base]; len(words) == 0 || words[len(words)-1] != a {
				c.stops.watched[base] = append(words, a)
			}
		}
	}
	c.dropCopies()
}

// Hold makes Run return as soon as the trap in progress has returned.
// The debugger's trap observer calls it.
func (c *CPU) Hold() { c.stops.held = HeldByTrap }

// Held returns why the last Run returned for the debugger, NotHeld if it
// did not.
func (c *CPU) Held() HoldReason { return c.stops.held }

// Retired reports whether the last instruction Run ran retired: false
// when it faulted (it runs again from its first byte) or when Run's last
// act was an interrupt.
func (c *CPU) Retired() bool { return c.stops.retired }

// breakBits returns the breakpoint bitmap of the page at base, nil if it
// has none.
func (c *CPU) breakBits(base uint32) *[isa.PageSize]bool {
	if base != c.stops.lastBase {
		c.stops.lastBase, c.stops.lastBits = base, c.stops.breaks[base]
	}
	return c.stops.lastBits
}

// atBreakpoint reports whether a breakpoint is at the pc.
func (c *CPU) atBreakpoint() bool {
	if c.stops.breaks == nil {
		return false
	}
	bits := c.breakBits(c.PC &^ pageMask)
	return bits != nil && bits[c.PC&pageMask]
}

// noteWrite notes a write of size bytes at va: it returns false, for a
// watched page, when the write must not be served from a copy of its
// translation, and holds the CPU if the write touched a watched word.
func (c *CPU) noteWrite(va, size uint32) bool {
	if c.stops.watched == nil {
		return true
	}
	words, ok := c.stops.watched[va&^pageMask]
	for _, w := range words {
		if va < w+4 && w < va+size { // the two ranges overlap
			c.stops.held = WroteWatched
		}
	}
	return !ok
}
