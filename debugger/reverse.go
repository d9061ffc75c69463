package debugger

import (
	"fmt"

	"toyvm/cpu"
	"toyvm/isa"
	"toyvm/kernel"
)

// Going backwards beyond one instruction: reverse-continue, reverse-next
// and reverse-finish. Each asks the same question of the past: the last
// moment before now at which the pc stood at one of some addresses, with
// the machine in some state (a breakpoint's condition, the stack pointer
// of a frame), or at which a watched word changed. lastStop answers it by
// replaying the run from boot at the CPU's speed, with those addresses as
// the CPU's breakpoints, and Backstep then goes to that moment.

var reverseCommands = []command{
	{"reverse-continue", []string{"rc"}, "", "go back to the last breakpoint hit or watched word change (the start if none)", (*Session).cmdReverseContinue},
	{"reverse-next", []string{"rn"}, "", "go back one instruction in this frame, over a call that just returned", (*Session).cmdReverseNext},
	{"reverse-finish", nil, "", "go back to the call of the current function", (*Session).cmdReverseFinish},
}

// past is a question lastStop answers: the addresses to stop at, and
// whether a moment at one of them counts (nil: every one does).
type past struct {
	addrs   []uint32
	accept  func() bool
	watches bool // a watched word's change counts too
}

// lastStop replays the run from boot to now and returns the last
// instruction count before now that q accepts and what stops there
// ("breakpoint 1"), or "" if there is none.
// accept reads the replayed machine, which is s.k while it runs. It
// returns an error if the replay fails or is interrupted.
func (s *Session) lastStop(q past) (uint64, string, error) {
	now := s.k.CPU.Instructions
	old, next, off := s.k, s.rec.next, s.rec.off
	s.guest.muted, s.rec.replaying = true, true
	defer func() {
		s.guest.muted, s.rec.replaying = false, false
		s.rec.next, s.rec.off = next, off // the machine kept reads on where it was
	}()
	k, err := s.boot()
	if err != nil {
		return 0, "", err
	}
	k.SetTrace(0)
	s.k = k // accept and the watched values read the replay
	defer func() { s.k = old; k.Close() }()
	return s.search(k, now, q)
}

// search runs the replay k to now, noting each moment q accepts.
func (s *Session) search(k *kernel.Kernel, now uint64, q past) (uint64, string, error) {
	k.CPU.SetBreakpoints(q.addrs)
	if q.watches {
		k.CPU.SetWatchedWords(s.watchAddrs())
	}
	watched := s.watchValues()
	var at uint64
	why := ""
	err := s.rec.runWatching(k, now, func() bool { return s.interrupted.Swap(false) }, func() {
		switch k.CPU.Held() {
		case cpu.AtBreakpoint:
			if q.accept == nil || q.accept() {
				at, why = k.CPU.Instructions, s.breakName()
			}
		case cpu.WroteWatched:
			if now := s.watchValues(); now != watched {
				at, why, watched = k.CPU.Instructions-1, "a watched word changes in the next instruction", now
			}
		}
	})
	return at, why, err
}

// breakName names the breakpoint at the pc ("breakpoint 1"), "" if none.
func (s *Session) breakName() string {
	if bp := s.breakAt(s.k.CPU.PC); bp != nil {
		return fmt.Sprintf("%s %d", bp.kind, bp.id)
	}
	return "here"
}

// watchValues returns the words of the enabled virtual watchpoints, as
// one string to compare.
func (s *Session) watchValues() string {
	var b []byte
	for _, p := range s.points {
		if p.kind == watchVirt && !p.disabled {
			v, _ := s.watchedValue(p)
			b = fmt.Appendf(b, "%d=%08x ", p.id, v)
		}
	}
	return string(b)
}

