package debugger

import (
	"fmt"

	"toyvm/isa"
	"toyvm/kernel"
)

// maxTrapSteps bounds the CPU steps one instruction may take (its traps,
// interrupts, the faults it retries after): beyond it the debugger stops
// rather than hang.
const maxTrapSteps = 1_000_000

// goal says when a run should stop of its own accord: after each
// instruction it is asked, and returns true to stop there.
type goal func() bool

// resume runs the guest until goal says so, limit instructions have
// run (0: no limit), a breakpoint, watchpoint or catchpoint stops it, the
// user interrupts it, or the machine is done; then it reports where it
// stopped. The breakpoint at the pc it starts from does not stop it.
func (s *Session) resume(limit uint64, done goal) (reached bool) {
	if s.exited() {
		return false
	}
	s.interrupted.Store(false)
	if s.term != nil {
		s.term.Release()
		defer s.term.Reclaim()
	}
	why := s.runLoop(limit, done)
	s.report(why)
	return why == "" && done != nil && done()
}

// resumeQuiet runs the guest until goal, as resume does, but reports the
// stop only when last is set or the guest stopped for another reason
// (next N reports once, at the end). It returns whether goal was reached.
func (s *Session) resumeQuiet(goal goal, last bool) bool {
	if s.exited() {
		return false
	}
	s.interrupted.Store(false)
	if s.term != nil {
		s.term.Release()
		defer s.term.Reclaim()
	}
	why := s.runLoop(0, goal)
	if why != "" || last {
		s.report(why)
	}
	return why == ""
}

// runLoop steps instructions until a reason to stop, which it returns
// ("" for a plain stop at the goal or the limit).
func (s *Session) runLoop(limit uint64, done goal) string {
	if limit == 0 && done == nil && s.fastRunnable() {
		return s.runFast()
	}
	for n := uint64(0); ; n++ {
		if why := s.stopBefore(n); why != "" {
			return why
		}
		var before counts
		if s.catches.events != 0 {
			before = s.countNow()
		}
		bpts, held := s.k.BreakpointTraps(), s.k.HeldFault()
		if !s.stepInstruction() {
			return "the machine made no progress in a million steps"
		}
		if s.k.BreakpointTraps() != bpts {
			return fmt.Sprintf("the program's bpt at 0x%08x", s.k.CPU.PC-1) // the pc after its one byte
		}
		if f := s.k.HeldFault(); f != nil && f != held {
			return fatalText(f)
		}
		if why := s.stopAfter(before); why != "" {
			return why
		}
		if (limit != 0 && n+1 >= limit) || (done != nil && done()) {
			return ""
		}
	}
}

// stopBefore returns why the guest must not run its next instruction:
// it is done, interrupted, at the --max-steps limit, or (after the
// first) at a breakpoint.
func (s *Session) stopBefore(n uint64) string {
	switch max := s.cfg.MaxSteps; {
	case s.k.Done():
		return "exited"
	case s.interrupted.Swap(false):
		return "interrupted"
	case max != 0 && s.k.CPU.Instructions >= max:
		return fmt.Sprintf("stopped after %d instructions (--max-steps %d)", s.k.CPU.Instructions, max)
	}
	if n > 0 {
		return s.breakHere()
	}
	return ""
}

// breakHere returns the breakpoint at the pc that stops the guest ("" if
// none), deleting it if it is a temporary one.
func (s *Session) breakHere() string {
	bp := s.breakAt(s.k.CPU.PC)
	if bp == nil {
		return ""
	}
	stop, why := s.stops(bp)
	if !stop {
		return ""
	}
	if bp.kind == tempBreak {
		s.deletePoint(bp.id)
	}
	if why != "" {
		return why
	}
	return fmt.Sprintf("%s %d", bp.kind, bp.id)
}

