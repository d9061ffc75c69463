package kernel

import (
	"errors"

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
	v, ok := k.policy.Victim(k.bits, k.evictable)
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

// daemonCheck wakes the daemon when free and pool frames run low.
func (k *Kernel) daemonCheck() {
	if k.available() < k.cfg.PoolLow {
		k.runDaemon()
	}
}

// available counts the frames that are free, in the pool, or on their way
// there (written back).
func (k *Kernel) available() int {
	return k.Frames.FreeCount() + k.Frames.PoolCount() + k.pendingWrites
}

// target is how many available frames the daemon aims for: the high
// watermark, but never so many that fewer than MinResident user pages
// would stay in memory.
func (k *Kernel) target() int {
	user := k.Frames.Len() - 1 - k.Frames.KernelCount()
	return min(k.cfg.PoolHigh, user-MinResident)
}

// runDaemon evicts victims until the available frames reach the target
// or no frame can be evicted (or a dirty victim finds swap full).
func (k *Kernel) runDaemon() {
	k.stats.DaemonRuns++
	k.sampleReferences()
	for k.available() < k.target() {
		v, ok := k.policy.Victim(k.bits, k.evictable)
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
}

// evictable reports whether the policy may choose a frame: only a mapped
// frame nobody has locked.
func (k *Kernel) evictable(p policy.Page) bool {
	f := k.Frames.Get(uint32(p))
	if f.State == vm.FrameMapped && f.Locks > 0 {
		k.stats.LockSkips++
	}
	return f.State == vm.FrameMapped && f.Locks == 0
}

// evict takes a victim frame's page out of its address space: a clean
// page goes to the pool at once, a dirty one is written to swap first.
// It returns vm.ErrSwapFull, changing nothing, if a dirty page finds no slot.
func (k *Kernel) evict(frame uint32) error {
	pg := k.Frames.Get(frame).Page
	dirty := pg.Dirty || k.pteOf(pg).Has(mmu.D)
	if dirty && pg.Obj.Swappable && pg.Slot == vm.NoSlot {
		s, err := k.slotFor(pg)
		if err != nil {
			return err
		}
		pg.Slot = s
	}
	k.unmap(pg)
	k.stats.Evictions++
	if k.tracing(TraceDaemon) {
		k.trace(TraceDaemon, "evict %s of pid %d from frame %#x (%s)", pg.VA, k.Frames.Get(frame).Owner,
			frame, map[bool]string{true: "dirty", false: "clean"}[dirty])
	}
	if dirty && pg.Obj.Swappable {
		k.startPageOut(pg, pg.Slot)
		return nil
	}
	k.Frames.ToPool(frame)
	return nil
}

// unmap removes pg's translation: its entry stays valid but not present,
// and the TLB forgets it.
func (k *Kernel) unmap(pg *vm.Page) {
	pg.Space.PT.Unmap(pg.VA)
	k.invalidate(pg.Space, pg.VA)
}

// pteOf returns the page-table entry that maps pg.
func (k *Kernel) pteOf(pg *vm.Page) mmu.PTE { return pg.Space.PT.Lookup(pg.VA).PTE }

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
// table entries that map each frame.
type frameBits struct{ k *Kernel }

func (b frameBits) Referenced(p policy.Page) bool {
	return b.k.pteOf(b.k.Frames.Get(uint32(p)).Page).Has(mmu.A)
}

// ClearReferenced clears the A bit and drops the TLB's entry, so that the
// next access walks the table and sets A again.
func (b frameBits) ClearReferenced(p policy.Page) {
	pg := b.k.Frames.Get(uint32(p)).Page
	w := pg.Space.PT.Lookup(pg.VA)
	b.k.Phys.WritePTE(w.PTEAddr, w.PTE.Without(mmu.A))
	b.k.invalidate(pg.Space, pg.VA)
}

func (b frameBits) Dirty(p policy.Page) bool {
	pg := b.k.Frames.Get(uint32(p)).Page
	return pg.Dirty || b.k.pteOf(pg).Has(mmu.D)
}
