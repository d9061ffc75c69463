package vm

import (
	"fmt"
	"slices"

	"toyvm/mmu"
)

// AddressSpace is a process's view of memory: its regions and the page
// table that maps them.
type AddressSpace struct {
	PT      *PageTable
	ASID    uint16 // tags its TLB entries when ASIDs are on
	Regions []*Region
	// SoftDirty: writable pages are mapped read-only until their first
	// write, which the kernel records as the dirty bit (--dirty sw).
	SoftDirty bool
	// Locked: the pages pinned by mlock, by address, and the frame each
	// is pinned in (locked once for this address space).
	Locked map[mmu.VAddr]uint32
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

// RemoveRegion takes r out of the address space (its pages are the
// caller's to unmap first).
func (as *AddressSpace) RemoveRegion(r *Region) {
	as.Regions = slices.DeleteFunc(as.Regions, func(x *Region) bool { return x == r })
}

// PTEBits returns the protection bits of a page of region r. Under
// software dirty bits a writable page starts read-only.
func (as *AddressSpace) PTEBits(r *Region) mmu.Bits {
	bits := mmu.U
	if r.Prot&ProtWrite != 0 && !as.SoftDirty {
		bits |= mmu.W
	}
	return bits
}
