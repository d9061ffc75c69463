package kernel

import (
	"fmt"
	"slices"

	"toyvm/isa"
	"toyvm/kernel/vm"
	"toyvm/mmu"
)

// Library-OS paging, as in an exokernel. A process that registers an
// upcall entry (upcall_entry) and marks a range of its address space as
// self-paged (selfpage) pages that range itself: a fault there is not
// served by the kernel's VM system but upcalled to the process's own
// handler (upcall.go), which allocates a frame (frame_alloc: the kernel
// hands it zeroed, with a capability), fills it as it likes, asks the
// kernel to install the translation (frame_install: the kernel checks
// the capability and the protection, then writes the page-table entry
// and, under --tlb-refill sw, the TLB), and returns (upcall_return) to
// the faulting instruction. The kernel keeps the mechanism and the
// protection: frames, capabilities (capability.go), page tables; the
// library OS keeps the policy: which frame holds what, and what goes
// when memory is short. When it is, the kernel asks for a frame back
// (an upcall), and after a deadline takes one itself (upcall.go).
//
// The frames a library OS holds are vm.FrameOwned: out of the
// replacement policy's sight, never written to swap. A process may hold
// at most half of the frames a program can use. A self-paged range
// lasts until the process exits or execs; fork does not copy it (the
// child has no library OS until it registers one), munmap and mlock
// refuse it, and a system call given a pointer into a page the library
// OS has not installed (or installed read-only, for a call that writes
// there) returns EFAULT: the kernel does not upcall on its own access.

// The access codes an upcall passes in r2: the faulting access
// (isa.Access: read 0, write 1, fetch 2), or a request to give back a
// frame.
const UpcallRevoke = 3

// libOS is what the kernel keeps of a process's library OS.
type libOS struct {
	entry, stack uint32 // the handler and the top of its stack
	inUpcall     bool   // the handler runs: a self-paged fault now kills
	frame        uint32 // where the interrupted state is saved, in an upcall
	caps         []capability
	revoke       revocation
}

// revocation is a request to give back a frame: asked (the upcall is due
// or delivered), and by when the process must have freed a frame.
type revocation struct {
	asked, delivered bool
	deadline         uint64
}

// sysUpcallEntry registers entry as p's upcall handler, run on the stack
// whose top is stack, and returns 0. It returns EINVAL for an entry or a
// stack outside user memory or not word-aligned.
func sysUpcallEntry(k *Kernel, p *Process, a [6]uint32) (int32, bool) {
	entry, stack := a[0], a[1]
	if entry >= isa.StackTop || stack > isa.StackTop || stack%4 != 0 || stack < upcallFrameSize {
		return EINVAL, true
	}
	if p.libos == nil {
		p.libos = &libOS{}
		k.registerUpcall()
	}
	p.libos.entry, p.libos.stack = entry, stack
	return 0, true
}

// sysSelfPage makes [addr, addr+len) a self-paged range of p, readable,
// and writable if prot says so, and returns its address (the kernel
// chooses it when addr is 0, as mmap does). It returns EINVAL for a bad
// length, protection or address, or when p has registered no upcall
// entry; EEXIST when the range overlaps a region; ENOMEM when no room is
// left.
func sysSelfPage(k *Kernel, p *Process, a [6]uint32) (int32, bool) {
	addr, n, prot := mmu.VAddr(a[0]), a[1], a[2]
	if p.libos == nil || n == 0 || n > isa.StackTop || prot == 0 || prot > MmapRead|MmapWrite {
		return EINVAL, true
	}
	pages := int((uint64(n) + isa.PageSize - 1) / isa.PageSize)
	if e := checkPlace(p.Space, addr, pages); e != 0 {
		return e, true
	}
	if addr == 0 {
		var ok bool
		if addr, ok = placeMapping(p.Space, pages); !ok {
			return ENOMEM, true
		}
	}
	r := &vm.Region{Name: "self", Start: addr, End: addr + mmu.VAddr(pages)*isa.PageSize,
		Prot: mmapProt(prot), Object: vm.NewObject("self", vm.SelfSource{}, false), Origin: addr, Floor: addr}
	if err := k.addRegion(p, r); err != nil {
		return ENOMEM, true
	}
	return int32(addr), true
}

