package kernel

import (
	"fmt"
	"slices"
	"strings"

	"toyvm/cpu"
	"toyvm/dev"
	"toyvm/kernel/vm"
	"toyvm/mmu"
)

// --check verifies, after every kernel entry, that the kernel's records
// agree with each other and with the hardware's:
//
//  1. frames and page tables: a mapped frame's page is mapped to it, present,
//     in its address space's page table; every present entry of a live
//     process points to a mapped frame that holds exactly that page (so no
//     frame is mapped twice).
//  2. free list and pool: a free frame is on the free list and holds no
//     page; a pool frame is in the pool list, holds a page that is mapped
//     nowhere; free + pool + mapped + busy + kernel + reserved = memory.
//  3. frame locks: a locked frame is neither free nor in the pool; a busy
//     frame (a transfer in flight) is locked.
//  4. swap slots: the slots marked in use are exactly those held, each by
//     one holder.
//  5. TLB: every valid entry matches a present entry of its address
//     space's page table, with no more rights (W) or dirt (D) than it.
//  6. processes: the current process is runnable, a blocked one has a
//     channel, an exited one holds no memory.
//
// Each check is a function of its own that returns the first violation.
// Together they cost time in proportion to memory, the pages of the live
// processes and the TLB.

// StatusCheckFailed is the exit status of a run that --check stopped
// because an invariant broke.
const StatusCheckFailed = 125

// The invariants, as a Violation names them.
const (
	InvFrames     = "frames and page tables"
	InvLists      = "free list and pool"
	InvLocks      = "frame locks"
	InvSwap       = "swap slots"
	InvTLB        = "TLB"
	InvProcesses  = "processes"
	InvAccounting = "frame accounting"
)

// Violation is a broken invariant: which one, and what was found.
type Violation struct {
	Invariant string // one of the Inv constants
	What      string // the frame, page, process, slot or entry, what was expected and what was found
}

func (v *Violation) Error() string { return v.Invariant + ": " + v.What }

// violation returns a Violation of invariant described by format and args.
func violation(invariant, format string, args ...any) error {
	return &Violation{Invariant: invariant, What: fmt.Sprintf(format, args...)}
}

// checkAfterEntry runs Check at the end of a kernel entry when --check is
// on. At the first violation it prints it on standard error, records it
// in k.checkErr (the run's status is then StatusCheckFailed) and stops the
// CPU.
func (k *Kernel) checkAfterEntry(c *cpu.CPU) {
	if !k.cfg.Check || k.checkErr != nil {
		return
	}
	err := k.Check()
	if err == nil {
		return
	}
	k.checkErr = fmt.Errorf("after instruction %d: %w", c.Instructions, err)
	fmt.Fprintf(k.stderr, "toyvm: --check: %v\n", k.checkErr)
	c.Stop()
}

// checkAfterHandler runs Check after an extension's handler, when
// --check is on, in the middle of a kernel entry: the current process may
// be blocked already. A violation stops the run as checkAfterEntry does,
// naming the handler.
func (k *Kernel) checkAfterHandler(name string) {
	if !k.cfg.Check || k.checkErr != nil {
		return
	}
	c := newChecker(k)
	c.midEntry = true
	if err := c.run(); err != nil {
		k.checkErr = fmt.Errorf("after the handler %s: %w", name, err)
		fmt.Fprintf(k.stderr, "toyvm: --check: %v\n", k.checkErr)
		k.CPU.Stop()
	}
}

// Check verifies the kernel's invariants (see the top of check.go). It
// returns nil, or a *Violation naming the first one broken.
func (k *Kernel) Check() error { return newChecker(k).run() }

// run runs every check in turn and returns the first violation.
func (c *checker) run() error {
	for _, check := range []func() error{c.processes, c.lists,
		c.frames, c.accounting, c.pageTables, c.swap, c.tlb} {
		if err := check(); err != nil {
			return err
		}
	}
	return nil
}

// checker holds what the checks share: the live processes, looked up by
// pid, address space and ASID, and what the walks of the lists found.
type checker struct {
	k      *Kernel
	ft     *vm.FrameTable
	pids   map[int]*Process
	spaces map[*vm.AddressSpace]*Process
	asids  map[uint16]*Process
	onList []vm.List // by frame: the list that holds it
	// midEntry: checking in the middle of a kernel entry (after an
	// extension's handler), where the current process may have blocked.
	midEntry bool
	states   [vm.FrameOwned + 1]int // frames in each state
}

