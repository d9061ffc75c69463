package cpu

import "toyvm/dev"

// The CPU's Cycles and the dev.Clock advance together, but only the CPU
// looks at the clock while instructions run: the kernel (the handler) and
// the CPU's caller read it only during a trap or after Run or Step. So the
// CPU counts cycles in Cycles alone and advances the clock to match just
// before anyone else can see it (syncClock: on every trap and interrupt,
// and when Run or Step returns). Events are scheduled only then too, so
// the cycle count at which the next one falls due is computed once
// (watchClock) and the check between instructions is one comparison.

// tick counts n cycles.
func (c *CPU) tick(n uint64) { c.Cycles += n }

// due reports whether a device event is due.
func (c *CPU) due() bool { return c.Cycles >= c.dueAt }

// Now returns the time in cycles as the clock will say once it is
// brought up to date: for a reader (a trace) in the middle of Run.
func (c *CPU) Now() uint64 { return c.Clock.Now() + (c.Cycles - c.clockAt) }

// syncClock advances the clock by the cycles counted since it was last
// brought up to date.
func (c *CPU) syncClock() {
	c.Clock.Advance(c.Cycles - c.clockAt)
	c.clockAt = c.Cycles
}

// watchClock records when the clock's next event falls due, in Cycles,
// after the clock or its events may have changed. The clock must be up to
// date.
func (c *CPU) watchClock() {
	c.clockAt = c.Cycles
	next, now := c.Clock.Next(), c.Clock.Now()
	switch {
	case next == dev.Never:
		c.dueAt = dev.Never
	case next <= now:
		c.dueAt = c.Cycles
	case c.Cycles+(next-now) < c.Cycles: // beyond any count of cycles
		c.dueAt = dev.Never
	default:
		c.dueAt = c.Cycles + (next - now)
	}
}
