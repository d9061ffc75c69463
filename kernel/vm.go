package kernel

import (
	"fmt"

	"toyvm/isa"
	"toyvm/kernel/policy"
	"toyvm/mmu"
)

// AddressSpace is a process's view of memory: its regions and the page
// table that maps them.
type AddressSpace struct {
	PT      *PageTable
	ASID    uint16 // tags its TLB entries when ASIDs are on
	Regions []*Region
	// softDirty: writable pages are mapped read-only until their first
	// write, which the kernel records as the dirty bit (--dirty sw).
	softDirty bool
}

// CR3 returns the value of cr3 that makes this address space current.
func (as *AddressSpace) CR3() uint32 { return as.PT.CR3() | uint32(as.ASID) }

// Region returns the region that holds va, or nil if none does.
func (as *AddressSpace) Region(va mmu.VAddr) *Region {
	for _, r := range as.Regions {
		if r.Contains(va) {
			return r
		}
	}
	return nil
}

// AddRegion adds r to the address space. Nothing is loaded or mapped: a
// page of r has no valid page-table entry until it is first touched, and
// the fault that touch takes (INVALID, as for an address no region
// covers) is served because r covers the address. It returns an error if
// r overlaps another region.
func (as *AddressSpace) AddRegion(r *Region) error {
	for _, o := range as.Regions {
		if r.Start < o.End && o.Start < r.End {
			return fmt.Errorf("region %s overlaps %s", r.Name, o.Name)
		}
	}
	as.Regions = append(as.Regions, r)
	return nil
}

// pteBits returns the protection bits of a page of region r. Under
// software dirty bits a writable page starts read-only.
func (as *AddressSpace) pteBits(r *Region) mmu.Bits {
	bits := mmu.U
	if r.Prot&ProtWrite != 0 && !as.softDirty {
		bits |= mmu.W
	}
	return bits
}

// growDown extends region r (the stack) down to the page at va,
// reserving swap for the new pages under the static layout. It returns
// errSwapFull if they cannot be reserved.
func (k *Kernel) growDown(r *Region, va mmu.VAddr) error {
	n := int(r.Start-va) / isa.PageSize
	if err := k.reserveSwap(r.Object, r.Index(va), n); err != nil {
		return err
	}
	r.Start = va
	return nil
}

// addRegion adds a region to p's address space, reserving swap for it
// under the static layout. It returns AddRegion's error for an overlap,
// or errSwapFull.
func (k *Kernel) addRegion(p *Process, r *Region) error {
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
func (k *Kernel) destroySpace(as *AddressSpace) {
	for _, r := range as.Regions {
		k.freeObject(r.Object)
	}
	as.Regions = nil
	as.PT.Free()
	k.wakeup(framesChannel{})
}

// freeObject frees the frames and swap slots of an object's pages.
func (k *Kernel) freeObject(o *Object) {
	for _, i := range o.sortedIndexes() {
		k.freePage(o.pages[i])
	}
	for _, run := range o.runs {
		k.swap.release(run.slot, run.n)
	}
	o.pages, o.runs = nil, nil
}

// freePage frees a page's frame and its dynamic swap slot, and marks it
// gone. A page in transit keeps its frame, and a page being written back
// its slot, until the disk's interrupt frees them.
func (k *Kernel) freePage(pg *Page) {
	k.freePageFrame(pg)
	if pg.Slot != NoSlot && k.swap.Layout == SwapDynamic && !pg.writing {
		k.swap.release(pg.Slot, 1)
	}
	pg.Obj = nil
}

// dropPage frees the page of region r at va, which r no longer covers:
// its frame, its swap slot, its page-table and TLB entries.
func (k *Kernel) dropPage(p *Process, r *Region, va mmu.VAddr) {
	i := r.Index(va)
	if pg := r.Object.pages[i]; pg != nil {
		k.freePage(pg)
		delete(r.Object.pages, i)
	}
	p.Space.PT.Clear(va)
	k.invalidate(p.Space, va)
}

// freePageFrame gives back the frame a page is in, if any and not in
// transit.
func (k *Kernel) freePageFrame(pg *Page) {
	if pg.Frame == 0 {
		return
	}
	f := k.Frames.Get(pg.Frame)
	switch f.State {
	case FrameMapped:
		k.policy.Remove(policy.Page(pg.Frame))
		k.invalidate(pg.Space, pg.VA)
		k.Frames.Release(pg.Frame)
	case FramePool:
		k.Frames.Reclaim(pg.Frame, 0)
		k.Frames.Release(pg.Frame)
	}
}