// mmapProt returns the region protection of PROT_ bits: always readable.
func mmapProt(prot uint32) vm.Prot {
	if prot&MmapWrite != 0 {
		return vm.ProtRead | vm.ProtWrite
	}
	return vm.ProtRead
}

// selfPaged reports whether r is a self-paged range.
func selfPaged(r *vm.Region) bool {
	_, ok := r.Object.Source.(vm.SelfSource)
	return ok
}

// sysFrameAlloc gives p a frame, filled with zeros, and returns the
// capability's token. It returns EINVAL when p has no library OS (no
// upcall entry), ENOMEM when p holds its share of memory already or no
// frame will be free; p waits while a write-back frees one.
func sysFrameAlloc(k *Kernel, p *Process, _ [6]uint32) (int32, bool) {
	if p.libos == nil {
		return EINVAL, true
	}
	if len(p.libos.caps) >= k.libosShare() {
		return ENOMEM, true
	}
	frame, err := k.allocFrame(p, vm.FrameOwned)
	if err == errWaitForFrame {
		k.block(p, framesChannel{}, "a free frame")
		k.restartSyscall(p)
		return 0, false
	}
	if err != nil {
		return ENOMEM, true
	}
	clear(k.Phys.Frame(frame))
	c := k.grant(frame)
	p.libos.caps = append(p.libos.caps, c)
	k.stats.FramesGranted++
	return int32(c.Token()), true
}

// libosShare is how many frames one library OS may hold: half of the
// frames programs can use.
func (k *Kernel) libosShare() int { return (k.Frames.Len() - 1 - k.Frames.KernelCount()) / 2 }

// sysFrameInstall maps the frame of capability token at the page of va,
// in a self-paged range of p, readable, and writable if prot says so,
// and returns 0. The frame leaves the page where it was installed
// before, and the frame installed at va before stays p's, installed
// nowhere. It returns the capability's error (EINVAL forged, ESTALE
// stale, EACCES another's), EFAULT when va is in no self-paged range of
// p, EINVAL for a bad prot, EACCES for a protection the range does not
// allow, ENOMEM when no frame can be had for a page table.
func sysFrameInstall(k *Kernel, p *Process, a [6]uint32) (int32, bool) {
	va, token, prot := pageOf(mmu.VAddr(a[0])), a[1], a[2]
	c, err := k.checkCap(p, token)
	if err != nil {
		return k.capResult(p, err), true
	}
	r := p.Space.Region(va)
	switch {
	case r == nil || !selfPaged(r):
		return EFAULT, true
	case prot == 0 || prot > MmapRead|MmapWrite:
		return EINVAL, true
	case !r.Prot.Allows(isa.Write) && prot&MmapWrite != 0:
		return EACCES, true
	}
	if err := k.reserveTable(p, va); err != nil {
		return k.tableWait(p, err)
	}
	k.install(p, r, va, c.frame, prot&MmapWrite != 0)
	return 0, true
}

// capResult traces a refused capability and returns its error result.
func (k *Kernel) capResult(p *Process, err error) int32 {
	ce := err.(*capError)
	if k.tracing(TraceSyscalls) {
		k.trace(TraceSyscalls, "pid %d: %s", p.PID, ce.why)
	}
	return ce.result
}

// tableWait makes p wait for a frame for a page table, running its call
// again then, or returns ENOMEM when none will ever be free.
func (k *Kernel) tableWait(p *Process, err error) (int32, bool) {
	if err != errWaitForFrame {
		return ENOMEM, true
	}
	k.block(p, framesChannel{}, "a free frame")
	k.restartSyscall(p)
	return 0, false
}

