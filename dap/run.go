package dap

import (
	"fmt"
	"maps"

	godap "github.com/google/go-dap"

	"toyvm/debugger"
)

// motion is one run of the guest that the client asked for, forward or
// back. It runs on its own goroutine, which owns the session meanwhile.
// After it returned StopInterrupted it may be run again: it goes on
// towards the same end (forward) or starts again from where the machine
// stands (back).
type motion func() result

// result is how a motion ended.
type result struct {
	stop debugger.Stop
	hit  []int  // the client's breakpoints that stopped it
	note string // why, when stop.Text does not say it (a condition that failed)
}

// onContinue runs the guest until something stops it.
func (a *adapter) onContinue(r *godap.ContinueRequest) {
	if a.canMove(r.Request) {
		a.wire.send(&godap.ContinueResponse{Response: response(r.Request),
			Body: godap.ContinueResponseBody{AllThreadsContinued: true}})
		a.goOn(a.forward(a.dbg.ContinueRunner()))
	}
}

// onNext runs one instruction, a CALL to its return (every granularity
// is one instruction: a line of assembly is one).
func (a *adapter) onNext(r *godap.NextRequest) {
	if a.canMove(r.Request) {
		a.ack(r.Request)
		a.goOn(a.forward(a.dbg.NextRunner()))
	}
}

// onStepIn runs one instruction, into calls.
func (a *adapter) onStepIn(r *godap.StepInRequest) {
	if a.canMove(r.Request) {
		a.ack(r.Request)
		a.goOn(a.forward(a.dbg.StepRunner()))
	}
}

// onStepOut runs until the current function returns.
func (a *adapter) onStepOut(r *godap.StepOutRequest) {
	if a.canMove(r.Request) {
		a.ack(r.Request)
		a.goOn(a.forward(a.dbg.FinishRunner()))
	}
}

// onStepBack moves the machine one instruction back.
func (a *adapter) onStepBack(r *godap.StepBackRequest) {
	if a.canMove(r.Request) {
		a.ack(r.Request)
		a.goOn(a.back)
	}
}

// onReverseContinue moves the machine back to the last stop at one of
// the client's breakpoints, or to the first instruction.
func (a *adapter) onReverseContinue(r *godap.ReverseContinueRequest) {
	if a.canMove(r.Request) {
		a.ack(r.Request)
		a.goOn(a.reverse)
	}
}

// onPause stops the running guest before its next instruction; the stop
// is reported with reason "pause". Paused already, it does nothing.
func (a *adapter) onPause(r *godap.PauseRequest) {
	if !a.launched(r.Request) {
		return
	}
	a.ack(r.Request)
	if a.running != nil {
		a.pausing = true
		a.dbg.Interrupt()
	}
}

// canMove reports whether the guest may be run now, and answers req with
// an error if not: before launch and configurationDone, while it runs,
// after it exited.
func (a *adapter) canMove(req godap.Request) bool { return a.started(req) && a.idle(req) }

// goOn runs m on its own goroutine, which hands its result to the
// request loop. The threads as they are now answer threads requests
// meanwhile.
func (a *adapter) goOn(m motion) {
	a.threads = a.processThreads()
	a.dbg.ClearInterrupt() // an interrupt meant for an earlier run
	a.running = m
	go func() { a.results <- m() }()
}

// forward returns the motion that runs r, passing over the stops at the
// client's breakpoints whose conditions do not hold.
func (a *adapter) forward(r *debugger.Runner) motion {
	return func() result {
		for {
			st := r.Run()
			if st.Reason != debugger.StopBreakpoint {
				return result{stop: st}
			}
			if v := a.bps.reach(a.dbg, st.Point, a.bps.hits, a.say); v.stop {
				return result{stop: st, hit: v.ids, note: v.note}
			}
		}
	}
}

// back is the motion of one instruction back.
func (a *adapter) back() result {
	if a.dbg.Instructions() == 0 {
		return result{stop: debugger.Stop{Reason: debugger.StopStart, Text: "at the program's first instruction"}}
	}
	err := a.dbg.StepBack(1)
	switch {
	case debugger.Interrupted(err):
		return result{stop: debugger.Stop{Reason: debugger.StopInterrupted, Text: "interrupted"}}
	case err != nil:
		return result{stop: debugger.Stop{Reason: debugger.StopOther, Text: err.Error()}}
	}
	return result{stop: debugger.Stop{Reason: debugger.StopGoal}}
}

