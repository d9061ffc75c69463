package dev

import (
	"fmt"

	"toyvm/isa"
)

// Never is the deadline Next returns when no event is pending.
const Never = ^uint64(0)

// MaxTime is the last cycle the clock can name: 2^62, about 146 years of
// a 1 GHz machine. Every deadline is clamped to it (After), so no time
// computation wraps, whatever the flags or a guest ask for; a run whose
// clock reaches it is stopped by the kernel.
const MaxTime = uint64(1) << 62

// After returns the cycle n cycles after t, or MaxTime if that is later.
func After(t, n uint64) uint64 {
	if t >= MaxTime || n >= MaxTime-t {
		return MaxTime
	}
	return t + n
}

// Times returns n times m, or MaxTime if that is larger.
func Times(n, m uint64) uint64 {
	if n != 0 && m > MaxTime/n {
		return MaxTime
	}
	return min(n*m, MaxTime)
}

// Event is an interrupt that a device has scheduled for cycle At.
type Event struct {
	At    uint64
	Cause isa.Cause // isa.Timer or isa.Disk
	Tag   uint32    // the device's own meaning: a request number, a timer generation
}

// String returns e.g. "TIMER@1000 tag 3".
func (e Event) String() string {
	return fmt.Sprintf("%s@%d tag %d", e.Cause, e.At, e.Tag)
}

// Clock is the one emulated clock, counted in cycles. It keeps the pending
// events sorted by deadline; events with the same deadline stay in the
// order they were scheduled. The zero Clock is ready to use, at cycle 0.
type Clock struct {
	now    uint64
	events []Event // sorted by At, stable
}

// NewClock returns a clock at cycle 0 with no pending events.
func NewClock() *Clock { return &Clock{} }

// Now returns the current cycle.
func (c *Clock) Now() uint64 { return c.now }

// Advance moves the clock n cycles forward, to MaxTime at most.
func (c *Clock) Advance(n uint64) { c.now = After(c.now, n) }

// AdvanceTo moves the clock forward to cycle t (when every process waits,
// the kernel jumps to the next deadline). It never moves the clock back.
func (c *Clock) AdvanceTo(t uint64) {
	if t > c.now {
		c.now = t
	}
}

// Schedule adds ev as due at cycle at, clamped to MaxTime (ev.At is
// overwritten). An event at or before Now is due at once.
func (c *Clock) Schedule(at uint64, ev Event) {
	at = min(at, MaxTime)
	ev.At = at
	i := len(c.events)
	for i > 0 && c.events[i-1].At > at {
		i--
	}
	c.events = append(c.events, Event{})
	copy(c.events[i+1:], c.events[i:])
	c.events[i] = ev
}

// Next returns the earliest pending deadline, or Never if nothing is
// pending.
func (c *Clock) Next() uint64 {
	if len(c.events) == 0 {
		return Never
	}
	return c.events[0].At
}

// Due reports whether an event is due now.
func (c *Clock) Due() bool {
	return len(c.events) > 0 && c.events[0].At <= c.now
}

// PopDue removes and returns the earliest event if it is due; ok is false
// (and nothing changes) if no event is due.
func (c *Clock) PopDue() (ev Event, ok bool) {
	if !c.Due() {
		return Event{}, false
	}
	ev = c.events[0]
	c.remove(0)
	return ev, true
}

// Cancel removes the first pending event with this cause and tag. It
// returns false if there was none.
func (c *Clock) Cancel(cause isa.Cause, tag uint32) bool {
	for i, ev := range c.events {
		if ev.Cause == cause && ev.Tag == tag {
			c.remove(i)
			return true
		}
	}
	return false
}

// Pending returns a copy of the pending events in the order they will be
// taken.
func (c *Clock) Pending() []Event {
	return append([]Event(nil), c.events...)
}

func (c *Clock) remove(i int) {
	copy(c.events[i:], c.events[i+1:])
	c.events = c.events[:len(c.events)-1]
}
