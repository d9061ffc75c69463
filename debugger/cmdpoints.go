package debugger

import (
	"fmt"
	"strconv"

	"toyvm/kernel"
)

// The commands that set and remove breakpoints, watchpoints and
// catchpoints.
var pointCommands = []command{
	{"break", []string{"b"}, "ADDR|LABEL|FILE:LINE", "stop before the instruction there", (*Session).cmdBreak},
	{"tbreak", nil, "ADDR|LABEL|FILE:LINE", "stop there once, then delete the breakpoint", (*Session).cmdTbreak},
	{"watch", nil, "ADDR", "stop when the virtual word at ADDR (of the current process) changes", (*Session).cmdWatch},
	{"watchp", nil, "PADDR", "stop when the physical word at PADDR changes", (*Session).cmdWatchp},
	{"catch", nil, "fault|syscall|swap|exit [off]", "stop after an instruction that caused such an event", (*Session).cmdCatch},
	{"delete", []string{"d"}, "N", "delete breakpoint or watchpoint N", (*Session).cmdDelete},
}

// cmdBreak: break LOCATION.
func (s *Session) cmdBreak(args []string) error { return s.setBreak(args, breakPoint, "break") }

// cmdTbreak: tbreak LOCATION.
func (s *Session) cmdTbreak(args []string) error { return s.setBreak(args, tempBreak, "tbreak") }

// setBreak sets a breakpoint of the given kind at the location in args.
func (s *Session) setBreak(args []string, kind pointKind, name string) error {
	if err := wantArgs(args, 1, 1, name+" ADDR|LABEL|FILE:LINE"); err != nil {
		return err
	}
	addr, err := s.location(args[0])
	if err != nil {
		return err
	}
	p := s.addPoint(point{kind: kind, addr: addr})
	s.printf("%s\n", s.describe(p))
	return nil
}

// cmdWatch: watch ADDR.
func (s *Session) cmdWatch(args []string) error {
	if err := wantArgs(args, 1, 1, "watch ADDR"); err != nil {
		return err
	}
	addr, err := s.eval(args[0])
	if err != nil {
		return err
	}
	proc := s.current()
	if proc == nil {
		return fmt.Errorf("no process is running")
	}
	p := point{kind: watchVirt, addr: addr, pid: proc.PID}
	var ok bool
	if p.old, ok = s.virtWord(proc, addr); !ok {
		p.old = s.initialValue(addr)
	}
	s.printf("%s\n", s.describe(s.addPoint(p)))
	return nil
}

// cmdWatchp: watchp PADDR.
func (s *Session) cmdWatchp(args []string) error {
	if err := wantArgs(args, 1, 1, "watchp PADDR"); err != nil {
		return err
	}
	addr, err := s.eval(args[0])
	if err != nil {
		return err
	}
	v, ok := s.physWord(addr)
	if !ok {
		return fmt.Errorf("physical address 0x%08x is outside memory (%s)", addr, kernel.SizeText(uint64(s.k.Phys.Size())))
	}
	s.printf("%s\n", s.describe(s.addPoint(point{kind: watchPhys, addr: addr, old: v})))
	return nil
}

// cmdCatch: catch EVENT [off], or catch alone to list.
func (s *Session) cmdCatch(args []string) error {
	if err := wantArgs(args, 0, 2, "catch fault|syscall|swap|exit [off]"); err != nil {
		return err
	}
	if len(args) > 0 {
		e, err := parseEvent(args[0])
		if err != nil {
			return err
		}
		on, err := onOff(args[1:])
		if err != nil {
			return err
		}
		s.catches = catchSet(setBit(event(s.catches), e, on))
	}
	s.printf("catching: %s\n", s.catches)
	return nil
}

// setBit returns set with e added (on) or removed.
func setBit(set, e event, on bool) event {
	if on {
		return set | e
	}
	return set &^ e
}

// onOff reads an optional "on" or "off" (absent: on).
func onOff(args []string) (bool, error) {
	switch {
	case len(args) == 0 || args[0] == "on":
		return true, nil
	case args[0] == "off":
		return false, nil
	}
	return false, fmt.Errorf("%q: want on or off", args[0])
}

// cmdDelete: delete N.
func (s *Session) cmdDelete(args []string) error {
	if err := wantArgs(args, 1, 1, "delete N"); err != nil {
		return err
	}
	id, err := strconv.Atoi(args[0])
	if err != nil {
		return fmt.Errorf("%q is not a breakpoint number", args[0])
	}
	return s.deletePoint(id)
}