func newChecker(k *Kernel) *checker {
	c := &checker{k: k, ft: k.Frames, pids: map[int]*Process{}, spaces: map[*vm.AddressSpace]*Process{},
		asids: map[uint16]*Process{}}
	for _, p := range c.live() {
		c.pids[p.PID], c.spaces[p.Space], c.asids[p.Space.ASID] = p, p, p
	}
	return c
}

// live returns the processes that have not exited, in table order.
func (c *checker) live() []*Process {
	var live []*Process
	for _, p := range c.k.procs {
		if p.State != Zombie {
			live = append(live, p)
		}
	}
	return live
}

// pageName describes a page for a message: its home object and index,
// and how many objects hold it.
func (c *checker) pageName(pg *vm.Page) string {
	switch {
	case pg.Gone():
		return fmt.Sprintf("a page no object holds (index %d)", pg.Index)
	case pg.Shared():
		return fmt.Sprintf("%s page %d (held by %d objects)", pg.Home().Name, pg.Index, pg.Holders())
	}
	return fmt.Sprintf("%s page %d", pg.Home().Name, pg.Index)
}

// processes checks the process table: the current process is runnable
// (unless every process has exited and the run is over), a blocked
// process has a channel, and an exited one has no regions or page tables.
func (c *checker) processes() error {
	if cur := c.k.current; cur != nil && cur.State != Runnable && len(c.pids) > 0 && !c.midEntry {
		return violation(InvProcesses, "the current process, %v, is %s", cur, cur.State)
	}
	for _, p := range c.k.procs {
		switch {
		case p.State == Blocked && p.channel == nil:
			return violation(InvProcesses, "%v is blocked (%q) on no channel: nothing can wake it", p, p.WaitingFor)
		case p.State == Zombie && (len(p.Space.Regions) > 0 || p.Space.PT.CR3() != 0):
			return violation(InvProcesses, "%v has exited but still has %d regions and %v",
				p, len(p.Space.Regions), p.Space.PT)
		case p.State != Zombie && p.Space.PT.CR3() == 0:
			return violation(InvProcesses, "%v is %s but has no page directory", p, p.State)
		}
	}
	return nil
}

// lists walks the free list and the pool: each is well formed, and
// holds only frames in its state (vm.FrameTable.Lists).
func (c *checker) lists() error {
	onList, err := c.ft.Lists()
	if err != nil {
		return violation(InvLists, "%v", err)
	}
	c.onList = onList
	return nil
}

// frames checks the record of every frame, by its state, and counts the
// frames in each state.
func (c *checker) frames() error {
	if s := c.ft.At(0).State; s != vm.FrameReserved {
		return violation(InvAccounting, "frame 0 is %s, not reserved", s)
	}
	c.states[vm.FrameReserved]++
	for f := 1; f < c.ft.Len(); f++ {
		if err := c.frame(uint32(f)); err != nil {
			return err
		}
	}
	return nil
}

// frame checks one frame: its locks, its list, and what its state says
// it holds.
func (c *checker) frame(f uint32) error {
	fr := c.ft.At(f)
	if int(fr.State) >= len(c.states) || fr.State == vm.FrameReserved {
		return violation(InvAccounting, "frame %#x is %s", f, fr.State)
	}
	c.states[fr.State]++
	if err := c.frameLocks(f, fr); err != nil {
		return err
	}
	switch fr.State {
	case vm.FrameFree:
		return c.freeFrame(f, fr)
	case vm.FramePool:
		return c.poolFrame(f, fr)
	case vm.FrameMapped:
		return c.mappedFrame(f, fr)
	case vm.FrameBusy:
		return c.holdsItsPage(InvLocks, f, fr)
	case vm.FrameOwned:
		return c.ownedFrame(f, fr)
	}
	return c.kernelFrame(f, fr)
}

// frameLocks checks that a locked frame is neither free nor in the pool
// (where it could be handed out under a transfer), and that a busy frame
// is locked by the transfer that makes it busy.
func (c *checker) frameLocks(f uint32, fr *vm.Frame) error {
	switch {
	case fr.Locks < 0:
		return violation(InvLocks, "frame %#x has %d locks", f, fr.Locks)
	case fr.Locks > 0 && (fr.State == vm.FrameFree || fr.State == vm.FramePool):
		return violation(InvLocks, "frame %#x is %s but has %d locks", f, fr.State, fr.Locks)
	case fr.State == vm.FrameBusy && fr.Locks == 0:
		return violation(InvLocks, "frame %#x is busy (a transfer in flight) but not locked", f)
	}
	return nil
}

