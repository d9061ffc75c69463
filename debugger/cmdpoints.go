package debugger

import (
	"fmt"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"toyvm/image"
	"toyvm/isa"
	"toyvm/kernel"
)

// The commands that set and remove breakpoints, watchpoints and
// catchpoints.
var pointCommands = []command{
	{"break", []string{"b"}, "LOCATION [if EXPR]", "stop before the instruction there (when EXPR is not 0)", (*Session).cmdBreak},
	{"tbreak", nil, "LOCATION [if EXPR]", "stop there once, then delete the breakpoint", (*Session).cmdTbreak},
	{"condition", nil, "N [EXPR]", "stop at breakpoint N only when EXPR is not 0 (no EXPR: always)", (*Session).cmdCondition},
	{"enable", nil, "[N...]", "enable points N (all)", (*Session).cmdEnable},
	{"disable", nil, "[N...]", "disable points N (all): kept, but they stop nothing", (*Session).cmdDisable},
	{"ignore", nil, "N COUNT", "pass over the next COUNT hits of breakpoint N", (*Session).cmdIgnore},
	{"watch", nil, "ADDR", "stop when the virtual word at ADDR (of the current process) changes", (*Session).cmdWatch},
	{"watchp", nil, "PADDR", "stop when the physical word at PADDR changes", (*Session).cmdWatchp},
	{"catch", nil, "fault|syscall [NAME...]|swap|exit [off]", "stop after an instruction that caused such an event (syscall: any, or those named)", (*Session).cmdCatch},
	{"delete", []string{"d"}, "[N...]", "delete breakpoints or watchpoints N (all, after asking on a terminal)", (*Session).cmdDelete},
}

// cmdBreak: break LOCATION.
func (s *Session) cmdBreak(args []string) error { return s.setBreak(args, breakPoint, "break") }

// cmdTbreak: tbreak LOCATION.
func (s *Session) cmdTbreak(args []string) error { return s.setBreak(args, tempBreak, "tbreak") }

// setBreak sets a breakpoint of the given kind at the location in args,
// with the condition after "if" if there is one.
func (s *Session) setBreak(args []string, kind pointKind, name string) error {
	cond := ""
	if i := slices.Index(args, "if"); i >= 0 {
		args, cond = args[:i], strings.Join(args[i+1:], " ")
		if cond == "" {
			return fmt.Errorf("usage: %s LOCATION if EXPR: the condition is missing", name)
		}
	}
	if err := wantArgs(args, 1, 1, name+" LOCATION [if EXPR]"); err != nil {
		return err
	}
	addr, err := s.location(args[0])
	if err != nil {
		return err
	}
	if cond != "" {
		if _, err := s.eval(cond); err != nil && !strings.Contains(err.Error(), "*0x") {
			return err // a name or a syntax error; a word not present yet may be later
		}
	}
	p := s.addPoint(point{kind: kind, addr: addr, cond: cond})
	s.printf("%s\n", s.describe(p))
	if why := s.unreachable(addr); why != "" {
		s.printf("%s\n", s.paint.err("warning: "+why))
	}
	return nil
}

// unreachable returns why the program's pc never stops at addr (the
// breakpoint stays set, as gdb keeps one), or "" if it may.
func (s *Session) unreachable(addr uint32) string {
	name := filepath.Base(s.argv[0])
	switch start, ok := s.instStart(addr); {
	case addr >= isa.StackTop:
		return fmt.Sprintf("0x%08x is kernel-only: no user instruction is there, so the breakpoint can never be hit", addr)
	case !s.inText(addr):
		return fmt.Sprintf("%s is not in the text of %s: its pc never stops there", s.where(addr), name)
	case !ok:
		return fmt.Sprintf("%s is inside the instruction at %s, not its start: the pc of %s never stops there",
			s.where(addr), s.whereLine(start), name)
	}
	return ""
}

// inText reports whether addr lies in an executable segment of the image.
func (s *Session) inText(addr uint32) bool {
	for _, seg := range s.img.Segments {
		if seg.Perm&image.PermX != 0 && uint64(addr) >= uint64(seg.Addr) && uint64(addr) < seg.End() {
			return true
		}
	}
	return false
}

// instStart reports whether an instruction of the line table starts at
// addr; if not, it returns the address of the nearest one below addr
// (0 and true when there is none: without lines nothing can be told).
func (s *Session) instStart(addr uint32) (uint32, bool) {
	below, found := uint32(0), false
	for _, l := range s.img.Lines {
		if l.Addr == addr {
			return addr, true
		}
		if l.Addr < addr && s.inText(l.Addr) && l.Addr >= below {
			below, found = l.Addr, true
		}
	}
	return below, !found
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
	if err := s.checkWatchable(proc, addr); err != nil {
		return err
	}
	p := point{kind: watchVirt, addr: addr, pid: proc.PID}
	var ok bool
	if p.old, ok = s.virtWord(proc, addr); !ok {
		p.old = s.initialValue(addr)
	}
	s.printf("%s\n", s.describe(s.addPoint(p)))
	return nil
}