// goBack moves the machine back to instruction at, where why stops it,
// or to the start if why is "", and reports where it stands.
func (s *Session) goBack(at uint64, why, what string) error {
	if why == "" {
		at, why = 0, "no "+what+" before now: back at the program's first instruction"
	}
	if err := s.Backstep(s.k.CPU.Instructions - at); err != nil {
		return err
	}
	s.rearmWatches()
	if why != "here" {
		s.printf("%s\n", s.paint.stop(why))
	}
	s.printHere()
	s.showDisplays()
	return nil
}

// cmdReverseContinue: reverse-continue.
func (s *Session) cmdReverseContinue(args []string) error {
	if err := wantArgs(args, 0, 0, "reverse-continue"); err != nil {
		return err
	}
	at, why, err := s.lastStop(past{addrs: s.breakAddrs(), accept: s.breakAccepts, watches: true})
	if err != nil {
		return fmt.Errorf("reverse-continue: %w", err)
	}
	return s.goBack(at, why, "breakpoint hit or watched change")
}

// breakAccepts reports whether the breakpoint at the pc stops the guest:
// its condition holds (its ignore count and hits are not counted going
// backwards).
func (s *Session) breakAccepts() bool {
	bp := s.breakAt(s.k.CPU.PC)
	if bp == nil || bp.cond == "" {
		return bp != nil
	}
	v, err := s.eval(bp.cond)
	return err != nil || v != 0
}

// cmdReverseNext: reverse-next: back one instruction; if that lands in a
// function the instruction before now returned from, on back to the
// CALL of it.
func (s *Session) cmdReverseNext(args []string) error {
	if err := wantArgs(args, 0, 0, "reverse-next"); err != nil {
		return err
	}
	p := s.current()
	if p == nil || s.k.CPU.Instructions == 0 {
		return fmt.Errorf("reverse-next: nothing to go back to")
	}
	pc, sp := s.k.CPU.PC, s.k.CPU.R[isa.SP]
	call, ok := s.InstructionBefore(pc)
	if !ok || !s.isCallAt(call) {
		return s.goBack(s.k.CPU.Instructions-1, "here", "")
	}
	return s.backToCall(call, sp, "reverse-next")
}

// cmdReverseFinish: reverse-finish: back to the CALL that called the
// current function, in its caller.
func (s *Session) cmdReverseFinish(args []string) error {
	if err := wantArgs(args, 0, 0, "reverse-finish"); err != nil {
		return err
	}
	frames, note := s.Backtrace()
	if len(frames) < 2 {
		return fmt.Errorf("reverse-finish: no caller to go back to (%s)", note)
	}
	ret := frames[1].PC
	call, ok := s.InstructionBefore(ret)
	if !ok || !s.isCallAt(call) {
		return fmt.Errorf("reverse-finish: no CALL before the return address 0x%08x", ret)
	}
	return s.backToCall(call, s.returnSlot(frames[0])+4, "reverse-finish")
}

// backToCall goes back to the last time the CALL at call ran with the
// stack pointer sp, in this process.
func (s *Session) backToCall(call, sp uint32, cmd string) error {
	pid := s.current().PID
	at, why, err := s.lastStop(past{addrs: []uint32{call}, accept: func() bool {
		p := s.current()
		return p != nil && p.PID == pid && s.k.CPU.R[isa.SP] == sp
	}})
	if err != nil {
		return fmt.Errorf("%s: %w", cmd, err)
	}
	if why != "" {
		why = "here" // a call, not a breakpoint: the stop line says it
	}
	return s.goBack(at, why, "call")
}

// returnSlot returns where frame 0's return address is on the stack: at
// sp right at the function's first instruction, at sp+4 after its push
// fp, else at fp+4.
func (s *Session) returnSlot(f Frame) uint32 {
	c := s.k.CPU
	switch start, ok := s.frameStart(f.PC); {
	case ok && f.PC == start:
		return c.R[isa.SP]
	case ok && f.PC == start+pushFPLen:
		return c.R[isa.SP] + 4
	}
	return f.FP + 4
}

// isCallAt reports whether the instruction at addr is a CALL.
func (s *Session) isCallAt(addr uint32) bool {
	call, _ := s.callAt(addr)
	return call
}