// freeFrame checks a free frame: on the free list, holding nothing.
func (c *checker) freeFrame(f uint32, fr *vm.Frame) error {
	switch {
	case c.onList[f] != vm.FreeList:
		return violation(InvLists, "frame %#x is free but not on the free list", f)
	case fr.Page != nil:
		return violation(InvLists, "frame %#x is free but holds %s", f, c.pageName(fr.Page))
	case fr.Owner != 0:
		return violation(InvLists, "frame %#x is free but owned by pid %d", f, fr.Owner)
	}
	return nil
}

// poolFrame checks a pool frame: in the pool list, holding a page some
// object holds. That no entry maps it, pageTables checks.
func (c *checker) poolFrame(f uint32, fr *vm.Frame) error {
	if c.onList[f] != vm.PoolList {
		return violation(InvLists, "frame %#x is in the pool state but not in the pool list", f)
	}
	if err := c.holdsItsPage(InvLists, f, fr); err != nil {
		return err
	}
	if fr.Page.Gone() || fr.Shares() > 0 {
		return violation(InvLists, "pool frame %#x holds %s and is mapped %d times", f, c.pageName(fr.Page), fr.Shares())
	}
	return nil
}

// holdsItsPage checks that a frame that holds a page records it, and
// that the page records the frame.
func (c *checker) holdsItsPage(invariant string, f uint32, fr *vm.Frame) error {
	switch {
	case fr.Page == nil:
		return violation(invariant, "frame %#x is %s but holds no page", f, fr.State)
	case fr.Page.Frame != f:
		return violation(invariant, "frame %#x is %s and holds %s, but the page says it is in frame %#x",
			f, fr.State, c.pageName(fr.Page), fr.Page.Frame)
	}
	return nil
}

// mappedFrame checks a resident frame: it holds a page some object
// holds, and each entry of its reverse map is a present entry, to this
// frame, of a live process whose region there holds the page.
func (c *checker) mappedFrame(f uint32, fr *vm.Frame) error {
	if err := c.holdsItsPage(InvFrames, f, fr); err != nil {
		return err
	}
	if fr.Page.Gone() {
		return violation(InvFrames, "frame %#x is mapped but holds %s", f, c.pageName(fr.Page))
	}
	for _, m := range fr.Maps {
		if err := c.mapping(f, fr.Page, m); err != nil {
			return err
		}
	}
	return nil
}

// mapping checks one entry m of frame f's reverse map, which holds pg.
func (c *checker) mapping(f uint32, pg *vm.Page, m vm.Mapping) error {
	p := c.spaces[m.Space]
	if p == nil {
		return violation(InvFrames, "frame %#x's reverse map names %s of an address space of no live process", f, m.VA)
	}
	pte := m.Space.PT.Lookup(m.VA).PTE
	if !pte.Has(mmu.V|mmu.P) || pte.Frame() != f {
		return violation(InvFrames, "frame %#x holds %s, mapped by pid %d at %s, but that entry is %v, want frame %#x V P",
			f, c.pageName(pg), p.PID, m.VA, pte, f)
	}
	if r := m.Space.Region(m.VA); r == nil || r.Object.Lookup(r.Index(m.VA)) != pg {
		return violation(InvFrames, "pid %d maps %s to frame %#x, which holds %s, but its region there does not hold that page",
			p.PID, m.VA, f, c.pageName(pg))
	}
	return nil
}

