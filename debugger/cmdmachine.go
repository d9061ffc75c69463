package debugger

import (
	"fmt"

	"toyvm/isa"
	"toyvm/kernel"
	"toyvm/kernel/policy"
	"toyvm/kernel/vm"
	"toyvm/mmu"
)

// The commands that show the MMU and the kernel.
var machineCommands = []command{
	{"pt", nil, "ADDR [pid N]", "the page-table walk for ADDR (in process N): directory entry, table entry, frame, TLB", (*Session).cmdPT},
	{"tlb", nil, "", "the TLB's valid entries, with their ASIDs", (*Session).cmdTLB},
	{"frames", nil, "[all]", "every frame in use (all: free ones too): state, owner, page, locks, A/D", (*Session).cmdFrames},
	{"ps", nil, "", "the processes, their states and what each waits for", (*Session).cmdPs},
	{"info", []string{"i"}, "faults|regions|swap|breakpoints|watchpoints|registers|display|program|frame", "recent faults and how each was served; the regions; the swap area; the points set; the registers; the displays; how the program stands; the selected frame", (*Session).cmdInfo},
	{"stats", nil, "", "the run's counters", (*Session).cmdStats},
	{"trace", nil, "CATEGORY on|off", "trace kernel events: " + kernel.TraceNames() + ", all", (*Session).cmdTrace},
}

// cmdPT: pt ADDR [pid N]: in the current process, or in process N.
func (s *Session) cmdPT(args []string) error {
	args, p, err := s.processArg(args)
	if err != nil {
		return err
	}
	if err := wantArgs(args, 1, 1, "pt ADDR [pid N]"); err != nil {
		return err
	}
	va, err := s.eval(args[0])
	if err != nil {
		return err
	}
	w := p.Space.PT.Lookup(mmu.VAddr(va))
	s.printWalk(p, w)
	return nil
}

// printWalk prints a walk level by level, then the frame, the TLB and the
// region.
func (s *Session) printWalk(p *kernel.Process, w mmu.Walk) {
	va := w.VA
	s.printf("va %s: directory index %d, table index %d, offset 0x%03x (pid %d, cr3 0x%08x)\n",
		s.where(uint32(va)), va.Dir(), va.Table(), va.Offset(), p.PID, p.Space.CR3())
	s.printf("  pde[%d] at %s = %s\n", va.Dir(), w.PDEAddr, w.PDE)
	if w.Level != mmu.LevelTable {
		s.printf("  no page table: the page has never been touched (an access is an INVALID fault)\n")
	} else {
		s.printf("  pte[%d] at %s = %s\n", va.Table(), w.PTEAddr, w.PTE)
		s.printf("  %s\n", pteMeaning(w))
	}
	s.printf("  tlb: %s\n", s.tlbHolds(p, va))
	s.printf("  %s\n", s.regionText(p, uint32(va)))
}

// regionText says which region makes va legal in p, or why none does
// (stateOf's verdict, which x prints as a word).
func (s *Session) regionText(p *kernel.Process, va uint32) string {
	if r := p.Space.Region(mmu.VAddr(va)); r != nil {
		return "region " + r.String()
	}
	switch s.stateOf(p, va) {
	case pageKernelOnly:
		return fmt.Sprintf("kernel-only: no user access at or above 0x%08x ever succeeds", uint32(isa.StackTop))
	case pageNoRegion:
		return "no region covers it (an access kills the process)"
	}
	return "no region covers it yet: the stack grows down to it on an access"
}

// pteMeaning says in words what a page-table entry means.
func pteMeaning(w mmu.Walk) string {
	switch {
	case !w.PTE.Has(mmu.V):
		return "not valid: never touched, or not part of any region (an access is an INVALID fault)"
	case !w.PTE.Has(mmu.P):
		return "valid but not present: evicted (an access is a NOT_PRESENT fault)"
	}
	return fmt.Sprintf("present: frame 0x%05x, physical address %s", w.PTE.Frame(), w.PAddr())
}

// tlbHolds says whether the TLB holds a translation of va for p.
func (s *Session) tlbHolds(p *kernel.Process, va mmu.VAddr) string {
	asids := s.k.MMU.Config().ASID
	if !asids && p != s.current() {
		return "none of its entries: without ASIDs the TLB holds the running process's only (flushed at each switch)"
	}
	for i, e := range s.k.MMU.TLBEntries() {
		if e.Valid && e.VPN == va.VPN() && (!asids || e.ASID == p.Space.ASID) {
			return fmt.Sprintf("entry %d: %s", i, e)
		}
	}
	return "no entry (the next access misses and walks)"
}

