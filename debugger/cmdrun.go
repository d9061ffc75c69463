package debugger

import (
	"fmt"
	"strings"

	"toyvm/isa"
)

// The commands that run the guest.
var runCommands = []command{
	{"run", []string{"r"}, "", "start the program again from boot and run it", (*Session).cmdRun},
	{"continue", []string{"c", "cont"}, "", "run until a breakpoint, watchpoint, catchpoint or the end", (*Session).cmdContinue},
	{"step", []string{"s", "si", "stepi"}, "[N]", "run N instructions (1), into calls", (*Session).cmdStep},
	{"next", []string{"n", "ni", "nexti"}, "[N]", "run N instructions (1), running a CALL to its return", (*Session).cmdNext},
	{"start", []string{"starti"}, "", "start the program again from boot, stopped at its first instruction", (*Session).cmdStart},
	{"finish", []string{"fin"}, "", "run until the current function returns (its RET, calls it makes counted)", (*Session).cmdFinish},
	{"until", []string{"u"}, "[ADDR]", "run until pc reaches ADDR, or passes this instruction in this frame, or the frame returns", (*Session).cmdUntil},
	{"backstep", []string{"bs", "reverse-stepi", "rsi"}, "[N]", "go back N instructions (1)", (*Session).cmdBackstep},
}

// maxCount bounds step counts.
const maxCount = 1 << 40

// cmdRun: run.
func (s *Session) cmdRun(args []string) error {
	if err := wantArgs(args, 0, 0, "run"); err != nil {
		return err
	}
	k, err := s.boot()
	if err != nil {
		return err
	}
	s.use(k)
	s.rearmWatches()
	s.printf("starting %s\n", strings.Join(s.argv, " "))
	if why := s.breakHere(); why != "" { // a breakpoint on the first instruction
		s.report(why)
		return nil
	}
	s.resume(0, nil)
	return nil
}

// rearmWatches sets every watchpoint's last value to the word now, after
// a restart.
func (s *Session) rearmWatches() {
	for _, p := range s.points {
		if v, ok := s.watchedValue(p); ok {
			p.old = v
		} else if p.kind == watchVirt {
			p.old = s.initialValue(p.addr)
		}
	}
}

// cmdContinue: continue.
func (s *Session) cmdContinue(args []string) error {
	if err := wantArgs(args, 0, 0, "continue"); err != nil {
		return err
	}
	s.resume(0, nil)
	return nil
}

// cmdStep: step [N].
func (s *Session) cmdStep(args []string) error {
	if err := wantArgs(args, 0, 1, "step [N]"); err != nil {
		return err
	}
	n, err := s.count(args, 0, 1, maxCount)
	if err != nil {
		return err
	}
	s.resume(n, nil)
	return nil
}

// cmdNext: next. A CALL runs until the pc is after it again with the
// stack as it was (so a recursive call inside does not stop it).
func (s *Session) cmdNext(args []string) error {
	if err := wantArgs(args, 0, 1, "next [N]"); err != nil {
		return err
	}
	n, err := s.count(args, 0, 1, maxCount)
	if err != nil {
		return err
	}
	for i := uint64(0); i < n; i++ {
		if !s.nextOne(i == n-1) {
			return nil
		}
	}
	return nil
}

// nextOne runs one instruction, a CALL to its return, reporting where it
// stops only when last is set or it stopped for another reason; it
// returns false when it stopped for another reason (a breakpoint, the
// end).
func (s *Session) nextOne(last bool) bool {
	pc, sp, in := s.k.CPU.PC, s.k.CPU.R[isa.SP], s.inThisProcess()
	call, n := s.callAt(pc)
	goal := func() bool { return true }
	if call {
		goal = func() bool { return in() && s.k.CPU.PC == pc+n && s.k.CPU.R[isa.SP] == sp }
	}
	return s.resumeQuiet(goal, last)
}

// cmdStart: start (or starti). toyvm programs have no runtime before
// their entry, so both stop at the first instruction, as gdb's starti.
func (s *Session) cmdStart(args []string) error {
	if err := wantArgs(args, 0, 0, "start"); err != nil {
		return err
	}
	k, err := s.boot()
	if err != nil {
		return err
	}
	s.use(k)
	s.rearmWatches()
	s.printf("starting %s\n", strings.Join(s.argv, " "))
	s.printHere()
	return nil
}

// inThisProcess returns a test that the process running now is still
// the one running when it was made: a goal about pc and sp (next,
// finish, until) means that process's, not another's at the same
// addresses.
func (s *Session) inThisProcess() func() bool {
	p := s.k.Current()
	return func() bool { return s.k.Current() == p }
}

// cmdFinish: finish. The current function has returned when a RET runs
// at its own depth: calls it makes and their returns are counted
// (frames.go), so its own epilogue, which moves sp, does not stop it.
func (s *Session) cmdFinish(args []string) error {
	if err := wantArgs(args, 0, 0, "finish"); err != nil {
		return err
	}
	w := s.watchFrames()
	s.printf("run till exit from %s\n", s.where(s.k.CPU.PC))
	if s.resume(0, func() bool { w.after(); return w.returned && w.here() }) {
		s.printf("r0 = 0x%08x (%d)\n", s.k.CPU.R[0], int32(s.k.CPU.R[0])) // the function's result, if it has one
	}
	return nil
}

// cmdUntil: until [ADDR]. Without ADDR it runs until the pc is past the
// current instruction in the current frame (a loop's backward branch
// does not stop it; a call does not either), or the frame returns (at a
// RET, it steps out to the caller).
func (s *Session) cmdUntil(args []string) error {
	if err := wantArgs(args, 0, 1, "until [ADDR]"); err != nil {
		return err
	}
	if len(args) == 1 {
		addr, err := s.location(args[0])
		if err != nil {
			return err
		}
		in := s.inThisProcess()
		s.resume(0, func() bool { return in() && s.k.CPU.PC == addr })
		return nil
	}
	pc, w := s.k.CPU.PC, s.watchFrames()
	s.resume(0, func() bool {
		w.after()
		return w.here() && (w.returned || w.depth == 0 && s.k.CPU.PC > pc)
	})
	return nil
}

// cmdBackstep: backstep [N].
func (s *Session) cmdBackstep(args []string) error {
	if err := wantArgs(args, 0, 1, "backstep [N]"); err != nil {
		return err
	}
	n, err := s.count(args, 0, 1, maxCount)
	if err != nil {
		return err
	}
	if err := s.Backstep(n); err != nil {
		return fmt.Errorf("backstep: %w", err)
	}
	s.rearmWatches()
	s.printHere()
	return nil
}
