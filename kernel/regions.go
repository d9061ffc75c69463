package kernel

import (
	"fmt"

	"toyvm/isa"
	"toyvm/kernel/policy"
	"toyvm/kernel/vm"
	"toyvm/mmu"
)

// growDown extends region r (the stack) down to the page at va,
// reserving swap for the new pages under the static layout. It returns
// vm.ErrSwapFull if they cannot be reserved.
func (k *Kernel) growDown(r *vm.Region, va mmu.VAddr) error {
	n := int(r.Start-va) / isa.PageSize
	if err := k.reserveSwap(r.Object, r.Index(va), n); err != nil {
		return err
	}
	r.Start = va
	return nil
}

// addRegion adds a region to p's address space, reserving swap for it
// under the static layout; the region holds its object. It returns
// AddRegion's error for an overlap, or vm.ErrSwapFull, having added
// nothing: an object that no region holds then is freed.
func (k *Kernel) addRegion(p *Process, r *vm.Region) error {
	err := p.Space.AddRegion(r)
	if err == nil && r.Object.Swappable {
		if err = k.reserveSwap(r.Object, r.Index(r.Start), r.Pages()); err != nil {
			p.Space.RemoveRegion(r)
		}
	}
	if err != nil {
		if r.Object.Refs == 0 {
			k.freeObject(r.Object)
		}
		return err
	}
	r.Object.Refs++
	return nil
}

// destroySpace frees everything an address space holds: each region is
// dropped (its mappings removed, its object let go of), then the page
// tables are freed. A page another process still holds (shared
// copy-on-write, or through a shared object) lives on.
func (k *Kernel) destroySpace(as *vm.AddressSpace) {
	for _, r := range as.Regions {
		k.dropRegion(as, r)
	}
	as.Regions = nil
	as.PT.Free()
	k.wakeup(framesChannel{})
}

// dropRegion takes region r out of as: its pages are unmapped there
// and the region lets go of its object, which is freed with its last
// region.
func (k *Kernel) dropRegion(as *vm.AddressSpace, r *vm.Region) {
	k.unmapRange(as, r, r.Start, r.End)
	if r.Name == "shm" {
		k.detach(r)
	} else {
		k.releaseObject(r.Object)
	}
}

// unmapRange takes [start, end) of region r out of as: the pages mapped
// there are unmapped and their entries cleared; the pages of a private
// object there are let go of (each freed with its last holder). The
// pages of a shared object stay in it, for the other regions that map
// it. Pages pinned there are unpinned.
func (k *Kernel) unmapRange(as *vm.AddressSpace, r *vm.Region, start, end mmu.VAddr) {
	k.unpinRange(as, start, end)
	for _, i := range r.Object.Indexes() {
		va := r.Origin + mmu.VAddr(i)*isa.PageSize
		if va < start || va >= end {
			continue
		}
		pg := r.Object.Lookup(i)
		if m, ok := k.mappingOf(as, pg, va); ok {
			k.unmapPage(m, pg, true)
		}
		if !r.Shared {
			k.dropPage(r.Object, i)
		}
		as.PT.Clear(va)
	}
}

// releaseObject lets go of o for one region; with its last region, o is
// freed.
func (k *Kernel) releaseObject(o *vm.Object) {
	if o.Refs--; o.Refs == 0 {
		k.freeObject(o)
	}
}

// freeObject frees an object no region holds: its pages are let go of
// (each freed with its last holder; a dirty one of a file mapped shared
// is written back first), its reserved swap runs released, its file let
// go.
func (k *Kernel) freeObject(o *vm.Object) {
	for _, i := range o.Indexes() {
		if pg := o.Lookup(i); o.WritesBack && pg.Holders() == 1 && k.mustWriteBack(pg) {
			k.policy.Remove(policyPage(pg.Frame))
			k.startWriteBack(pg)
			if pg.Writing {
				o.Drop(i) // gone: its frame is freed when the write completes
				continue
			}
		}
		k.dropPage(o, i)
	}
	for _, run := range o.Runs() {
		k.swap.ReleaseRun(run.Slot, run.N)
	}
	o.ClearRuns()
	k.fileObjectFreed(o)
}

// mustWriteBack reports whether pg, of a file mapped shared, is dirty in
// a resident frame that nothing locks: its bytes must reach the file.
func (k *Kernel) mustWriteBack(pg *vm.Page) bool {
	if pg.Frame == 0 {
		return false
	}
	fr := k.Frames.Get(pg.Frame)
	return fr.State == vm.FrameMapped && fr.Locks == 0 && k.pageDirty(pg)
}

// dropPage makes o let go of its page i, and frees the page if no object
// holds it any more.
func (k *Kernel) dropPage(o *vm.Object, i uint32) {
	if pg := o.Drop(i); pg != nil && pg.Gone() {
		k.freePage(pg)
	}
}

// freePage frees a page no object holds: its frame and its swap slot. A
// page in transit keeps its frame, and a page being written back its
// slot, until the disk's interrupt frees them.
func (k *Kernel) freePage(pg *vm.Page) {
	k.freePageFrame(pg)
	if pg.Slot != vm.NoSlot && !pg.Writing {
		k.swap.Release(pg.Slot)
		pg.Slot = vm.NoSlot
	}
}

// freePageFrame gives back the frame of a page no object holds. A frame
// in transit, or locked by a transfer in flight, is left to the disk's
// interrupt, which frees it.
func (k *Kernel) freePageFrame(pg *vm.Page) {
	if pg.Frame == 0 {
		return
	}
	f := k.Frames.Get(pg.Frame)
	if f.Shares() > 0 {
		panic(fmt.Sprintf("kernel.freePageFrame: frame %#x of a page no object holds is mapped %d times", pg.Frame, f.Shares()))
	}
	switch {
	case f.State == vm.FrameMapped && f.Locks > 0:
		k.policy.Remove(policy.Page(pg.Frame))
		f.State = vm.FrameBusy // a transfer in flight has it: orphanDone frees it
	case f.State == vm.FrameMapped:
		k.policy.Remove(policy.Page(pg.Frame))
		k.Frames.Release(pg.Frame)
		pg.Frame = 0
	case f.State == vm.FramePool:
		k.Frames.Reclaim(pg.Frame, 0)
		k.Frames.Release(pg.Frame)
		pg.Frame = 0
	}
}

// slotFor takes the slot a dirty page is written to, for the page to
// hold: its home object's reserved slot (static layout, unless the page
// it was copied from holds it still) or any free one (dynamic). It
// returns vm.ErrSwapFull when none is free.
func (k *Kernel) slotFor(pg *vm.Page) (vm.Slot, error) {
	if k.swap.Layout == vm.SwapStatic {
		if s := pg.Home().StaticSlot(pg.Index); !k.swap.Held(s) {
			k.swap.Hold(s)
			return s, nil
		}
		// The original of this copy-on-write copy holds the slot still:
		// the copy takes any free one, as under the dynamic layout.
	}
	return k.swap.Alloc()
}

// reserveSwap reserves slots for n pages of o from page first, under the
// static layout (the dynamic layout reserves nothing ahead). It returns
// vm.ErrSwapFull when there is no run of n free slots.
func (k *Kernel) reserveSwap(o *vm.Object, first uint32, n int) error {
	if k.swap.Layout != vm.SwapStatic || !o.Swappable {
		return nil
	}
	if first, n = o.Uncovered(first, n); n == 0 {
		return nil
	}
	s, err := k.swap.Reserve(n)
	if err != nil {
		return err
	}
	o.AddRun(vm.SwapRun{First: first, Slot: s, N: n})
	return nil
}