// cmdTLB: tlb.
func (s *Session) cmdTLB(args []string) error {
	if err := wantArgs(args, 0, 0, "tlb"); err != nil {
		return err
	}
	entries := s.k.MMU.TLBEntries()
	valid := 0
	for i, e := range entries {
		if e.Valid {
			s.printf("  %3d  %s\n", i, e)
			valid++
		}
	}
	st := s.k.MMU.Stats()
	s.printf("%d of %d entries valid; hits %d, misses %d, walks %d, flushes %d\n",
		valid, len(entries), st.Hits, st.Misses, st.Walks, st.Flushes)
	return nil
}

// cmdFrames: frames [all].
func (s *Session) cmdFrames(args []string) error {
	if err := wantArgs(args, 0, 1, "frames [all]"); err != nil {
		return err
	}
	all := len(args) == 1 && args[0] == "all"
	if len(args) == 1 && !all {
		return fmt.Errorf("usage: frames [all]")
	}
	ft := s.k.Frames
	places := s.policyPlaces()
	s.printf("frame    state    owner locks A D  %-10s page\n", "policy")
	for f := 1; f < ft.Len(); f++ {
		if fr := ft.Get(uint32(f)); all || fr.State != vm.FrameFree {
			s.printf("0x%05x  %-8s %5s %5d %s  %-10s %s\n", f, fr.State, owner(fr), fr.Locks,
				s.frameAD(fr), places[policy.Page(f)], pageText(fr))
		}
	}
	s.printf("%d frames: %d free, %d in the pool, %d page tables; policy %s\n",
		ft.Len(), ft.FreeCount(), ft.PoolCount(), ft.KernelCount(), s.k.Policy().Name())
	return nil
}

// policyPlaces returns where the replacement policy has each frame it
// follows (its queue place, recency, distance from the clock's hand),
// if the policy can say.
func (s *Session) policyPlaces() map[policy.Page]string {
	if d, ok := s.k.Policy().(policy.Describer); ok {
		return d.Describe()
	}
	return nil
}

// owner returns the pid that owns a frame, "-" for none.
func owner(fr *vm.Frame) string {
	if fr.Owner == 0 {
		return "-"
	}
	return fmt.Sprint(fr.Owner)
}

// frameAD returns the A and D bits of the entries that map a frame's
// page (a bit is shown when any of them has it), "- -" when nothing maps
// it.
func (s *Session) frameAD(fr *vm.Frame) string {
	var a, d bool
	for _, m := range fr.Maps {
		pte := m.Space.PT.Lookup(m.VA).PTE
		a, d = a || pte.Has(mmu.A), d || pte.Has(mmu.D)
	}
	if len(fr.Maps) == 0 {
		return "- -"
	}
	return fmt.Sprintf("%s %s", bitLetter(a, "A"), bitLetter(d, "D"))
}

func bitLetter(set bool, name string) string {
	if set {
		return name
	}
	return "-"
}

// pageText describes the page a frame holds: its object and index,
// where it is mapped (by how many processes, if more than one), and
// whether it is shared copy-on-write.
func pageText(fr *vm.Frame) string {
	switch {
	case fr.State == vm.FrameKernel:
		return "page directory or table"
	case fr.Page == nil || fr.Page.Gone():
		return ""
	}
	pg := fr.Page
	t := fmt.Sprintf("%s page %d", pg.Home().Name, pg.Index)
	if len(fr.Maps) > 0 {
		t += " at " + fr.Maps[0].VA.String()
	}
	if n := len(fr.Maps); n > 1 {
		t += fmt.Sprintf(" (mapped by %d)", n)
	}
	if pg.Shared() {
		t += " (copy-on-write)"
	}
	if pg.Dirty {
		t += " (dirty)"
	}
	return t
}

// cmdPs: ps.
func (s *Session) cmdPs(args []string) error {
	if err := wantArgs(args, 0, 0, "ps"); err != nil {
		return err
	}
	s.printf("  %4s  %-9s %s\n", "pid", "state", "name")
	for _, p := range s.k.Processes() {
		mark := " "
		if p == s.k.Current() {
			mark = "*"
		}
		s.printf("%s %4d  %-9s %s%s\n", mark, p.PID, p.State, p.Name, procDetail(p))
	}
	return nil
}

// procDetail says what a blocked process waits for or how a zombie
// ended.
func procDetail(p *kernel.Process) string {
	switch p.State {
	case kernel.Blocked:
		return "  waiting for " + p.WaitingFor
	case kernel.Zombie:
		return fmt.Sprintf("  exit status %d", p.Status)
	}
	return ""
}
