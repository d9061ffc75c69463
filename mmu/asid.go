package mmu

// InvalidateASID drops the TLB entry for va's page tagged with asid,
// whichever address space is current: with ASIDs on, the TLB holds
// entries of address spaces that are not loaded, and a kernel that
// evicts one of their pages must be able to forget its entry.
func (m *MMU) InvalidateASID(asid uint16, va VAddr) { m.tlb.invalidate(tlbKey(va.VPN(), asid)) }
