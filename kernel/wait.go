package kernel

import (
	"fmt"

	"toyvm/dev"
	"toyvm/isa"
)

// A process that must wait (for a disk transfer, a free frame, a child)
// blocks on a channel: any comparable value that names the event, such
// as the page in transit or the process whose exit it waits for. The
// event's wakeup makes every process blocked on that channel runnable
// again. A process never waits inside the kernel: it is put back at the
// start of the instruction that trapped (a faulting instruction, or the
// SYS of a system call), and when it runs again it executes that
// instruction afresh, finding the page present or the child exited. So
// the kernel needs no saved kernel stacks, as in a single-threaded
// event-driven kernel.

// block makes p wait on channel ch until wakeup(ch); why says what for.
// The caller has already set p's pc to the instruction to run again.
func (k *Kernel) block(p *Process, ch any, why string) {
	if ch == nil {
		panic("kernel.block: nil channel")
	}
	p.State, p.channel, p.WaitingFor = Blocked, ch, why
	if k.tracing(TraceSched) {
		k.trace(TraceSched, "pid %d: blocks (%s)", p.PID, why)
	}
}

// wakeup makes every process blocked on ch runnable.
func (k *Kernel) wakeup(ch any) {
	for _, p := range k.procs {
		if p.State == Blocked && p.channel == ch {
			p.State, p.channel, p.WaitingFor = Runnable, nil, ""
			if k.tracing(TraceSched) {
				k.trace(TraceSched, "pid %d: wakes", p.PID)
			}
		}
	}
}

// sleepTag marks the clock events of sleep alarms, so that they are told
// apart from the time-slice timer's, whose tags count up from 1.
const sleepTag = 1 << 31

// interrupt serves a device event: a disk transfer that completed, the
// end of a time slice, or the end of a process's sleep. The CPU delivers
// it as a trap; the idle loop serves it directly.
func (k *Kernel) interrupt(ev dev.Event) {
	switch {
	case ev.Cause == isa.Disk:
		k.diskDone(ev.Tag)
	case ev.Cause == isa.Timer && ev.Tag&sleepTag != 0:
		k.wakeup(sleepChannel(ev.Tag &^ sleepTag))
	case ev.Cause == isa.Timer:
		k.preempt()
	default:
		panic(fmt.Sprintf("kernel.interrupt: unexpected event %v", ev))
	}
}

// sleepChannel is what a process sleeping in sleep() blocks on.
type sleepChannel uint32

// idle runs when no process is runnable: the clock jumps to the next
// device event, which is served at once, until a process is runnable or
// no event is pending. No process runs meanwhile, so the time-slice timer
// is off (it could wake nobody) and starts a fresh slice after. It
// returns false if no process is runnable at the end.
func (k *Kernel) idle() bool {
	k.Timer.Disarm()
	defer k.Timer.Arm(k.cfg.Quantum)
	for k.pickNext() == nil {
		switch next := k.Clock.Next(); {
		case next == dev.Never:
			return false
		case next >= dev.MaxTime:
			k.outOfTime = true // every process waits for the end of time
			return false
		}
		if k.Clock.Next() < k.Clock.Now() {
			panic("kernel.idle: an event is due in the past")
		}
		if k.hooked(EvIdle) {
			k.dispatch(&Event{Kind: EvIdle})
		}
		k.Clock.AdvanceTo(k.Clock.Next())
		k.stats.IdleJumps++
		for ev, ok := k.Clock.PopDue(); ok; ev, ok = k.Clock.PopDue() {
			k.interrupt(ev)
		}
	}
	return true
}
