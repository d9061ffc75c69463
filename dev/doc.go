// Package dev holds toyvm's devices. For now: the one emulated clock and
// the timer that preempts processes. (The disk will join them.)
//
// Time is counted in cycles of the emulated CPU, never in host time, so
// that every run is reproducible. The CPU advances the clock by the cost
// of what it executes; a device schedules an Event for a future cycle;
// the CPU takes every event that is due as an interrupt between two
// instructions (or between two bytes of a MOVC).
//
// Files:
//
//   - clock.go: Clock (the current cycle and the pending events, in
//     deadline order) and Event.
//   - timer.go: Timer, which schedules a TIMER interrupt one quantum ahead.
package dev