// reverse is the motion back to the last stop at a breakpoint: the
// client's, whose conditions and hit conditions are judged on the
// machine as it was then, or the debugger's own. The hits counted are
// then those of that moment.
func (a *adapter) reverse() result {
	rp := &replay{b: a.bps, dbg: a.dbg, hits: map[int]int{}}
	st, err := a.dbg.ReverseContinue(rp.keep)
	switch {
	case err != nil:
		return result{stop: debugger.Stop{Reason: debugger.StopOther, Text: err.Error()}}
	case st.Reason == debugger.StopStart:
		a.bps.hits = map[int]int{}
	case st.Reason == debugger.StopBreakpoint:
		a.bps.hits = rp.kept
		return result{stop: st, hit: rp.last.ids, note: rp.last.note}
	}
	return result{stop: st}
}

// replay judges the breakpoints a reverse continue's replay from boot
// reaches, counting their hits afresh.
type replay struct {
	b    *breakpoints
	dbg  *debugger.Session
	hits map[int]int // the hits so far in the replay
	kept map[int]int // the hits at the last stop keep accepted
	last verdict     // that stop's verdict
}

// keep reports whether the replay would stop at point, as a forward run
// would, noting the hits and the verdict when it would. Log points say
// nothing in a replay.
func (rp *replay) keep(point int) bool {
	v := rp.b.reach(rp.dbg, point, rp.hits, nil)
	if v.stop {
		rp.kept, rp.last = maps.Clone(rp.hits), v
	}
	return v.stop
}

// halt stops the run in progress, if any, and waits for it; its result
// is dropped (the session is ending or starting again).
func (a *adapter) halt() {
	if a.running == nil {
		return
	}
	a.dbg.Interrupt()
	<-a.results
	a.running, a.pausing = nil, false
	a.dbg.ClearInterrupt()
}

// whileStill runs f (which changes breakpoints) with the guest standing
// still: a run in progress is interrupted for it and then goes on, unless
// it stopped of its own accord meanwhile (or a pause stopped it), which
// is then reported.
func (a *adapter) whileStill(f func()) {
	m := a.running
	if m == nil {
		f()
		return
	}
	a.dbg.Interrupt()
	res := <-a.results
	a.running = nil
	a.dbg.ClearInterrupt()
	f()
	if res.stop.Reason == debugger.StopInterrupted && !a.pausing {
		a.goOn(m)
		return
	}
	a.finished(res)
}

// finished takes the result of the run that ended and reports it.
func (a *adapter) finished(res result) {
	a.running = nil
	a.dbg.ClearInterrupt()
	if res.stop.Reason == debugger.StopInterrupted && a.pausing {
		res.stop.Text = "" // paused, as asked
	}
	a.pausing = false
	a.report(res)
}

// report tells the client how a run ended: stopped, with why, or exited
// and terminated.
func (a *adapter) report(res result) {
	st := res.stop
	if st.Reason == debugger.StopExited {
		a.exited(st)
		return
	}
	why := res.note
	if why == "" && !quietStop(st.Reason) {
		why = st.Text
	}
	if why != "" {
		a.say(why)
	}
	a.stopped(stopReason(st.Reason), why, res.hit)
}

// quietStop reports whether a stop for reason r goes without saying: a
// step done, a breakpoint reached, a pause.
func quietStop(r debugger.StopReason) bool {
	return r == debugger.StopGoal || r == debugger.StopBreakpoint || r == debugger.StopInterrupted
}

// stopReason returns the protocol's reason for a stop.
func stopReason(r debugger.StopReason) string {
	switch r {
	case debugger.StopGoal:
		return "step"
	case debugger.StopBreakpoint, debugger.StopProgramBPT:
		return "breakpoint"
	case debugger.StopWatchpoint:
		return "data breakpoint"
	case debugger.StopStart:
		return "entry"
	case debugger.StopInterrupted, debugger.StopLimit:
		return "pause"
	}
	return "exception" // a fatal fault, a catchpoint, anything else
}

// stopped tells the client the guest stopped (every process with it),
// forgetting the frames and variables handed out before.
func (a *adapter) stopped(reason, why string, hit []int) {
	a.frames, a.refs = nil, nil
	a.threads = a.processThreads()
	a.wire.send(&godap.StoppedEvent{Event: event(0, "stopped"), Body: godap.StoppedEventBody{
		Reason: reason, Description: why, ThreadId: a.currentThread(), AllThreadsStopped: true, HitBreakpointIds: hit}})
}

// exited tells the client the program exited, with its status, and that
// the session is over.
func (a *adapter) exited(st debugger.Stop) {
	a.ended = true
	a.frames, a.refs, a.threads = nil, nil, nil
	a.say(st.Text)
	a.wire.send(&godap.ExitedEvent{Event: event(0, "exited"), Body: godap.ExitedEventBody{ExitCode: st.Status}})
	a.wire.send(&godap.TerminatedEvent{Event: event(0, "terminated")})
}

// say shows a line of the adapter's in the client's console.
func (a *adapter) say(text string) {
	a.wire.send(outputEvent(0, "console", fmt.Sprintln(text)))
}