// stopAfter returns why the guest stops after an instruction: a
// watchpoint's word changed, or a caught event happened.
func (s *Session) stopAfter(before counts) string {
	if p, was := s.changedWatch(); p != nil {
		return fmt.Sprintf("%s %d: 0x%08x -> 0x%08x", p.kind, p.id, was, p.old)
	}
	if s.catches.events != 0 {
		if after := s.countNow(); s.catches.caught(before, after) != 0 {
			return s.caughtText(s.catches.caught(before, after), before, after)
		}
	}
	if s.k.Done() {
		return "exited"
	}
	return ""
}

// caughtText describes a caught event; a fault with its record if the
// kernel logged one (a fault the kernel itself takes, copying a system
// call's buffer, is counted but not logged).
func (s *Session) caughtText(e event, before, after counts) string {
	if e == catchFault && after.lastFault != before.lastFault {
		return "caught fault: " + after.lastFault.String()
	}
	switch e {
	case catchFault:
		return fmt.Sprintf("caught fault (page_faults %d -> %d)", before.faults, after.faults)
	case catchSyscall:
		return "caught syscall: " + s.k.LastSyscall()
	case catchSwap:
		return "caught swap: " + s.k.LastSwap()
	}
	return "caught " + e.String()
}

// stepInstruction runs the CPU until one instruction retires (with the
// traps and interrupts before it), a trap sends the process elsewhere
// than the instruction it faulted on (an upcall to its library OS's
// handler, an exec: the next stop may be a breakpoint there), or the
// machine is done. It returns false if that took more than maxTrapSteps
// steps.
func (s *Session) stepInstruction() bool {
	c := s.k.CPU
	return s.stepFrom(c.Instructions, s.k.Current(), c.PC, false)
}

// stepFrom is stepInstruction for the instruction at pc of process p,
// from the instruction count start; trapped says that it has taken a
// trap already (a fast run held the CPU after it), which may have sent p
// elsewhere.
func (s *Session) stepFrom(start uint64, p *kernel.Process, pc uint32, trapped bool) bool {
	c := s.k.CPU
	held := s.k.HeldFault()
	s.retiredBy = nil
	for i := 0; i < maxTrapSteps; i++ {
		if c.Instructions != start || s.k.Done() || ((i > 0 || trapped) && s.k.Current() == p && c.PC != pc) || s.k.HeldFault() != held {
			return true
		}
		runs := s.k.Current()
		c.Step()
		if c.Instructions != start {
			s.retiredBy = runs
		}
	}
	return false
}

// fatalText says that the program took a fault that kills it, held back
// for the user to look at the process first, as gdb stops on SIGSEGV.
func fatalText(f *kernel.FatalFault) string {
	return fmt.Sprintf("fatal fault: %s\nthe process is stopped before it is killed: continue or step kills it (exit status %d)", f.FaultRecord, f.Status)
}

// exited reports whether the machine is done, saying so.
func (s *Session) exited() bool {
	if st, done := s.k.ExitStatus(); done {
		s.printf("the program has exited with status %d; `run` starts it again\n", st)
		return true
	}
	return false
}

// report prints why and where the guest stopped.
func (s *Session) report(why string) {
	s.selected = 0 // gdb selects the innermost frame at every stop
	if why != "" && why != "exited" {
		s.printf("%s\n", s.paint.stop(why))
	}
	if st, done := s.k.ExitStatus(); done {
		s.printf("%s\n", s.paint.stop(fmt.Sprintf("program exited with status %d", st)))
		return
	}
	s.printHere()
	s.showDisplays()
}

// printHere prints the pc, its label and line, and its instruction.
func (s *Session) printHere() {
	pc := s.k.CPU.PC
	text, _ := s.instText(pc)
	pid := 0
	if p := s.current(); p != nil {
		pid = p.PID
	}
	s.printf("%s pid %d  %s\n", s.paint.here("=> "+s.whereLine(pc)), pid, text)
}

// callAt reports whether the instruction at pc is a CALL, and its length.
func (s *Session) callAt(pc uint32) (bool, uint32) {
	in, n, err := isa.Decode(s.textBytes(pc, isa.MaxInstLen))
	return err == nil && in.Op.Code == isa.CALL, n
}
