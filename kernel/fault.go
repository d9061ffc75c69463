package kernel

import (
	"toyvm/isa"
	"toyvm/mmu"
)

// pageFault serves a memory fault of process p, the way the fault path
// of DESIGN.md reads: classify the fault, find the region, get the page,
// map it, return. It returns nil when the instruction can be restarted,
// or the reason to kill p when the access is not a legal page fault.
func (k *Kernel) pageFault(p *Process, f mmu.Fault) *kill {
	r := p.Space.Region(f.Addr)
	if r == nil || !r.Prot.Allows(f.Access) {
		return faultKill(walkerVerdict(f, r))
	}
	switch f.Cause {
	case isa.Invalid, isa.NotPresent:
		return k.pageInOrKill(p, r, f.Addr)
	case isa.TLBMiss:
		return k.refill(p, r, f)
	case isa.Protection:
		return k.firstWrite(p, f)
	}
	return faultKill(f)
}

// walkerVerdict names an illegal access the way a hardware walk would
// have: a TLB miss (software refill) outside every region is INVALID, and
// one the region forbids is PROTECTION.
func walkerVerdict(f mmu.Fault, r *Region) mmu.Fault {
	switch {
	case f.Cause != isa.TLBMiss:
	case r == nil:
		f.Cause = isa.Invalid
	default:
		f.Cause = isa.Protection
	}
	return f
}

// pageIn gets a frame for the page holding va, fills it from the
// region's backing object and maps it. It returns errOutOfMemory, having
// changed nothing, when no frame is free for the page or its page table.
func (k *Kernel) pageIn(p *Process, r *Region, va mmu.VAddr) error {
	page := mmu.VAddr(isa.PageDown(uint32(va)))
	frame, ok := k.Frames.Alloc(FrameMapped, p.PID, uint32(page))
	if !ok {
		return errOutOfMemory
	}
	r.Backing.Fill(k.Phys.Frame(frame), r.Offset(page))
	if err := p.Space.PT.Map(page, frame, p.Space.pteBits(r)); err != nil {
		k.Frames.Release(frame)
		return err
	}
	k.stats.PageFaults++
	k.stats.MinorFaults++
	k.trace(TraceFaults, "pid %d: page in %s from %s into frame %#x", p.PID, page, r.Backing.Kind(), frame)
	return nil
}

func (k *Kernel) pageInOrKill(p *Process, r *Region, va mmu.VAddr) *kill {
	if err := k.pageIn(p, r, va); err != nil {
		return oomKill(va, err)
	}
	return nil
}

// refill serves a TLB miss when the TLB is refilled by software: walk the
// process's own table, page in if needed, and write the entry. Like a
// hardware walker it sets the accessed bit. A writable page whose dirty
// bit is clear is entered read-only, so that its first write traps and
// firstWrite can record it (as MIPS kernels do).
func (k *Kernel) refill(p *Process, r *Region, f mmu.Fault) *kill {
	k.stats.TLBRefills++
	w := p.Space.PT.Lookup(f.Addr)
	if !w.PTE.Has(mmu.P) {
		if kl := k.pageInOrKill(p, r, f.Addr); kl != nil {
			return kl
		}
		w = p.Space.PT.Lookup(f.Addr)
	}
	pte := w.PTE.With(mmu.A)
	if f.Access == isa.Write && pte.Has(mmu.W) {
		pte = pte.With(mmu.D)
	}
	k.Phys.WritePTE(w.PTEAddr, pte)
	k.insertTLB(p, f.Addr, pte)
	return nil
}

// insertTLB writes a TLB entry for va from pte, without W until the page
// is dirty.
func (k *Kernel) insertTLB(p *Process, va mmu.VAddr, pte mmu.PTE) {
	if !pte.Has(mmu.D) {
		pte = pte.Without(mmu.W)
	}
	k.MMU.InsertTLB(va, pte)
	k.trace(TraceTLB, "pid %d: refill %s -> %s", p.PID, va, pte)
}

// firstWrite records the first write to a writable page whose dirty bit
// the hardware does not keep: under --dirty sw the page was mapped
// read-only, under --tlb-refill sw its entry was; now the page is marked
// dirty and writable. Any other protection fault kills.
func (k *Kernel) firstWrite(p *Process, f mmu.Fault) *kill {
	w := p.Space.PT.Lookup(f.Addr)
	soft := k.cfg.SoftwareDirty && !w.PTE.Has(mmu.W)
	refilled := k.cfg.SoftwareRefill && w.PTE.Has(mmu.W) && !w.PTE.Has(mmu.D)
	if f.Access != isa.Write || !(soft || refilled) {
		return faultKill(f)
	}
	pte := w.PTE.With(mmu.W | mmu.D | mmu.A)
	k.Phys.WritePTE(w.PTEAddr, pte)
	k.invalidate(p, f.Addr)
	if k.cfg.SoftwareRefill {
		k.insertTLB(p, f.Addr, pte)
	}
	k.stats.PageFaults++
	k.stats.MinorFaults++
	k.stats.DirtyFaults++
	k.trace(TraceFaults, "pid %d: first write to %s: dirty", p.PID, f.Addr)
	return nil
}

// invalidate drops the TLB's entry for va if p's address space is the
// one loaded in the MMU.
func (k *Kernel) invalidate(p *Process, va mmu.VAddr) {
	if p == k.current {
		k.MMU.InvalidatePage(va)
	}
}
