package debugger

import (
	"fmt"

	"toyvm/cpu"
	"toyvm/isa"
	"toyvm/kernel"
)

// continue runs the guest at the CPU's own speed, as `toyvm run` does,
// and still stops exactly where the instruction-by-instruction loop
// (runLoop) would:
//
//   - breakpoints are given to the CPU, which stops before an
//     instruction at one of their addresses (cpu/debugstops.go); the
//     debugger then weighs the breakpoint's condition and ignore count,
//     and steps over it if it does not stop;
//   - a watched word's page is written only through the MMU, and the CPU
//     stops after an instruction that wrote to it; the debugger compares
//     the words;
//   - every event a catchpoint waits for (a fault, a system call, a swap
//     transfer, an exit), a bpt, a held fatal fault and the kernel's own
//     writes to memory happen inside a trap: the trapWatch below sees the
//     kernel's counters after each trap and holds the CPU when one moved.
//     An instruction that faulted is then run to its end, as runLoop
//     would before it compares.

// fastSlice is how many instructions a fast run runs between looks at
// an interrupt from the user.
const fastSlice = 1 << 16

// fastRunnable reports whether the guest may run fast: no watchpoint on
// a physical word (which any process may write under any address), and
// no test asked for the instruction-by-instruction loop (slowOnly).
func (s *Session) fastRunnable() bool {
	if s.slowOnly {
		return false
	}
	for _, p := range s.points {
		if p.kind == watchPhys && !p.disabled {
			return false
		}
	}
	return true
}

// runFast is runLoop for a run with no goal and no limit (continue): it
// returns why the guest stopped.
func (s *Session) runFast() string {
	if why := s.runLoop(1, nil); why != "" || s.k.Done() {
		return why // the first instruction: a breakpoint at the pc does not stop it
	}
	c := s.k.CPU
	w := &trapWatch{s: s, kernel: c.Handler}
	c.Handler = w
	c.SetBreakpoints(s.breakAddrs())
	c.SetWatchedWords(s.watchAddrs())
	defer func() {
		c.Handler = w.kernel
		c.SetBreakpoints(nil)
		c.SetWatchedWords(nil)
	}()
	for {
		if why := s.stopBefore(0); why != "" {
			return why
		}
		w.arm()
		c.Run(s.fastBudget())
		if why := s.afterFast(w); why != "" {
			return why
		}
	}
}

// fastBudget returns how many instructions the next fast slice may run:
// a slice, or fewer before the --max-steps limit.
func (s *Session) fastBudget() uint64 {
	if max := s.cfg.MaxSteps; max != 0 {
		return min(fastSlice, max-s.k.CPU.Instructions)
	}
	return fastSlice
}

// afterFast returns why the guest stops after a fast slice ("" to go on):
// what held the CPU, if anything, or the end of the machine.
func (s *Session) afterFast(w *trapWatch) string {
	c := s.k.CPU
	switch c.Held() {
	case cpu.AtBreakpoint:
		if why := s.breakHere(); why != "" {
			return why
		}
		return s.runLoop(1, nil) // step over it; runLoop stops for what it meets there
	case cpu.WroteWatched:
		return s.finishInstruction(s.k.Current(), c.PC, false)
	case cpu.HeldByTrap:
		if w.fatal != nil {
			return fatalText(w.fatal)
		}
		if w.bpt {
			return fmt.Sprintf("the program's bpt at 0x%08x", c.PC-1)
		}
		return s.finishInstruction(w.p, w.pc, true)
	}
	if s.k.Done() {
		return "exited"
	}
	return ""
}

// finishInstruction runs the instruction of process p at pc, held part
// way (it faulted, or an interrupt came before it; trapped: in a trap),
// to its end, then returns what stopAfter says of it: a watchpoint or a
// catchpoint, or "".
func (s *Session) finishInstruction(p *kernel.Process, pc uint32, trapped bool) string {
	before := s.armed
	if !s.k.CPU.Retired() && !s.k.Done() {
		if !s.stepFrom(s.k.CPU.Instructions, p, pc, trapped) {
			return "the machine made no progress in a million steps"
		}
	}
	return s.stopAfter(before)
}

// breakAddrs returns the addresses of the enabled breakpoints.
func (s *Session) breakAddrs() []uint32 {
	var addrs []uint32
	for _, p := range s.points {
		if (p.kind == breakPoint || p.kind == tempBreak) && !p.disabled {
			addrs = append(addrs, p.addr)
		}
	}
	return addrs
}

// watchAddrs returns the address of each enabled watchpoint on a
// virtual word.
func (s *Session) watchAddrs() []uint32 {
	var addrs []uint32
	for _, p := range s.points {
		if p.kind == watchVirt && !p.disabled {
			addrs = append(addrs, p.addr)
		}
	}
	return addrs
}

// trapWatch is the CPU's trap handler during a fast run: it passes each
// trap to the kernel, then holds the CPU if the trap did something the
// debugger waits for.
type trapWatch struct {
	s      *Session
	kernel cpu.Handler
	bpts   uint64             // the kernel's count of bpt traps when armed
	held   *kernel.FatalFault // the fatal fault held when armed
	fatal  *kernel.FatalFault // a new fatal fault held back for the user
	bpt    bool               // the program ran a bpt
	p      *kernel.Process    // the process the last trap came from
	pc     uint32             // the first byte of the instruction it came at
}

// arm notes the kernel's state before a slice; the catchpoints' counts go
// in the session's armed counts, which finishInstruction compares.
func (w *trapWatch) arm() {
	k := w.s.k
	w.bpts, w.held, w.fatal, w.bpt = k.BreakpointTraps(), k.HeldFault(), nil, false
	w.s.armed = w.s.countNowIf()
}

// Trap serves the trap, then holds the CPU after a bpt, a new fatal
// fault, a caught event or a change to a watched word.
func (w *trapWatch) Trap(c *cpu.CPU, cause isa.Cause) {
	w.p, w.pc = w.s.k.Current(), c.FaultPC
	w.kernel.Trap(c, cause)
	k, s := w.s.k, w.s
	switch {
	case k.BreakpointTraps() != w.bpts:
		w.bpt = true
	case k.HeldFault() != nil && k.HeldFault() != w.held:
		w.fatal = k.HeldFault()
	case s.catches.events != 0 && s.catches.caught(s.armed, s.countNow()) != 0:
	case s.watchChanged():
	default:
		return
	}
	c.Hold()
}

// countNowIf returns the counters when a catchpoint needs them.
func (s *Session) countNowIf() counts {
	if s.catches.events == 0 {
		return counts{}
	}
	return s.countNow()
}

// watchChanged reports whether an enabled watchpoint's word differs from
// the value it last had, without taking the new value.
func (s *Session) watchChanged() bool {
	for _, p := range s.points {
		if p.kind == watchVirt && !p.disabled {
			if v, ok := s.watchedValue(p); ok && v != p.old {
				return true
			}
		}
	}
	return false
}
