package kernel

import (
	"toyvm/kernel/vm"
	"toyvm/mmu"
)

// fork creates a child that is a copy of its parent, without copying a
// page. Each private region of the parent gets, in the child, a region
// of its own whose object shares every page of the parent's object: the
// two objects hold the same page records, copy-on-write. The entries
// that map those pages lose W, so that the first write of either process
// faults and copies the page (cow.go); a page that only one process
// still holds is made writable again without a copy. A shared region
// (a shared memory segment, a mapping made shared) is the same object in
// both. The child starts with empty page tables: each page it touches
// first is a fault, served from the page the parent has in memory (a
// shared hit), from swap, or from the image.

// sysFork creates a child that runs a copy of p from the instruction
// after the SYS, and returns the child's pid in p and 0 in the child. It
// returns EAGAIN when the process table is full, ENOMEM when memory
// cannot hold one more process or static swap cannot be reserved for
// the child's regions. When a frame for the child's page directory will
// be free only after a write-back, p waits for it and forks again.
func sysFork(k *Kernel, p *Process, a [6]uint32) (int32, bool) {
	switch {
	case len(k.procs) >= MaxProcesses:
		return EAGAIN, true
	case !k.canAdmit():
		return ENOMEM, true
	}
	c, err := k.forkProcess(p)
	switch {
	case err == errWaitForFrame:
		k.block(p, framesChannel{}, "a free frame")
		k.restartSyscall(p)
		return 0, false
	case err != nil:
		if k.tracing(TraceSyscalls) {
			k.trace(TraceSyscalls, "pid %d: fork: %v", p.PID, err)
		}
		return ENOMEM, true
	}
	return int32(c.PID), true
}

// forkProcess creates the child of p: a copy of its address space
// (forkSpace), its registers with r0 = 0, its open files (shared), its
// heap and break. The child takes the next pid (nextPID), p's name and
// program (image), has p for its parent, and joins the process table
// (procs), runnable; the fork is counted (Processes, Forks) and traced
// under TraceSched ("pid P: forks pid C"). It returns the error of a
// page directory or a run of static swap that could not be had, having
// created nothing.
func (k *Kernel) forkProcess(p *Process) (*Process, error) {
	// kit:fork begin
	c := &Process{PID: k.nextPID, Name: p.Name, image: p.image, Parent: p, brk: p.brk}
	if err := k.forkSpace(p, c); err != nil {
		return nil, err
	}
	c.Ctx = p.Ctx
	c.Ctx.R[0] = 0
	c.files = p.files.fork()
	k.nextPID++
	k.procs = append(k.procs, c)
	k.stats.Processes++
	k.stats.Forks++
	if k.tracing(TraceSched) {
		k.trace(TraceSched, "pid %d: forks pid %d", p.PID, c.PID)
	}
	return c, nil
	// kit:fork end
}

// forkSpace gives c a new address space with a copy of each of p's
// regions (forkRegion): a new page table (newPageTable), the kernel's
// way of keeping dirty bits, c's own ASID under --asid. A region a
// library OS pages for p (selfPaged) is not copied; the copy of p's heap
// is c's heap; each region is added to c (addRegion, which reserves
// static swap for it) and then counted as attached if it is a shared
// memory segment (attachedByFork). It returns the error of a page
// directory or of static swap, after undoing what it did (destroySpace).
func (k *Kernel) forkSpace(p, c *Process) error {
	// kit:fork begin
	pt, err := k.newPageTable(c.PID)
	if err != nil {
		return err
	}
	c.Space = &vm.AddressSpace{PT: pt, SoftDirty: k.cfg.SoftwareDirty}
	if k.cfg.ASID {
		c.Space.ASID = asidOf(c.PID)
	}
	for _, r := range p.Space.Regions {
		if selfPaged(r) {
			continue // the parent's library OS's pages: the child has none
		}
		cr := k.forkRegion(r)
		if r == p.heap {
			c.heap = cr
		}
		if err := k.addRegion(c, cr); err != nil {
			k.destroySpace(c.Space)
			return err
		}
		k.attachedByFork(cr)
	}
	return nil
	// kit:fork end
}

// newPageTable returns an empty page table for process pid, evicting a
// page if no frame is free. It returns errWaitForFrame when a frame will
// be free only after a write-back in flight, or evictOne's error when
// none ever will.
func (k *Kernel) newPageTable(pid int) (*vm.PageTable, error) {
	if pt, err := vm.NewPageTable(k.Phys, k.Frames, pid); err == nil {
		return pt, nil
	}
	if err := k.evictOne(); err != nil {
		return nil, err
	}
	if pt, err := vm.NewPageTable(k.Phys, k.Frames, pid); err == nil {
		return pt, nil
	}
	return nil, errWaitForFrame
}

// forkRegion returns the child's copy of region r: the same object for a
// shared region; for a private one a new object holding each of r's
// pages too, copy-on-write, whose mappings lose W.
func (k *Kernel) forkRegion(r *vm.Region) *vm.Region {
	// kit:fork begin
	cr := *r
	if r.Shared {
		return &cr
	}
	o := vm.NewObject(r.Object.Name, r.Object.Source, r.Object.Swappable)
	for _, i := range r.Object.Indexes() {
		pg := r.Object.Lookup(i)
		o.Share(i, pg)
		k.writeProtect(pg)
	}
	cr.Object = o
	return &cr
	// kit:fork end
}

// writeProtect clears W in every entry that maps pg, and drops their TLB
// entries, so that the next write faults.
func (k *Kernel) writeProtect(pg *vm.Page) {
	// kit:fork begin
	if pg.Frame == 0 || k.Frames.Get(pg.Frame).State != vm.FrameMapped {
		return
	}
	k.clearEntries(pg, mmu.W)
	// kit:fork end
}
