package vm

import (
	"fmt"

	"toyvm/mmu"
)

// PageTable is one address space's two-level page table, kept in emulated
// physical memory where the MMU walks it: the layer that installs and
// removes translations (Tornado's hardware address translation object).
// Every lookup goes through mmu's one walk.
type PageTable struct {
	phys   *mmu.Phys
	frames *FrameTable
	owner  int
	dir    mmu.PAddr // the page directory: what cr3 holds
}

// NewPageTable allocates an empty page directory for process owner; it
// returns an error when no frame is free.
func NewPageTable(phys *mmu.Phys, frames *FrameTable, owner int) (*PageTable, error) {
	f, ok := frames.Take(FrameKernel, owner)
	if !ok {
		return nil, ErrOutOfMemory
	}
	clear(phys.Frame(f))
	return &PageTable{phys: phys, frames: frames, owner: owner, dir: FrameAddr(f)}, nil
}

// Owner returns the pid of the process the table was made for.
func (pt *PageTable) Owner() int { return pt.owner }

// CR3 returns the value that makes this table the current one.
func (pt *PageTable) CR3() uint32 { return uint32(pt.dir) }

// Lookup walks the table for va, exactly as the MMU does.
func (pt *PageTable) Lookup(va mmu.VAddr) mmu.Walk { return pt.phys.Walk(pt.CR3(), va) }

// Reserve makes sure the page table that holds va's entry exists, so
// that mapping va later cannot fail; it returns ErrOutOfMemory when no
// frame is free or in the pool.
func (pt *PageTable) Reserve(va mmu.VAddr) error {
	w := pt.Lookup(va)
	if w.PDE.Has(mmu.P) {
		return nil
	}
	return pt.addTable(w.PDEAddr)
}

// Set writes va's page-table entry, creating the page table that holds
// it if there is none; it returns an error when no frame is free for it.
func (pt *PageTable) Set(va mmu.VAddr, pte mmu.PTE) error {
	if err := pt.Reserve(va); err != nil {
		return err
	}
	pt.phys.WritePTE(pt.Lookup(va).PTEAddr, pte)
	return nil
}

// Map installs a present translation of va to frame with the given bits;
// it returns ErrOutOfMemory when no frame is free for a new page table.
func (pt *PageTable) Map(va mmu.VAddr, frame uint32, bits mmu.Bits) error {
	return pt.Set(va, mmu.NewPTE(frame, bits|mmu.V|mmu.P))
}

// Unmap clears the present, accessed and dirty bits of va's entry,
// keeping it valid (a later touch is a NOT_PRESENT fault), and returns
// the entry as it was. The caller invalidates the TLB.
func (pt *PageTable) Unmap(va mmu.VAddr) mmu.PTE {
	w := pt.Lookup(va)
	if !w.PDE.Has(mmu.P) {
		return 0
	}
	pt.phys.WritePTE(w.PTEAddr, w.PTE.Without(mmu.P|mmu.A|mmu.D))
	return w.PTE
}

// Clear removes va's entry altogether (V clear), if its table exists.
func (pt *PageTable) Clear(va mmu.VAddr) {
	if w := pt.Lookup(va); w.PDE.Has(mmu.P) {
		pt.phys.WritePTE(w.PTEAddr, 0)
	}
}

// EachPresent calls do for every present page the table maps, in
// address order, visiting only the page tables that exist.
func (pt *PageTable) EachPresent(do func(va mmu.VAddr, pte mmu.PTE)) {
	for d := uint32(0); d < mmu.Entries; d++ {
		pde := pt.phys.ReadPDE(mmu.EntryAddr(pt.dir, d))
		if !pde.Has(mmu.P) {
			continue
		}
		for i := uint32(0); i < mmu.Entries; i++ {
			pte := pt.phys.ReadPTE(mmu.EntryAddr(FrameAddr(pde.Frame()), i))
			if pte.Has(mmu.V | mmu.P) {
				do(mmu.PageOf(d, i), pte)
			}
		}
	}
}

// addTable allocates a zeroed page table and points the directory entry
// at pdeAddr to it; it returns ErrOutOfMemory when no frame is free.
func (pt *PageTable) addTable(pdeAddr mmu.PAddr) error {
	f, ok := pt.frames.Take(FrameKernel, pt.owner)
	if !ok {
		return ErrOutOfMemory
	}
	clear(pt.phys.Frame(f))
	pde := mmu.NewPDE(f, mmu.P|mmu.W|mmu.U)
	pt.phys.WritePDE(pdeAddr, pde)
	return nil
}

// Free releases the page tables and the directory. The frames the
// entries point to belong to the address space, which frees them first.
func (pt *PageTable) Free() {
	for i := uint32(0); i < mmu.Entries; i++ {
		pde := pt.phys.ReadPDE(mmu.EntryAddr(pt.dir, i))
		if pde.Has(mmu.P) {
			pt.frames.Release(pde.Frame())
		}
	}
	pt.frames.Release(uint32(pt.dir) / mmu.PageSize)
	pt.dir = 0
}

func FrameAddr(f uint32) mmu.PAddr { return mmu.PAddr(f) * mmu.PageSize }

func (pt *PageTable) String() string { return fmt.Sprintf("page directory at %#x", uint32(pt.dir)) }
