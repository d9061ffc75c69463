package kernel

import (
	"toyvm/isa"
	"toyvm/kernel/vm"
	"toyvm/mmu"
)

// mlock pins pages in memory: each page of the range is brought in (a
// page of a writable private region is made the process's own, so that
// no later copy-on-write moves it), and its frame is locked, so that no
// replacement policy ever chooses it. The address space records what it
// pinned (vm.AddressSpace.Locked); munlock, munmap, exec and exit unpin.
// A process may pin at most lockLimit pages.

// lockLimit returns how many pages one process may pin: an eighth of
// memory, 64 pages at most, so that paging goes on for everyone else.
func (k *Kernel) lockLimit() int { return min(64, k.Frames.Len()/8) }

// lockRange returns the pages of [addr, addr+n): from the page holding
// addr to the one holding the last byte; ok is false for a range that
// wraps or reaches 0x80000000.
func lockRange(addr, n uint32) (start, end mmu.VAddr, ok bool) {
	last := uint64(addr) + uint64(n)
	if last > isa.StackTop {
		return 0, 0, false
	}
	return mmu.VAddr(isa.PageDown(addr)), mmu.VAddr((last + isa.PageSize - 1) &^ (isa.PageSize - 1)), true
}

// sysMlock pins the pages of [addr, addr+len) and returns 0. A page that
// must come from the disk first makes p wait, and the call goes on when
// it runs again (pages pinned already stay so). It returns ENOMEM when a
// page of the range is in no region, EAGAIN when pinning the range would
// pass the per-process limit.
func sysMlock(k *Kernel, p *Process, a [6]uint32) (int32, bool) {
	start, end, ok := lockRange(a[0], a[1])
	if !ok || !k.allInRegions(p, start, end) {
		return ENOMEM, true
	}
	if len(p.Space.Locked)+k.unlockedIn(p.Space, start, end) > k.lockLimit() {
		return EAGAIN, true
	}
	for va := start; va < end; va += isa.PageSize {
		if err := k.pin(p, va); err != nil {
			return k.userError(p, err, uint32(va))
		}
	}
	return 0, true
}

// allInRegions reports whether every page of [start, end) lies in a
// region of p.
func (k *Kernel) allInRegions(p *Process, start, end mmu.VAddr) bool {
	for va := start; va < end; va += isa.PageSize {
		if r := p.Space.Region(va); r == nil || selfPaged(r) {
			return false
		}
	}
	return true
}

// unlockedIn counts the pages of [start, end) that as has not pinned.
func (k *Kernel) unlockedIn(as *vm.AddressSpace, start, end mmu.VAddr) int {
	n := 0
	for va := start; va < end; va += isa.PageSize {
		if _, ok := as.Locked[va]; !ok {
			n++
		}
	}
	return n
}

// pin brings the page at va in (as its own, for a writable private
// region) and locks its frame for p, unless p has it pinned already. It
// returns userAddr's errors: errBlocked while p waits for the page.
func (k *Kernel) pin(p *Process, va mmu.VAddr) error {
	if _, ok := p.Space.Locked[va]; ok {
		return nil
	}
	acc := isa.Read
	if r := p.Space.Region(va); r.Prot.Allows(isa.Write) && !r.Shared {
		acc = isa.Write
	}
	pa, err := k.userAddr(p, uint32(va), acc, true)
	if err != nil {
		return err
	}
	frame := uint32(pa) / isa.PageSize
	k.Frames.Lock(frame)
	if p.Space.Locked == nil {
		p.Space.Locked = map[mmu.VAddr]uint32{}
	}
	p.Space.Locked[va] = frame
	return nil
}

// sysMunlock unpins the pages of [addr, addr+len) that p pinned and
// returns 0; ENOMEM for a range that reaches 0x80000000.
func sysMunlock(k *Kernel, p *Process, a [6]uint32) (int32, bool) {
	start, end, ok := lockRange(a[0], a[1])
	if !ok {
		return ENOMEM, true
	}
	k.unpinRange(p.Space, start, end)
	return 0, true
}

// unpinRange unpins the pages of [start, end) that as pinned.
func (k *Kernel) unpinRange(as *vm.AddressSpace, start, end mmu.VAddr) {
	for va, frame := range as.Locked {
		if va >= start && va < end {
			k.Frames.Unlock(frame)
			delete(as.Locked, va)
		}
	}
}

// movePin moves as's pin of the page at va from frame old to frame new
// (a copy-on-write gave it a copy), if as pinned it.
func (k *Kernel) movePin(as *vm.AddressSpace, va mmu.VAddr, old, new uint32) {
	if f, ok := as.Locked[va]; ok && f == old {
		k.Frames.Unlock(old)
		k.Frames.Lock(new)
		as.Locked[va] = new
	}
}