// ownedFrame checks a frame a library OS holds: its owner is a live
// process whose library OS lists the frame's capability, of the current
// generation; installed, it is mapped once, in a self-paged range of the
// owner, whose object holds the page.
func (c *checker) ownedFrame(f uint32, fr *vm.Frame) error {
	p := c.pids[fr.Owner]
	if p == nil || p.libos == nil || !slices.Contains(p.libos.caps, capability{frame: f, gen: c.k.capGen[f]}) {
		return violation(InvFrames, "frame %#x is owned by pid %d, whose library OS holds no capability for it", f, fr.Owner)
	}
	if fr.Page == nil {
		if fr.Shares() > 0 {
			return violation(InvFrames, "frame %#x is installed nowhere but mapped %d times", f, fr.Shares())
		}
		return nil
	}
	if err := c.holdsItsPage(InvFrames, f, fr); err != nil {
		return err
	}
	if fr.Shares() != 1 || fr.Maps[0].Space != p.Space {
		return violation(InvFrames, "frame %#x, installed by pid %d, is mapped %d times", f, p.PID, fr.Shares())
	}
	if r := p.Space.Region(fr.Maps[0].VA); r == nil || !selfPaged(r) {
		return violation(InvFrames, "frame %#x is installed at %s of pid %d, outside its self-paged ranges", f, fr.Maps[0].VA, p.PID)
	}
	return c.mapping(f, fr.Page, fr.Maps[0])
}

// kernelFrame checks that a frame holding a page directory or table
// belongs to a live process.
func (c *checker) kernelFrame(f uint32, fr *vm.Frame) error {
	if c.pids[fr.Owner] == nil {
		return violation(InvProcesses, "frame %#x holds a page table of pid %d, which is not a live process", f, fr.Owner)
	}
	return nil
}

// accounting checks that the frames in each state add up to memory, with
// the free list's and the pool's own counts for free and pool frames.
func (c *checker) accounting() error {
	s := &c.states
	sum := c.ft.FreeCount() + c.ft.PoolCount() + s[vm.FrameMapped] + s[vm.FrameBusy] + s[vm.FrameKernel] + s[vm.FrameReserved] + s[vm.FrameOwned]
	if sum != c.ft.Len() || s[vm.FrameFree] != c.ft.FreeCount() || s[vm.FramePool] != c.ft.PoolCount() {
		return violation(InvAccounting, "%d free + %d pool + %d mapped + %d busy + %d kernel + %d reserved + %d owned = %d, want %d frames (%d frames are free, %d in the pool)",
			c.ft.FreeCount(), c.ft.PoolCount(), s[vm.FrameMapped], s[vm.FrameBusy], s[vm.FrameKernel], s[vm.FrameReserved], s[vm.FrameOwned],
			sum, c.ft.Len(), s[vm.FrameFree], s[vm.FramePool])
	}
	return nil
}

