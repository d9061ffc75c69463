package kernel

import (
	"toyvm/isa"
	"toyvm/kernel/vm"
	"toyvm/mmu"
)

// Copy-on-write. After a fork the parent's and the child's objects hold
// the same pages, and the entries that map them have no W. The first
// write of either process to such a page is a PROTECTION fault (after
// the instruction's reads: the write is the last access it makes, and
// the instruction is backed up like any other). writeFault then gives
// the writer a copy of its own; the other sharers keep the original. A
// page that only one object still holds needs no copy: its entry just
// gets W back. The kernel's own writes to user memory (a read() into a
// buffer, the arguments of exec) break the sharing the same way
// (userWrite), so no write ever reaches another process's page.

// writeFault serves a write that the entry of a present page does not
// allow, in a writable region: a page shared copy-on-write is copied for
// p (copyPage); an entry without W for another reason (its page was
// shared and is p's alone now, or the kernel keeps the dirty bit under
// --dirty sw) gets W and D (grantWrite); under --tlb-refill sw a
// writable page whose dirty bit is clear gets it. A read that faults so
// kills; an entry that is not valid and present is a page fault
// (getPage). The grant is Unshared (counted as a copy-on-write reuse)
// when the entry had no W and the kernel keeps no dirty bits of its own,
// else MarkedDirty.
func (k *Kernel) writeFault(p *Process, r *vm.Region, f mmu.Fault) Result {
	// kit:fork begin
	w := p.Space.PT.Lookup(f.Addr)
	switch {
	case f.Access != isa.Write:
		return killed(faultKill(f))
	case !w.PTE.Has(mmu.V | mmu.P):
		return k.getPage(p, r, f.Addr)
	}
	pg := r.Object.Lookup(r.Index(f.Addr))
	if k.copyOnWrite(r, pg) {
		return k.copyPage(p, r, pg, pageOf(f.Addr))
	}
	how := MarkedDirty
	if !w.PTE.Has(mmu.W) && !k.cfg.SoftwareDirty {
		how = Unshared
	}
	return k.grantWrite(p, w, how)
	// kit:fork end
}

// grantWrite lets p write the page of the walk w: its entry gets W, D
// and A, the TLB forgets the old entry (or, under --tlb-refill sw, holds
// the new one), and the result is how.
func (k *Kernel) grantWrite(p *Process, w mmu.Walk, how Outcome) Result {
	pte := w.PTE.With(mmu.W | mmu.D | mmu.A)
	k.Phys.WritePTE(w.PTEAddr, pte)
	k.invalidate(p.Space, w.VA)
	if k.cfg.SoftwareRefill {
		k.insertTLB(p, w.VA, pte)
	}
	return served(how, w.VA, pte.Frame())
}

// copyPage gives p a copy of page old, which its private region r shares
// copy-on-write with other processes, at va: a new frame with old's
// bytes, mapped writable in old's place; old keeps its other holders.
// old's frame is locked while a frame is found, so that finding one
// cannot evict it. It returns the result of waiting for a frame, or the
// kill when none will ever be free.
func (k *Kernel) copyPage(p *Process, r *vm.Region, old *vm.Page, va mmu.VAddr) Result {
	// kit:fork begin
	k.Frames.Lock(old.Frame)
	frame, err := k.allocFrame(p, vm.FrameBusy)
	k.Frames.Unlock(old.Frame)
	if err != nil {
		return k.waitForFrame(p, va, err)
	}
	copy(k.Phys.Frame(frame), k.Phys.Frame(old.Frame))
	if m, ok := k.mappingOf(p.Space, old, va); ok {
		k.unmapPage(m, old, false)
	}
	k.movePin(p.Space, va, old.Frame, frame)
	i := r.Index(va)
	r.Object.Drop(i)
	np := r.Object.Page(i)
	np.Frame, np.Dirty = frame, true
	k.Frames.Get(frame).Page = np
	k.becomeResident(frame)
	k.mapPage(p.Space, r, np, va)
	return served(CopiedOnWrite, va, frame)
	// kit:fork end
}

// userWrite makes the page at va, present in p's address space, one the
// kernel may write for p: a page shared copy-on-write is copied first,
// as a write of p's own would be, and the kernel's fault is counted and
// logged (kernelCopied). It returns nil, errBlocked (p waits for a frame)
// or a killError.
func (k *Kernel) userWrite(p *Process, va mmu.VAddr) error {
	// kit:fork begin
	r := p.Space.Region(va)
	pg := r.Object.Lookup(r.Index(va))
	if !k.copyOnWrite(r, pg) {
		return nil
	}
	return k.kernelCopied(p, va, k.copyPage(p, r, pg, pageOf(va)))
	// kit:fork end
}

// kernelCopied counts and logs res, the copy of the page at va the kernel
// made to write into it for p, and returns what userWrite returns for it:
// nil, errBlocked (p waits for a frame) or a killError.
func (k *Kernel) kernelCopied(p *Process, va mmu.VAddr, res Result) error {
	k.account(p, res)
	k.faultLog.add(FaultRecord{Cycle: k.CPU.Now(), PID: p.PID, Cause: isa.Protection, Access: isa.Write,
		Addr: va, PC: p.Ctx.PC, How: "kernel copy: " + res.String()})
	switch res.how {
	case Killed:
		return killError{res.kill}
	case WaitsForFrame:
		return errBlocked
	}
	return nil
}

// pageOf returns the address of the page that holds va.
func pageOf(va mmu.VAddr) mmu.VAddr { return mmu.VAddr(isa.PageDown(uint32(va))) }
