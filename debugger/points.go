package debugger

import (
	"fmt"
	"slices"
	"strings"

	"toyvm/kernel"
	"toyvm/mmu"
)

// pointKind says what a numbered point watches.
type pointKind uint8

const (
	breakPoint pointKind = iota // stop before the instruction at addr
	tempBreak                   // the same, deleted when hit (tbreak)
	watchVirt                   // stop when the virtual word at addr changes
	watchPhys                   // stop when the physical word at addr changes
)

var pointKindNames = [...]string{"breakpoint", "tbreakpoint", "watchpoint", "watchpoint (physical)"}

func (k pointKind) String() string { return pointKindNames[k] }

// point is a breakpoint or a watchpoint.
type point struct {
	id       int
	kind     pointKind
	addr     uint32
	pid      int    // watchVirt: the process whose memory is watched
	old      uint32 // watchpoints: the value last seen
	disabled bool   // set aside (disable), kept for enable
	cond     string // breakpoints: stop only when this expression is not 0 ("" always)
	ignore   int    // breakpoints: the next hits that do not stop
	hits     int    // breakpoints: times the pc reached it, enabled
}

// addPoint numbers p, keeps it and returns it.
func (s *Session) addPoint(p point) *point {
	p.id = s.nextPoint
	s.nextPoint++
	s.points = append(s.points, &p)
	return &p
}

// deletePoint removes point id; it returns an error if there is none.
func (s *Session) deletePoint(id int) error {
	for i, p := range s.points {
		if p.id == id {
			s.points = append(s.points[:i], s.points[i+1:]...)
			return nil
		}
	}
	return fmt.Errorf("no breakpoint or watchpoint %d", id)
}

// breakAt returns the enabled breakpoint at addr, or nil.
func (s *Session) breakAt(addr uint32) *point {
	for _, p := range s.points {
		if (p.kind == breakPoint || p.kind == tempBreak) && p.addr == addr && !p.disabled {
			return p
		}
	}
	return nil
}

// stops reports whether reaching breakpoint p stops the guest: it counts
// the hit, passes it over while hits are to be ignored, and evaluates the
// condition. A condition that cannot be evaluated stops, with why (gdb
// does the same).
func (s *Session) stops(p *point) (bool, string) {
	p.hits++
	if p.ignore > 0 {
		p.ignore--
		return false, ""
	}
	if p.cond == "" {
		return true, ""
	}
	v, err := s.eval(p.cond)
	if err != nil {
		return true, fmt.Sprintf("error in the condition of %s %d: %v", p.kind, p.id, err)
	}
	return v != 0, ""
}

// describe returns one line about p, as `info breakpoints` lists it.
func (s *Session) describe(p *point) string {
	switch p.kind {
	case watchVirt:
		return fmt.Sprintf("%d %s %s of pid %d (value 0x%08x)", p.id, p.kind, s.where(p.addr), p.pid, p.old)
	case watchPhys:
		return fmt.Sprintf("%d %s %s (value 0x%08x)", p.id, p.kind, mmu.PAddr(p.addr), p.old)
	}
	text := fmt.Sprintf("%d %s at %s", p.id, p.kind, s.whereLine(p.addr))
	if p.disabled {
		text += ", disabled"
	}
	if p.cond != "" {
		text += ", if " + p.cond
	}
	if p.hits > 0 {
		text += fmt.Sprintf(", hit %d time%s", p.hits, map[bool]string{true: "", false: "s"}[p.hits == 1])
	}
	if p.ignore > 0 {
		text += fmt.Sprintf(", the next %d hits ignored", p.ignore)
	}
	return text
}

// watchedValue returns the word a watchpoint watches as it is now; ok is
// false when it cannot be read (a page not in memory, a process gone).
func (s *Session) watchedValue(p *point) (uint32, bool) {
	if p.kind == watchPhys {
		return s.physWord(p.addr)
	}
	proc := s.process(p.pid)
	if proc == nil {
		return 0, false
	}
	return s.virtWord(proc, p.addr)
}

