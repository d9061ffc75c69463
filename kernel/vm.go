package kernel

import (
	"fmt"

	"toyvm/isa"
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

// AddRegion adds r and marks each of its pages valid but not present in
// the page table, so that the first touch of a page is a NOT_PRESENT
// fault (a legal page fault) and a touch anywhere else is INVALID. It
// returns an error if r overlaps another region or memory runs out.
func (as *AddressSpace) AddRegion(r *Region) error {
	for _, o := range as.Regions {
		if r.Start < o.End && o.Start < r.End {
			return fmt.Errorf("region %s overlaps %s", r.Name, o.Name)
		}
	}
	for va := r.Start; va < r.End; va += isa.PageSize {
		if err := as.PT.Set(va, mmu.NewPTE(0, as.pteBits(r)|mmu.V)); err != nil {
			return err
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
	for _, r := range as.Regions {
		for va := r.Start; va < r.End; va += isa.PageSize {
			if w := as.PT.Lookup(va); w.PTE.Has(mmu.P) {
				frames.Release(w.PTE.Frame())
			}
		}
	}
	as.Regions = nil
	as.PT.Free()
}