// checkWatchable returns an error if a byte of the word at va lies
// where proc can never have memory: outside its regions, or kernel-only.
func (s *Session) checkWatchable(proc *kernel.Process, va uint32) error {
	switch s.wordState(proc, va) {
	case pageNoRegion:
		return fmt.Errorf("cannot watch %s: no region of pid %d covers it (info regions lists them)", s.where(va), proc.PID)
	case pageKernelOnly:
		return fmt.Errorf("cannot watch %s: addresses from 0x%08x up are kernel-only", s.where(va), uint32(isa.StackTop))
	}
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
	if err := s.checkPhys(addr); err != nil {
		return err
	}
	v, _ := s.physWord(addr)
	s.printf("%s\n", s.describe(s.addPoint(point{kind: watchPhys, addr: addr, old: v})))
	return nil
}

// cmdCatch: catch EVENT [off], catch syscall [NAME...], or catch alone
// to list.
func (s *Session) cmdCatch(args []string) error {
	if len(args) > 0 {
		e, err := parseEvent(args[0])
		if err != nil {
			return err
		}
		if err := s.setCatch(e, args[1:]); err != nil {
			return err
		}
	}
	s.printf("catching: %s\n", s.catches)
	return nil
}

// setCatch catches event e, or stops catching it (off); for syscall, args
// may name the calls to catch instead (each added to those named before).
// It returns an error for an unknown call or a bad argument.
func (s *Session) setCatch(e event, args []string) error {
	if e == catchSyscall && len(args) > 0 && args[0] != "off" && args[0] != "on" {
		for _, name := range args {
			if !slices.Contains(kernel.SyscallNames(), name) {
				return fmt.Errorf("no system call %q (known: %s)", name, strings.Join(kernel.SyscallNames(), ", "))
			}
			if !slices.Contains(s.catches.calls, name) {
				s.catches.calls = append(s.catches.calls, name)
			}
		}
		s.catches.events |= e
		return nil
	}
	if err := wantArgs(args, 0, 1, "catch fault|syscall [NAME...]|swap|exit [off]"); err != nil {
		return err
	}
	on, err := onOff(args)
	if err != nil {
		return err
	}
	if e == catchSyscall {
		s.catches.calls = nil // every call, or none
	}
	s.catches.events = setBit(s.catches.events, e, on)
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

// cmdDelete: delete [N...]. With no number it deletes every point, after
// asking when the user is at a terminal.
func (s *Session) cmdDelete(args []string) error {
	if len(args) == 0 {
		if len(s.points) > 0 && !s.confirm("Delete all breakpoints and watchpoints?") {
			return nil
		}
		s.points = nil
		return nil
	}
	ps, err := s.pointsNamed(args)
	if err != nil {
		return err
	}
	for _, p := range ps {
		s.deletePoint(p.id)
	}
	return nil
}

// pointsNamed returns the points numbered in args (every point when args
// is empty), or an error naming a number that is no point.
func (s *Session) pointsNamed(args []string) ([]*point, error) {
	if len(args) == 0 {
		return s.points, nil
	}
	var out []*point
	for _, a := range args {
		p, err := s.pointNumbered(a)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, nil
}

// pointNumbered returns the point whose number is text.
func (s *Session) pointNumbered(text string) (*point, error) {
	id, err := strconv.Atoi(text)
	if err != nil {
		return nil, fmt.Errorf("%q is not a breakpoint number", text)
	}
	for _, p := range s.points {
		if p.id == id {
			return p, nil
		}
	}
	return nil, fmt.Errorf("no breakpoint or watchpoint %d", id)
}

// cmdCondition: condition N [EXPR].
func (s *Session) cmdCondition(args []string) error {
	if len(args) == 0 {
		return fmt.Errorf("usage: condition N [EXPR]")
	}
	p, err := s.pointNumbered(args[0])
	if err != nil {
		return err
	}
	if p.kind != breakPoint && p.kind != tempBreak {
		return fmt.Errorf("%s %d is no breakpoint: a watchpoint takes no condition", p.kind, p.id)
	}
	p.cond = strings.Join(args[1:], " ")
	s.printf("%s\n", s.describe(p))
	return nil
}

// cmdEnable: enable [N...].
func (s *Session) cmdEnable(args []string) error { return s.setDisabled(args, false) }

// cmdDisable: disable [N...].
func (s *Session) cmdDisable(args []string) error { return s.setDisabled(args, true) }

// setDisabled disables or enables the points named in args (all).
func (s *Session) setDisabled(args []string, disabled bool) error {
	ps, err := s.pointsNamed(args)
	if err != nil {
		return err
	}
	for _, p := range ps {
		p.disabled = disabled
	}
	return nil
}

// cmdIgnore: ignore N COUNT.
func (s *Session) cmdIgnore(args []string) error {
	if err := wantArgs(args, 2, 2, "ignore N COUNT"); err != nil {
		return err
	}
	p, err := s.pointNumbered(args[0])
	if err != nil {
		return err
	}
	n, err := strconv.Atoi(args[1])
	if err != nil || n < 0 {
		return fmt.Errorf("%q is not a count of hits", args[1])
	}
	p.ignore = n
	s.printf("%s\n", s.describe(p))
	return nil
}