// initialValue returns the word at va as the program starts: the image's
// bytes, or zeros where it has none (a page never touched holds those).
func (s *Session) initialValue(va uint32) uint32 {
	var v uint32
	for i := uint32(0); i < 4; i++ {
		b, _ := s.imageByte(va + i)
		v |= uint32(b) << (8 * i)
	}
	return v
}

// changedWatch returns the first watchpoint whose word changed since it
// was last seen, updating every value seen; nil if none changed.
func (s *Session) changedWatch() (hit *point, was uint32) {
	for _, p := range s.points {
		if p.kind != watchVirt && p.kind != watchPhys {
			continue
		}
		v, ok := s.watchedValue(p)
		if ok && v != p.old && hit == nil && !p.disabled {
			hit, was = p, p.old
		}
		if ok {
			p.old = v
		}
	}
	return hit, was
}

// event is what a catchpoint catches.
type event uint8

const (
	catchFault event = 1 << iota
	catchSyscall
	catchSwap
	catchExit
)

var eventNames = []struct {
	e    event
	name string
}{{catchFault, "fault"}, {catchSyscall, "syscall"}, {catchSwap, "swap"}, {catchExit, "exit"}}

// eventWords returns the names of the events catch takes.
func eventWords() []string {
	words := make([]string, len(eventNames))
	for i, n := range eventNames {
		words[i] = n.name
	}
	return words
}

// catchSet is the set of events that stop the guest, and the system
// calls catch syscall names (none: every one).
type catchSet struct {
	events event
	calls  []string
}

func (c catchSet) String() string {
	var names []string
	for _, n := range eventNames {
		if c.events&n.e == 0 {
			continue
		}
		if n.e == catchSyscall && c.calls != nil {
			names = append(names, "syscall ("+strings.Join(c.calls, ", ")+")")
			continue
		}
		names = append(names, n.name)
	}
	if names == nil {
		return "none"
	}
	return strings.Join(names, ", ")
}

// parseEvent reads an event name; it returns an error listing the known
// ones.
func parseEvent(name string) (event, error) {
	for _, n := range eventNames {
		if n.name == name {
			return n.e, nil
		}
	}
	return 0, fmt.Errorf("unknown event %q (known: fault, syscall, swap, exit)", name)
}

// counts are the counters a catchpoint compares before and after an
// instruction.
type counts struct {
	faults, syscalls, swaps, exits uint64
	lastFault                      kernel.FaultRecord // the latest fault logged
	lastCall                       string             // the latest system call's name
}

// countNow reads the counters.
func (s *Session) countNow() counts {
	st := s.k.Stats()
	c := counts{faults: st.PageFaults, syscalls: st.Syscalls, lastCall: s.k.LastSyscallName(),
		swaps: st.SwapIns + st.SwapOuts, exits: st.Processes - uint64(s.live())}
	if f := s.k.RecentFaults(); len(f) > 0 {
		c.lastFault = f[len(f)-1]
	}
	return c
}

// live returns the number of processes that have not exited.
func (s *Session) live() int {
	n := 0
	for _, p := range s.k.Processes() {
		if p.State != kernel.Zombie {
			n++
		}
	}
	return n
}

// caught returns the first caught event that happened between before and
// after, or 0. A system call is caught only if catch syscall named it,
// or named none.
func (c catchSet) caught(before, after counts) event {
	happened := map[event]bool{
		catchFault:   after.faults > before.faults,
		catchSyscall: after.syscalls > before.syscalls && (c.calls == nil || slices.Contains(c.calls, after.lastCall)),
		catchSwap:    after.swaps > before.swaps,
		catchExit:    after.exits > before.exits,
	}
	for _, n := range eventNames {
		if c.events&n.e != 0 && happened[n.e] {
			return n.e
		}
	}
	return 0
}

func (e event) String() string {
	for _, n := range eventNames {
		if n.e == e {
			return n.name
		}
	}
	return "event"
}
