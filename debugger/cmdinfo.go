package debugger

import (
	"fmt"
	"strings"

	"toyvm/kernel"
)

// infoTopics are the topics of info, in the order help lists them.
var infoTopics = []struct {
	name    string
	aliases []string // gdb's short names, taken before prefixes
	show    func(s *Session) error
}{
	{"faults", nil, (*Session).infoFaults},
	{"regions", nil, (*Session).infoRegions},
	{"swap", nil, (*Session).infoSwap},
	{"breakpoints", []string{"b", "break"}, (*Session).infoPoints},
	{"watchpoints", nil, (*Session).infoPoints},
	{"registers", []string{"r", "regs"}, func(s *Session) error { return s.cmdRegs(nil) }},
	{"display", nil, func(s *Session) error { s.showDisplays(); return nil }},
	{"program", nil, (*Session).infoProgram},
	{"frame", []string{"f"}, (*Session).infoFrame},
}

// infoProgram says whether the program runs, where, and after how many
// instructions, or how it ended.
func (s *Session) infoProgram() error {
	if st, done := s.k.ExitStatus(); done {
		s.printf("the program has exited with status %d ($_exitcode), after %d instructions\n", st, s.k.CPU.Instructions)
		return nil
	}
	p := s.current()
	if p == nil {
		s.printf("the program runs: %d processes, every one waiting, after %d instructions\n", s.live(), s.k.CPU.Instructions)
		return nil
	}
	s.printf("the program runs: %d processes, pid %d at %s, after %d instructions\n",
		s.live(), p.PID, s.whereLine(s.k.CPU.PC), s.k.CPU.Instructions)
	return nil
}

// infoTopicNames returns the names of the info topics.
func infoTopicNames() []string {
	names := make([]string, len(infoTopics))
	for i, t := range infoTopics {
		names[i] = t.name
	}
	return names
}

// infoTopic returns the topic word names: by its name, an alias, or a
// prefix no other topic has.
func infoTopic(word string) (string, error) {
	for _, t := range infoTopics {
		if t.name == word || contains(t.aliases, word) {
			return t.name, nil
		}
	}
	return uniquePrefix(word, infoTopicNames(), "info topic", "known: "+strings.Join(infoTopicNames(), ", "))
}

// cmdInfo: info TOPIC, where any unique prefix of a topic names it
// (info b, info r).
func (s *Session) cmdInfo(args []string) error {
	if err := wantArgs(args, 1, 1, "info "+strings.Join(infoTopicNames(), "|")); err != nil {
		return err
	}
	name, err := infoTopic(args[0])
	if err != nil {
		if near := nearest(args[0], infoTopicNames()); near != "" && !strings.Contains(err.Error(), "ambiguous") {
			return fmt.Errorf("unknown info topic %q (did you mean %s?)", args[0], near)
		}
		return err
	}
	for _, t := range infoTopics {
		if t.name == name {
			return t.show(s)
		}
	}
	return nil
}

// infoFaults lists the recent faults the CPU took and how each was
// served, then says what stats counts that the list leaves out.
func (s *Session) infoFaults() error {
	faults := s.k.RecentFaults()
	if len(faults) == 0 {
		s.printf("no faults yet\n")
		return nil
	}
	for _, f := range faults {
		s.printf("%s\n", f)
	}
	return nil
}

// infoRegions lists the current process's regions.
func (s *Session) infoRegions() error {
	p := s.current()
	if p == nil {
		return fmt.Errorf("no process is running: every one has exited")
	}
	s.printf("pid %d (%s):\n", p.PID, p.Name)
	for _, r := range p.Space.Regions {
		s.printf("  %s  %d pages\n", r, r.Pages())
	}
	for _, seg := range s.k.Segments() {
		s.printf("shared memory segment %d: key %d, %d pages, attached %d times\n", seg.ID, seg.Key, seg.Pages, seg.Attached)
	}
	if n := len(p.Space.Locked); n > 0 {
		s.printf("%d pages pinned by mlock\n", n)
	}
	return nil
}

// infoSwap describes the swap area.
func (s *Session) infoSwap() error {
	sw := s.k.SwapArea()
	s.printf("swap: %s layout, %d slots (%s), %d used, %d free\n", sw.Layout, sw.Slots(),
		kernel.SizeText(uint64(sw.Slots())*4096), sw.Slots()-sw.Free(), sw.Free())
	st := s.k.Stats()
	s.printf("swap-ins %d, swap-outs %d\n", st.SwapIns, st.SwapOuts)
	return nil
}

// infoPoints lists the breakpoints, watchpoints and catchpoints.
func (s *Session) infoPoints() error {
	if len(s.points) == 0 {
		s.printf("no breakpoints or watchpoints\n")
	}
	for _, p := range s.points {
		s.printf("%s\n", s.describe(p))
	}
	s.printf("catching: %s\n", s.catches)
	return nil
}

// cmdStats: stats.
func (s *Session) cmdStats(args []string) error {
	if err := wantArgs(args, 0, 0, "stats"); err != nil {
		return err
	}
	s.k.Stats().WriteText(s.out)
	return nil
}

// cmdTrace: trace CATEGORY on|off, or trace alone to show what is traced.
func (s *Session) cmdTrace(args []string) error {
	if err := wantArgs(args, 0, 2, "trace CATEGORY on|off"); err != nil {
		return err
	}
	if len(args) > 0 {
		cat, err := kernel.ParseTrace(args[0])
		if err != nil {
			return err
		}
		on, err := onOff(args[1:])
		if err != nil {
			return err
		}
		if on {
			s.cfg.Trace |= cat
		} else {
			s.cfg.Trace &^= cat
		}
		s.k.SetTrace(s.cfg.Trace)
	}
	s.printf("tracing: %s\n", traceText(s.cfg.Trace))
	return nil
}

// traceText names the categories in set, "nothing" for none.
func traceText(set kernel.TraceSet) string {
	var on []string
	for _, name := range strings.Split(kernel.TraceNames(), ", ") {
		if cat, err := kernel.ParseTrace(name); err == nil && set&cat != 0 {
			on = append(on, name)
		}
	}
	if on == nil {
		return "nothing"
	}
	return strings.Join(on, ", ")
}
