package kernel

import (
	"errors"
	"fmt"

	"toyvm/kernel/policy"
	"toyvm/kernel/vm"
	"toyvm/mmu"
)

// The paging daemon keeps a pool of free frames (the cleaning policy of
// the seeds): when free and pool frames together fall below the low
// watermark, it asks the replacement policy for victims until they reach
// the high watermark. A clean victim goes straight to the pool; a dirty
// one is written back to swap first. Either way its page stays in its
// frame until the frame is taken for another page, so a fault on it in
// the meantime reclaims it without I/O.

// errWaitForFrame: no frame is free now, but a write-back in flight will
// free one: the caller should wait.
var errWaitForFrame = errors.New("waiting for a free frame")

// MinResident is how many user pages the daemon leaves in memory however
// low the pool is: one instruction may need several pages at once (its
// text, its operands, the stack), and evicting them all would only make
// it fault them back in. Only a fault with nothing free evicts below it.
const MinResident = 4

// allocFrame takes a frame for a new page of p: from the free list, else
// the oldest of the pool (whose page then leaves memory), else by
// evicting a victim at once. It returns errWaitForFrame if the frame will
// come from a write-back in flight, vm.ErrOutOfMemory if no frame ever will,
// or vm.ErrSwapFull if only dirty pages could be evicted and swap is full.
func (k *Kernel) allocFrame(p *Process, state vm.FrameState) (uint32, error) {
	if f, ok := k.Frames.Take(state, p.PID); ok {
		k.daemonCheck()
		return f, nil
	}
	if err := k.evictOne(); err != nil {
		return 0, err
	}
	if f, ok := k.Frames.Take(state, p.PID); ok {
		return f, nil
	}
	return 0, errWaitForFrame
}

// evictOne evicts one victim when nothing is free or in the pool, however
// few pages are resident. It returns nil when a frame is free, in the
// pool or on its way there; errWaitForFrame when every frame is locked or
// busy but a transfer in flight will release some; otherwise the reason
// none will ever be free.
func (k *Kernel) evictOne() error {
	v, ok := k.victim()
	switch {
	case ok:
		if err := k.evict(uint32(v)); err != nil {
			k.policy.Insert(v)
			return err
		}
		return nil
	case k.Disk.Busy():
		return errWaitForFrame
	}
	return vm.ErrOutOfMemory
}

// reserveTable makes sure the page table for va exists in p's address
// space, evicting a page if no frame is at hand. It returns the errors of
// allocFrame.
func (k *Kernel) reserveTable(p *Process, va mmu.VAddr) error {
	if p.Space.PT.Reserve(va) == nil {
		return nil
	}
	if err := k.evictOne(); err != nil {
		return err
	}
	if p.Space.PT.Reserve(va) == nil {
		return nil
	}
	return errWaitForFrame
}

// daemonCheck wakes the daemon when free and pool frames run low: when
// fewer than the low watermark (cfg.PoolLow) are available.
func (k *Kernel) daemonCheck() {
	// kit:daemon begin
	if k.available() < k.cfg.PoolLow {
		k.runDaemon()
	}
	// kit:daemon end
}

// available counts the frames that are free, in the pool, or on their way
// there (written back).
func (k *Kernel) available() int {
	// kit:daemon begin
	return k.Frames.FreeCount() + k.Frames.PoolCount() + k.pendingWrites
	// kit:daemon end
}

// target is how many available frames the daemon aims for: the high
// watermark, but never so many that fewer than MinResident user pages
// would stay in memory.
func (k *Kernel) target() int {
	// kit:daemon begin
	user := k.Frames.Len() - 1 - k.Frames.KernelCount()
	return min(k.cfg.PoolHigh, user-MinResident)
	// kit:daemon end
}

// runDaemon evicts victims until the available frames reach the target
// or no frame can be evicted (or a dirty victim finds swap full: the
// victim goes back to the policy, which Victim took it from). Each run is
// counted (DaemonRuns). Before it chooses, it lets the library OSes give
// frames back (enforceRevocations, askForFrames, when one is registered)
// and feeds the A bits to a policy that needs them (sampleReferences);
// after, it traces the free, pool and writing counts under TraceDaemon.
func (k *Kernel) runDaemon() {
	// kit:daemon begin
	k.stats.DaemonRuns++
	if k.upcallRegistered {
		k.enforceRevocations()
		k.askForFrames()
	}
	k.sampleReferences()
	for k.available() < k.target() {
		v, ok := k.victim()
		if !ok {
			break
		}
		if err := k.evict(uint32(v)); err != nil {
			k.policy.Insert(v)
			break
		}
	}
	if k.tracing(TraceDaemon) {
		k.trace(TraceDaemon, "free %d, pool %d, writing %d", k.Frames.FreeCount(), k.Frames.PoolCount(), k.pendingWrites)
	}
	// kit:daemon end
}

// victim asks the replacement policy for a victim among the evictable
// frames. A policy that answers with a frame it may not choose (one not
// resident, or locked) breaks its contract: the kernel stops there,
// naming the policy and the frame, rather than evict it.
func (k *Kernel) victim() (policy.Page, bool) {
	v, ok := k.policy.Victim(k.bits, k.evictable)
	if !ok {
		return v, false
	}
	if int(v) <= 0 || int(v) >= k.Frames.Len() {
		panic(fmt.Sprintf("kernel.victim: the %s policy chose frame %#x, which does not exist", k.policy.Name(), uint32(v)))
	}
	if f := k.Frames.Get(uint32(v)); f.State != vm.FrameMapped || f.Locks > 0 {
		panic(fmt.Sprintf("kernel.victim: the %s policy chose frame %#x, which is %s with %d locks: a victim must be a resident page that evictable allows",
			k.policy.Name(), uint32(v), f.State, f.Locks))
	}
	return v, true
}

