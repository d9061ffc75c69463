package kernel

import (
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
// under the static layout. It returns AddRegion's error for an overlap,
// or vm.ErrSwapFull.
func (k *Kernel) addRegion(p *Process, r *vm.Region) error {
	if err := p.Space.AddRegion(r); err != nil {
		return err
	}
	if r.Object.Swappable {
		return k.reserveSwap(r.Object, r.Index(r.Start), r.Pages())
	}
	return nil
}

// destroySpace frees everything an address space holds: its pages'
// frames (mapped or in the pool), its swap slots, its page tables. A page
// still in transit keeps its frame until the disk is done with it.
func (k *Kernel) destroySpace(as *vm.AddressSpace) {
	for _, r := range as.Regions {
		k.freeObject(r.Object)
	}
	as.Regions = nil
	as.PT.Free()
	k.wakeup(framesChannel{})
}

// freeObject frees the frames and swap slots of an object's pages.
func (k *Kernel) freeObject(o *vm.Object) {
	for _, i := range o.Indexes() {
		k.freePage(o.Lookup(i))
	}
	for _, run := range o.Runs() {
		k.swap.Release(run.Slot, run.N)
	}
	o.Clear()
}

// freePage frees a page's frame and its dynamic swap slot, and marks it
// gone. A page in transit keeps its frame, and a page being written back
// its slot, until the disk's interrupt frees them.
func (k *Kernel) freePage(pg *vm.Page) {
	k.freePageFrame(pg)
	if pg.Slot != vm.NoSlot && k.swap.Layout == vm.SwapDynamic && !pg.Writing {
		k.swap.Release(pg.Slot, 1)
	}
	pg.Obj = nil
}

// dropPage frees the page of region r at va, which r no longer covers:
// its frame, its swap slot, its page-table and TLB entries.
func (k *Kernel) dropPage(p *Process, r *vm.Region, va mmu.VAddr) {
	i := r.Index(va)
	if pg := r.Object.Lookup(i); pg != nil {
		k.freePage(pg)
		r.Object.Drop(i)
	}
	p.Space.PT.Clear(va)
	k.invalidate(p.Space, va)
}

// freePageFrame gives back the frame a page is in, if any and not in
// transit.
func (k *Kernel) freePageFrame(pg *vm.Page) {
	if pg.Frame == 0 {
		return
	}
	f := k.Frames.Get(pg.Frame)
	switch f.State {
	case vm.FrameMapped:
		k.policy.Remove(policy.Page(pg.Frame))
		k.invalidate(pg.Space, pg.VA)
		k.Frames.Release(pg.Frame)
	case vm.FramePool:
		k.Frames.Reclaim(pg.Frame, 0)
		k.Frames.Release(pg.Frame)
	}
}

// slotFor returns the slot a dirty page of an object is written to: its
// reserved slot (static layout) or any free one (dynamic). It returns
// vm.ErrSwapFull when none is free.
func (k *Kernel) slotFor(pg *vm.Page) (vm.Slot, error) {
	if k.swap.Layout == vm.SwapStatic {
		return pg.Obj.StaticSlot(pg.Index), nil
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