// pageTables checks every present entry of every live process's page
// table: it points to a resident frame whose reverse map holds it. With
// mappedFrame's check of each reverse map, the present entries and the
// reverse maps are the same set: every frame's share count is the number
// of entries that map it.
func (c *checker) pageTables() error {
	for _, p := range c.live() {
		var err error
		p.Space.PT.EachPresent(func(va mmu.VAddr, pte mmu.PTE) {
			if err == nil {
				err = c.presentEntry(p, va, pte)
			}
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// presentEntry checks one present entry of p's page table.
func (c *checker) presentEntry(p *Process, va mmu.VAddr, pte mmu.PTE) error {
	f := pte.Frame()
	if f == 0 || int(f) >= c.ft.Len() {
		return violation(InvFrames, "pid %d maps %s to frame %#x, which does not exist", p.PID, va, f)
	}
	fr := c.ft.At(f)
	switch {
	case fr.State != vm.FrameMapped && fr.State != vm.FrameOwned:
		return violation(InvFrames, "pid %d maps %s present to frame %#x, which is %s", p.PID, va, f, fr.State)
	case !slices.Contains(fr.Maps, vm.Mapping{Space: p.Space, VA: va}):
		return violation(InvFrames, "pid %d maps %s to frame %#x, whose reverse map does not say so (it holds %s)",
			p.PID, va, f, c.pageName(fr.Page))
	}
	return nil
}

// slotHolder is what holds a swap slot: a page of a live object, a run
// reserved for an object (static layout), or the write in flight of a
// page no object holds any more.
type slotHolder struct {
	obj   string
	index uint32 // the page, or the run's first page
	run   bool
}

func (h slotHolder) String() string {
	switch {
	case h.obj == "":
		return "the write in flight of a page no object holds"
	case h.run:
		return fmt.Sprintf("the run reserved for %s from page %d", h.obj, h.index)
	}
	return fmt.Sprintf("%s page %d", h.obj, h.index)
}

// swap checks that the slots in use are exactly those held: the runs
// reserved for the live objects (static layout) are marked reserved, the
// slots of their pages and of the writes in flight of pages no object
// holds are marked held, and nothing else is in use. No two holders
// share a slot.
func (c *checker) swap() error {
	runs, pages := map[vm.Slot]slotHolder{}, map[vm.Slot]slotHolder{}
	seen := map[*vm.Page]bool{}
	for _, o := range c.objects() {
		if err := c.holdRuns(runs, o); err != nil {
			return err
		}
		if err := c.holdPages(pages, seen, o); err != nil {
			return err
		}
	}
	if err := c.holdWrites(pages); err != nil {
		return err
	}
	return c.noLeakedSlot(runs, pages)
}

// objects returns the live objects: those of the live processes'
// regions and of the shared memory segments, each once, in order.
func (c *checker) objects() []*vm.Object {
	var out []*vm.Object
	seen := map[*vm.Object]bool{}
	add := func(o *vm.Object) {
		if !seen[o] {
			seen[o] = true
			out = append(out, o)
		}
	}
	for _, p := range c.live() {
		for _, r := range p.Space.Regions {
			add(r.Object)
		}
	}
	for _, s := range c.k.segments {
		add(s.object)
	}
	return out
}

// holdSlot records that h holds slot s in set (runs or pages), which
// must exist, be marked as marked says, and be held by nothing else of
// its kind.
func (c *checker) holdSlot(set map[vm.Slot]slotHolder, s vm.Slot, h slotHolder, marked func(vm.Slot) bool) error {
	sw := c.k.swap
	if s < 0 || int(s) >= sw.Slots() {
		return violation(InvSwap, "%v has slot %d, outside the swap area's %d slots", h, s, sw.Slots())
	}
	if !marked(s) {
		return violation(InvSwap, "%v holds slot %d, which is not marked so", h, s)
	}
	if other, ok := set[s]; ok {
		return violation(InvSwap, "slot %d is held twice: by %v and by %v", s, other, h)
	}
	set[s] = h
	return nil
}

// holdPages records the slots of an object's pages, each page once.
func (c *checker) holdPages(pages map[vm.Slot]slotHolder, seen map[*vm.Page]bool, o *vm.Object) error {
	for _, i := range o.Indexes() {
		pg := o.Lookup(i)
		if seen[pg] || pg.Slot == vm.NoSlot {
			continue
		}
		seen[pg] = true
		if err := c.holdSlot(pages, pg.Slot, slotHolder{obj: o.Name, index: i}, c.k.swap.Held); err != nil {
			return err
		}
	}
	return nil
}

// holdRuns records the runs of slots reserved for an object (static
// layout).
func (c *checker) holdRuns(runs map[vm.Slot]slotHolder, o *vm.Object) error {
	for _, run := range o.Runs() {
		h := slotHolder{obj: o.Name, index: run.First, run: true}
		for s := run.Slot; s < run.Slot+vm.Slot(run.N); s++ {
			if err := c.holdSlot(runs, s, h, c.k.swap.Reserved); err != nil {
				return err
			}
		}
	}
	return nil
}

// holdWrites checks the page writes in flight: a live page's goes to its
// own slot; the slot of a page no object holds any more is held by its
// write until it completes.
func (c *checker) holdWrites(pages map[vm.Slot]slotHolder) error {
	for _, req := range c.k.Disk.Pending() {
		t, ok := req.Owner.(*pageTransfer)
		switch {
		case !ok || req.Op != dev.Write || t.slot == vm.NoSlot: // a write back to a mapped file holds no slot
		case !t.page.Gone() && t.page.Slot != t.slot:
			return violation(InvSwap, "%s is being written to slot %d, but its slot is %d",
				c.pageName(t.page), t.slot, t.page.Slot)
		case t.page.Gone():
			if err := c.holdSlot(pages, t.slot, slotHolder{}, c.k.swap.Held); err != nil {
				return err
			}
		}
	}
	return nil
}

// noLeakedSlot checks that no slot is reserved or held that nothing
// reserves or holds. Only when the count of slots in use disagrees does
// it look through the slots for the leak, so that a swap area of any
// size costs little per check.
func (c *checker) noLeakedSlot(runs, pages map[vm.Slot]slotHolder) error {
	sw := c.k.swap
	inUse := len(runs)
	for s := range pages {
		if _, both := runs[s]; !both {
			inUse++
		}
	}
	if inUse == sw.Slots()-sw.Free() {
		return nil
	}
	for s := range vm.Slot(sw.Slots()) {
		_, r := runs[s]
		_, h := pages[s]
		if sw.Reserved(s) && !r || sw.Held(s) && !h {
			return violation(InvSwap, "slot %d is marked in use but nothing holds it (a leak)", s)
		}
	}
	return violation(InvSwap, "%d slots are held but the free count says %d of %d are in use",
		inUse, sw.Slots()-sw.Free(), sw.Slots())
}

// tlb checks every valid TLB entry against the page table of the process
// it belongs to: the current process without ASIDs, the process with the
// entry's ASID with them.
func (c *checker) tlb() error {
	for i, e := range c.k.MMU.TLBEntries() {
		if !e.Valid {
			continue
		}
		p := c.tlbOwner(e)
		if p == nil {
			return violation(InvTLB, "entry %d (%v) belongs to no live process", i, e)
		}
		if err := c.tlbEntry(i, e, p); err != nil {
			return err
		}
	}
	return nil
}

// tlbOwner returns the live process a TLB entry translates for, or nil.
func (c *checker) tlbOwner(e mmu.TLBEntry) *Process {
	if c.k.cfg.ASID {
		return c.asids[e.ASID]
	}
	if cur := c.k.current; cur != nil && cur.State != Zombie {
		return cur
	}
	return nil
}

// tlbEntry checks TLB entry i against p's page table: the page is
// present in the same frame, writable if the entry is, dirty if the
// entry is.
func (c *checker) tlbEntry(i int, e mmu.TLBEntry, p *Process) error {
	va := mmu.VAddr(e.VPN << mmu.OffsetBits)
	pte := p.Space.PT.Lookup(va).PTE
	var want string
	switch {
	case !pte.Has(mmu.V | mmu.P):
		want = "present"
	case pte.Frame() != e.Frame:
		want = fmt.Sprintf("frame %#x", e.Frame)
	case e.W && !pte.Has(mmu.W):
		want = "writable"
	case e.D && !pte.Has(mmu.D):
		want = "dirty"
	default:
		return nil
	}
	return violation(InvTLB, "entry %d (%v) maps pid %d's page %s, but its page-table entry is %v, want %s",
		i, e, p.PID, va, pte, want)
}

// leakedFrames describes the first few frames that are not free, with
// where each was taken when the kernel tracks it (TrackAllocations).
func (k *Kernel) leakedFrames() string {
	var b strings.Builder
	shown := 0
	for f := uint32(1); int(f) < k.Frames.Len() && shown < 8; f++ {
		fr := k.Frames.Get(f)
		if fr.State == vm.FrameFree {
			continue
		}
		shown++
		fmt.Fprintf(&b, "; frame %#x is %s, owner pid %d", f, fr.State, fr.Owner)
		switch {
		case fr.Page != nil && fr.Page.Home() != nil:
			fmt.Fprintf(&b, ", %s page %d", fr.Page.Home().Name, fr.Page.Index)
		case fr.Page != nil:
			fmt.Fprintf(&b, ", page %d of an object that is gone", fr.Page.Index)
		}
		if site := k.Frames.Site(f); site != "" {
			fmt.Fprintf(&b, ", taken at %s", site)
		}
	}
	return b.String()
}

// Leaks returns an error naming what the kernel still holds when no
// process is left: frames that are not free (a page, a page table, a
// frame in the pool), swap slots in use. Tests call it after every
// process has exited; it returns nil while a process lives.
func (k *Kernel) Leaks() error {
	for _, p := range k.procs {
		if p.State != Zombie {
			return nil
		}
	}
	var leaks []string
	if n := k.Frames.Len() - 1 - k.Frames.FreeCount(); n > 0 {
		leaks = append(leaks, fmt.Sprintf("%d frames not free (%d page tables, %d in the pool)%s",
			n, k.Frames.KernelCount(), k.Frames.PoolCount(), k.leakedFrames()))
	}
	if n := k.swap.Slots() - k.swap.Free(); n > 0 {
		leaks = append(leaks, fmt.Sprintf("%d swap slots in use", n))
	}
	if len(leaks) > 0 {
		return fmt.Errorf("after every process exited: %s", strings.Join(leaks, ", "))
	}
	return nil
}
