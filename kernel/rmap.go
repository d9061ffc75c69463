package kernel

import (
	"fmt"
	"toyvm/kernel/vm"
	"toyvm/mmu"
)

// The reverse map. A frame's record lists every page-table entry that
// maps it (vm.Frame.Maps): one for a private page, one for each process
// that shares it (a page copy-on-write after a fork, a shared memory
// segment, a file mapped shared). Everything that changes a page's
// mappings goes through the functions below, so that eviction,
// write-back and the accessed and dirty bits see every sharer, and the
// replacement policy follows exactly the frames that are mapped.

// mapPage installs the translation of va to pg's frame in space, with
// the bits of region r (without W while the page is shared copy-on-write),
// and records it in the frame's reverse map. The entry starts with A
// set: the access that faulted is about to use the page, and a policy
// must not take it for an idle one before it has run. The frame is
// resident already (becomeResident).
func (k *Kernel) mapPage(space *vm.AddressSpace, r *vm.Region, pg *vm.Page, va mmu.VAddr) {
	bits := space.PTEBits(r) | mmu.A
	if k.copyOnWrite(r, pg) {
		bits &^= mmu.W
	}
	if err := space.PT.Map(va, pg.Frame, bits); err != nil {
		panic("kernel.mapPage: the page table was reserved: " + err.Error())
	}
	if st := k.Frames.Get(pg.Frame).State; st != vm.FrameMapped { // a broken invariant, never a guest's doing
		panic(fmt.Sprintf("kernel.mapPage: frame %#x is %s, not resident", pg.Frame, st))
	}
	k.Frames.Get(pg.Frame).AddMap(vm.Mapping{Space: space, VA: va})
}

// becomeResident makes a frame whose page has just been filled, read,
// reclaimed from the pool or kept after a failed write resident
// (FrameMapped): the replacement policy follows it from now on, mapped
// or not.
func (k *Kernel) becomeResident(frame uint32) {
	k.Frames.Get(frame).State = vm.FrameMapped
	k.policy.Insert(policyPage(frame))
}

// copyOnWrite reports whether a write to pg through region r must copy
// it first: the region is private and the page is shared with another
// process's object.
func (k *Kernel) copyOnWrite(r *vm.Region, pg *vm.Page) bool {
	return !r.Shared && pg.Shared()
}

// unmapPage removes the mapping m of pg's frame. The entry is cleared
// when clear is set (the region goes away), else it stays valid but not
// present (a later touch is a NOT_PRESENT fault). Its dirty bit is
// folded into the page first, so that no write is forgotten, and the TLB
// forgets the entry. A frame that loses its last mapping stays resident
// (FrameMapped, followed by the replacement policy) while an object
// holds its page: a sharer's fault maps it again, or the policy evicts
// it.
func (k *Kernel) unmapPage(m vm.Mapping, pg *vm.Page, clear bool) {
	fr := k.Frames.Get(pg.Frame)
	if !fr.RemoveMap(m) {
		panic("kernel.unmapPage: the frame's reverse map does not hold " + m.VA.String())
	}
	if m.Space.PT.Lookup(m.VA).PTE.Has(mmu.D) {
		pg.Dirty = true
	}
	if clear {
		m.Space.PT.Clear(m.VA)
	} else {
		m.Space.PT.Unmap(m.VA)
	}
	k.invalidate(m.Space, m.VA)
}

// unmapAll removes every mapping of pg's frame, keeping the entries
// valid (eviction).
func (k *Kernel) unmapAll(pg *vm.Page) {
	fr := k.Frames.Get(pg.Frame)
	for len(fr.Maps) > 0 {
		k.unmapPage(fr.Maps[0], pg, false)
	}
}

// mappingOf returns space's mapping of pg at va, if pg's frame has it.
func (k *Kernel) mappingOf(space *vm.AddressSpace, pg *vm.Page, va mmu.VAddr) (vm.Mapping, bool) {
	m := vm.Mapping{Space: space, VA: va}
	if pg.Frame == 0 {
		return m, false
	}
	for _, x := range k.Frames.Get(pg.Frame).Maps {
		if x == m {
			return m, true
		}
	}
	return m, false
}

// pageDirty reports whether pg's contents in memory differ from its
// copy: it was marked dirty, or an entry that maps it has D set.
func (k *Kernel) pageDirty(pg *vm.Page) bool {
	return pg.Dirty || k.anyEntryHas(pg, mmu.D)
}

// anyEntryHas reports whether an entry that maps pg has bit b set.
func (k *Kernel) anyEntryHas(pg *vm.Page, b mmu.Bits) bool {
	for _, m := range k.Frames.Get(pg.Frame).Maps {
		if m.Space.PT.Lookup(m.VA).PTE.Has(b) {
			return true
		}
	}
	return false
}

// clearEntries clears bit b in every entry that maps pg, and drops their
// TLB entries, so that the next access walks the table and sets it
// again.
func (k *Kernel) clearEntries(pg *vm.Page, b mmu.Bits) {
	for _, m := range k.Frames.Get(pg.Frame).Maps {
		w := m.Space.PT.Lookup(m.VA)
		k.Phys.WritePTE(w.PTEAddr, w.PTE.Without(b))
		k.invalidate(m.Space, m.VA)
	}
}
