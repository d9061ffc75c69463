package kernel

import (
	"fmt"

	"toyvm/mmu"
)

// AddressSpace is a process's view of memory: its regions and the page
// table that maps them.
type AddressSpace struct {
	PT      *PageTable
	Regions []*Region
	// softDirty: writable pages are mapped read-only until their first
	// write, which the kernel records as the dirty bit (--dirty sw).
	softDirty bool
}

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

// Destroy frees every frame the address space holds: its pages, then its
// page tables.
func (as *AddressSpace) Destroy(frames *FrameTable) {
	as.PT.EachPresent(func(va mmu.VAddr, pte mmu.PTE) { frames.Release(pte.Frame()) })
	as.Regions = nil
	as.PT.Free()
}
