package dev

import "toyvm/isa"

// Timer raises a TIMER interrupt one quantum after it is armed: the
// kernel's time slice. At most one timer interrupt is pending at a time.
type Timer struct {
	clock *Clock
	gen   uint32 // the tag of the pending event; stepped on every Arm
	armed bool
}

// NewTimer returns a disarmed timer on clock c.
func NewTimer(c *Clock) *Timer { return &Timer{clock: c} }

// Arm schedules a TIMER interrupt at Now()+quantum (MaxTime at most),
// replacing a pending one.
func (t *Timer) Arm(quantum uint64) {
	t.Disarm()
	t.gen++
	t.armed = true
	t.clock.Schedule(After(t.clock.Now(), quantum), Event{Cause: isa.Timer, Tag: t.gen})
}

// Disarm cancels the pending TIMER interrupt, if any.
func (t *Timer) Disarm() {
	if t.armed {
		t.clock.Cancel(isa.Timer, t.gen)
		t.armed = false
	}
}

// Armed reports whether the timer's interrupt is still pending (it is not
// once the CPU has taken it).
func (t *Timer) Armed() bool {
	if !t.armed {
		return false
	}
	for _, ev := range t.clock.events {
		if ev.Cause == isa.Timer && ev.Tag == t.gen {
			return true
		}
	}
	t.armed = false
	return false
}
