package kernel

import (
	"fmt"

	"toyvm/isa"
	"toyvm/kernel/vm"
	"toyvm/mmu"
)

// pageFault serves a memory fault of process p, the way the fault path
// of docs/architecture.md reads: classify the fault, find the region, get the page,
// map it, return. Getting and mapping the page is the job of the
// handlers of the fault's event (event.go): the VM system's, unless an
// extension serves it. It returns what was done: the page is mapped (the
// instruction restarts now), or p waits for it (and restarts when it
// wakes), or the access is not a legal page fault and kills p.
func (k *Kernel) pageFault(p *Process, f mmu.Fault) Result {
	r, err := k.findRegion(p, f.Addr)
	switch {
	case err != nil:
		return killed(oomKill(f.Addr, err))
	case r == nil && belowStack(f.Addr):
		return killed(stackKill(f.Addr))
	case r == nil || !r.Prot.Allows(f.Access):
		return killed(faultKill(walkerVerdict(f, r)))
	}
	switch f.Cause {
	case isa.Invalid, isa.NotPresent:
		return k.faultEvent(EvPageFault, p, r, f)
	case isa.TLBMiss:
		return k.faultEvent(EvTLBMiss, p, r, f)
	case isa.Protection:
		return k.faultEvent(EvProtectionFault, p, r, f)
	}
	return killed(faultKill(f))
}

// findRegion returns the region of p that covers va, growing the stack
// down to va if va lies in the stack's reach; nil if no region covers it.
// It returns vm.ErrSwapFull if the stack could not grow for lack of swap to
// reserve (static layout).
func (k *Kernel) findRegion(p *Process, va mmu.VAddr) (*vm.Region, error) {
	if r := p.Space.Region(va); r != nil {
		return r, nil
	}
	for _, r := range p.Space.Regions {
		if r.CanGrowTo(va) {
			return r, k.growDown(r, mmu.VAddr(isa.PageDown(uint32(va))))
		}
	}
	return nil, nil
}

// stackGuard is how far below the stack's limit a fault is taken for a
// stack overflow rather than a wild access.
const stackGuard = 64 << 10

// belowStack reports whether va lies just below the lowest address a
// stack may grow to: a stack overflow.
func belowStack(va mmu.VAddr) bool {
	floor := mmu.VAddr(isa.StackTop - isa.StackMax)
	return va < floor && va >= floor-stackGuard
}

// walkerVerdict names an illegal access the way a hardware walk would
// have: a TLB miss (software refill) outside every region is INVALID, and
// one the region forbids is PROTECTION.
func walkerVerdict(f mmu.Fault, r *vm.Region) mmu.Fault {
	switch {
	case f.Cause != isa.TLBMiss:
	case r == nil:
		f.Cause = isa.Invalid
	default:
		f.Cause = isa.Protection
	}
	return f
}

// getPage makes the page holding va present in p's address space: from
// the free pool (a reclaim, no I/O), by zero-fill, or by reading it from
// swap or the image while p waits. A page already in transit makes p
// wait for it rather than read it twice.
func (k *Kernel) getPage(p *Process, r *vm.Region, va mmu.VAddr) Result {
	va = mmu.VAddr(isa.PageDown(uint32(va)))
	if err := k.reserveTable(p, va); err != nil {
		return k.waitForFrame(p, va, err)
	}
	pg := r.Object.Page(r.Index(va))
	if pg.Frame != 0 {
		return k.cachedPage(p, r, pg, va)
	}
	frame, err := k.allocFrame(p, vm.FrameBusy)
	if err != nil {
		return k.waitForFrame(p, va, err)
	}
	return k.fill(p, r, pg, va, frame)
}

// cachedPage serves a fault on a page that is in a frame already: in the
// pool it is reclaimed (reclaim, daemon.go); resident (another process maps it, or nobody
// does any more) it is mapped here too, a shared hit; in transit p waits
// for it.
func (k *Kernel) cachedPage(p *Process, r *vm.Region, pg *vm.Page, va mmu.VAddr) Result {
	switch st := k.Frames.Get(pg.Frame).State; st {
	case vm.FramePool:
		return k.reclaim(p, r, pg, va)
	case vm.FrameMapped:
		how := SharedHit
		if pg.Ahead {
			how, pg.Ahead = PrefetchHit, false
		}
		k.mapPage(p.Space, r, pg, va)
		return served(how, va, pg.Frame)
	case vm.FrameBusy:
		k.block(p, pg, "page in transit")
		return served(WaitsInTransit, va, pg.Frame)
	default:
		panic(fmt.Sprintf("kernel.cachedPage: pid %d faulted on %s, whose frame %d is %s", p.PID, va, pg.Frame, st))
	}
}