// evictable reports whether the policy may choose a frame: only a mapped
// frame nobody has locked. A mapped frame passed over for its locks is
// counted (LockSkips).
func (k *Kernel) evictable(p policy.Page) bool {
	// kit:daemon begin
	f := k.Frames.Get(uint32(p))
	if f.State == vm.FrameMapped && f.Locks > 0 {
		k.stats.LockSkips++
	}
	return f.State == vm.FrameMapped && f.Locks == 0
	// kit:daemon end
}

// evict takes a victim frame's page out of every address space that maps
// it (the reverse map): a clean page goes to the pool at once, a dirty
// one is written first, once for all its sharers: to swap, or back to
// its file for a file mapped shared. It returns
// vm.ErrSwapFull, changing nothing, if a dirty page finds no slot. The
// eviction is announced to the extensions first (an EvEviction event,
// when one is hooked), traced under TraceDaemon (traceEviction) and
// counted (Evictions).
func (k *Kernel) evict(frame uint32) error {
	// kit:daemon begin
	pg := k.Frames.Get(frame).Page
	if k.hooked(EvEviction) {
		k.dispatch(&Event{Kind: EvEviction, Page: pg, Frame: frame})
	}
	dirty := k.pageDirty(pg)
	swap := dirty && pg.Home().Swappable
	if swap && pg.Slot == vm.NoSlot {
		s, err := k.slotFor(pg)
		if err != nil {
			return err
		}
		pg.Slot = s
	}
	if k.tracing(TraceDaemon) {
		k.traceEviction(pg, dirty)
	}
	k.unmapAll(pg)
	k.stats.Evictions++
	switch {
	case swap:
		k.startPageOut(pg, pg.Slot)
	case dirty && pg.Home().WritesBack:
		k.startWriteBack(pg)
	default:
		k.Frames.ToPool(frame)
	}
	return nil
	// kit:daemon end
}

// reclaim serves p's fault at va, in region r, on page pg, whose frame
// is in the free pool: the frame leaves the pool with the page it still
// holds, becomes resident again and is mapped at va, without I/O. Taking
// a frame out of the pool may leave too few available: the daemon is
// checked then, before the frame is resident (the policy's to choose).
func (k *Kernel) reclaim(p *Process, r *vm.Region, pg *vm.Page, va mmu.VAddr) Result {
	// kit:daemon begin
	k.Frames.Reclaim(pg.Frame, p.PID)
	k.daemonCheck() // before the frame is the policy's to choose
	k.becomeResident(pg.Frame)
	k.mapPage(p.Space, r, pg, va)
	return served(Reclaimed, va, pg.Frame)
	// kit:daemon end
}

// traceEviction traces the eviction of pg: where it is mapped, and
// whether it must be written.
func (k *Kernel) traceEviction(pg *vm.Page, dirty bool) {
	fr := k.Frames.Get(pg.Frame)
	where := "mapped nowhere"
	if len(fr.Maps) > 0 {
		where = fmt.Sprintf("%s of pid %d", fr.Maps[0].VA, k.pidOf(fr.Maps[0].Space))
		if n := len(fr.Maps); n > 1 {
			where += fmt.Sprintf(" and %d more", n-1)
		}
	}
	k.trace(TraceDaemon, "evict %s page %d (%s) from frame %#x (%s)", pg.Home().Name, pg.Index, where,
		pg.Frame, map[bool]string{true: "dirty", false: "clean"}[dirty])
}

// pidOf returns the pid of the process whose address space is as, 0 if
// none is.
func (k *Kernel) pidOf(as *vm.AddressSpace) int {
	for _, p := range k.procs {
		if p.Space == as {
			return p.PID
		}
	}
	return 0
}

// sampleReferences feeds the A bits to a policy that learns the order of
// use only from touches (its registration says Touches, as LRU's does):
// each referenced frame is touched and its bit cleared. Policies that
// read the bits themselves (clock, esc) are left their bits.
func (k *Kernel) sampleReferences() {
	if !k.policyTouches {
		return
	}
	for f := 1; f < k.Frames.Len(); f++ {
		p := policy.Page(f)
		if k.Frames.Get(uint32(f)).State == vm.FrameMapped && k.bits.Referenced(p) {
			k.policy.Touch(p)
			k.bits.ClearReferenced(p)
		}
	}
}

// frameBits shows the replacement policy the A and D bits of the page
// table entries that map each frame: a frame is referenced (dirty) when
// any entry that maps it is.
type frameBits struct{ k *Kernel }

func (b frameBits) Referenced(p policy.Page) bool {
	return b.k.anyEntryHas(b.k.Frames.Get(uint32(p)).Page, mmu.A)
}

// ClearReferenced clears the A bit of every entry that maps the frame
// and drops their TLB entries, so that the next access walks the table
// and sets A again.
func (b frameBits) ClearReferenced(p policy.Page) {
	b.k.clearEntries(b.k.Frames.Get(uint32(p)).Page, mmu.A)
}

func (b frameBits) Dirty(p policy.Page) bool {
	return b.k.pageDirty(b.k.Frames.Get(uint32(p)).Page)
}