// install maps frame, owned by p, at va of its self-paged range r:
// readable, writable if write, with A set (and D, as the library OS, not
// the kernel, keeps track of what it wrote). The frame leaves the page
// it was installed at, and the frame at va leaves it.
func (k *Kernel) install(p *Process, r *vm.Region, va mmu.VAddr, frame uint32, write bool) {
	fr := k.Frames.Get(frame)
	if fr.Page != nil {
		k.uninstall(p, frame)
	}
	if pg := r.Object.Lookup(r.Index(va)); pg != nil {
		k.uninstall(p, pg.Frame)
	}
	pg := r.Object.Page(r.Index(va))
	pg.Frame, fr.Page = frame, pg
	bits := mmu.U | mmu.A
	if write {
		bits |= mmu.W | mmu.D
	}
	if err := p.Space.PT.Map(va, frame, bits); err != nil {
		panic("kernel.install: the page table was reserved: " + err.Error())
	}
	fr.AddMap(vm.Mapping{Space: p.Space, VA: va})
	k.invalidate(p.Space, va)
	if k.cfg.SoftwareRefill {
		k.insertTLB(p, va, p.Space.PT.Lookup(va).PTE)
	}
	k.stats.Installs++
}

// uninstall takes frame, owned by p, out of the page where it is
// installed: the entry is cleared (a touch there faults again, to the
// library OS) and the page leaves the range's object. The frame stays
// p's.
func (k *Kernel) uninstall(p *Process, frame uint32) {
	fr := k.Frames.Get(frame)
	pg := fr.Page
	m := fr.Maps[0]
	k.unmapPage(m, pg, true)
	r := p.Space.Region(m.VA)
	pg.Frame, fr.Page = 0, nil
	r.Object.Drop(pg.Index)
}

// sysFrameFree gives back the frame of capability token (uninstalled
// first) and returns 0; every copy of the token is stale from then on. It
// returns the capability's error.
func sysFrameFree(k *Kernel, p *Process, a [6]uint32) (int32, bool) {
	c, err := k.checkCap(p, a[0])
	if err != nil {
		return k.capResult(p, err), true
	}
	k.freeOwned(p, c)
	if rv := &p.libos.revoke; rv.asked { // any frame freed answers the request
		*rv = revocation{}
		k.stats.FramesGivenBack++
	}
	return 0, true
}

// freeOwned ends p's grant of c's frame: uninstalled, its tokens stale,
// the frame free.
func (k *Kernel) freeOwned(p *Process, c capability) {
	if k.Frames.Get(c.frame).Page != nil {
		k.uninstall(p, c.frame)
	}
	k.retire(c.frame)
	k.Frames.Release(c.frame)
	p.libos.caps = slices.DeleteFunc(p.libos.caps, func(x capability) bool { return x.frame == c.frame })
	k.wakeup(framesChannel{})
}

// dropLibOS frees every frame p's library OS holds (p exits or execs)
// and forgets it.
func (k *Kernel) dropLibOS(p *Process) {
	if p.libos == nil {
		return
	}
	for len(p.libos.caps) > 0 {
		k.freeOwned(p, p.libos.caps[0])
	}
	p.libos = nil
}

// selfPagedAccess reports whether the kernel's own access acc to va, in
// p's self-paged range r, finds the page installed and allowing it: the
// kernel never upcalls for its own access.
func (k *Kernel) selfPagedAccess(p *Process, va mmu.VAddr, acc isa.Access) bool {
	pte := p.Space.PT.Lookup(va).PTE
	return pte.Has(mmu.V|mmu.P) && (acc != isa.Write || pte.Has(mmu.W))
}

// libosString describes p's library OS for the debugger: its entry, its
// stack, the frames it holds.
func (l *libOS) String() string {
	return fmt.Sprintf("upcall entry 0x%08x, stack 0x%08x, %d frames held, in an upcall: %v",
		l.entry, l.stack, len(l.caps), l.inUpcall)
}