// fill brings page pg into frame: zeros are filled at once; contents in
// swap or in the image are read by DMA while p waits, the frame busy and
// locked until the disk's interrupt maps it (pageio.go); a page of a
// pager's object is asked of the pager, the same way (pager.go).
func (k *Kernel) fill(p *Process, r *vm.Region, pg *vm.Page, va mmu.VAddr, frame uint32) Result {
	if source, ok := pg.Home().Source.(vm.PagerSource); ok {
		return k.askPager(p, r, pg, va, frame, source)
	}
	store, off, n := pg.Location(k.swap)
	pg.Frame = frame
	k.Frames.Get(frame).Page = pg
	if store == nil {
		clear(k.Phys.Frame(frame))
		k.becomeResident(frame)
		k.mapPage(p.Space, r, pg, va)
		return served(ZeroFilled, va, frame)
	}
	k.startPageIn(p, r, pg, va, store, off, n)
	res := served(PagedIn, va, frame)
	res.from, res.swapIn = store.Name(), store == k.swap.Store
	res.fromFile = k.mappedFiles[pg.Home()] != nil && pg.Slot == vm.NoSlot
	return res
}

// waitForFrame makes p wait when no frame can be had now but one will be
// freed (a write-back is in flight); when none ever will, or swap is
// full, p is killed.
func (k *Kernel) waitForFrame(p *Process, va mmu.VAddr, err error) Result {
	if err == errWaitForFrame {
		k.block(p, framesChannel{}, "a free frame")
		return served(WaitsForFrame, va, 0)
	}
	return killed(oomKill(va, err))
}

// refill serves a TLB miss when the TLB is refilled by software: walk the
// process's own table, page in if needed (the result is then the
// page's), and write the entry. Like a
// hardware walker it sets the accessed bit. A writable page whose dirty
// bit is clear is entered read-only, so that its first write traps and
// writeFault can record it (as MIPS kernels do).
func (k *Kernel) refill(p *Process, r *vm.Region, f mmu.Fault) Result {
	// kit:tlbrefill begin
	k.stats.TLBRefills++
	res := served(Refilled, f.Addr, 0)
	w := p.Space.PT.Lookup(f.Addr)
	if !w.PTE.Has(mmu.V | mmu.P) {
		if res = k.getPage(p, r, f.Addr); !res.how.Present() {
			return res // p waits, or is killed: the refill is done when it runs again
		}
		w = p.Space.PT.Lookup(f.Addr)
	}
	pte := w.PTE.With(mmu.A)
	if f.Access == isa.Write && pte.Has(mmu.W) {
		pte = pte.With(mmu.D)
	}
	k.Phys.WritePTE(w.PTEAddr, pte)
	k.insertTLB(p, f.Addr, pte)
	res.frame = pte.Frame()
	return res
	// kit:tlbrefill end
}

// insertTLB writes a TLB entry for va from pte, without W until the page
// is dirty.
func (k *Kernel) insertTLB(p *Process, va mmu.VAddr, pte mmu.PTE) {
	// kit:tlbrefill begin
	if !pte.Has(mmu.D) {
		pte = pte.Without(mmu.W)
	}
	k.MMU.InsertTLB(va, pte)
	if k.tracing(TraceTLB) {
		k.trace(TraceTLB, "pid %d: refill %s -> %s", p.PID, va, pte)
	}
	// kit:tlbrefill end
}

// invalidate drops the TLB's entry for va of address space as, whether
// or not it is the one loaded: with ASIDs the TLB may hold entries of
// every address space.
func (k *Kernel) invalidate(as *vm.AddressSpace, va mmu.VAddr) {
	// kit:tlbrefill begin
	if k.tracing(TraceTLB) {
		k.trace(TraceTLB, "invalidate %s (asid %d)", va, as.ASID)
	}
	switch {
	case k.cfg.ASID:
		k.MMU.InvalidateASID(as.ASID, va)
	case k.current != nil && k.current.Space == as:
		k.MMU.InvalidatePage(va)
	}
	// kit:tlbrefill end
}
