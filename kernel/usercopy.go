package kernel

import (
	"errors"

	"toyvm/isa"
	"toyvm/mmu"
)

var (
	// errFault: a user pointer names memory the process may not use
	// that way. A system call returns EFAULT for it.
	errFault = errors.New("bad address")
	// errOutOfMemory: no physical frame is free.
	errOutOfMemory = errors.New("out of physical memory")
)

// copyIn returns n bytes of process p's memory from va. A page that is
// legal but not yet present is paged in, never a failure. It returns
// errFault if any byte is outside the process's readable regions.
func (k *Kernel) copyIn(p *Process, va uint32, n uint32) ([]byte, error) {
	out := make([]byte, 0, min(n, 1<<16))
	err := k.eachUserPage(p, va, n, isa.Read, func(pa mmu.PAddr, n uint32) {
		out = append(out, k.physBytes(pa, n)...)
	})
	return out, err
}

// copyOut writes data into process p's memory at va, paging in as needed.
// It returns errFault if any byte is outside its writable regions; then
// nothing has been written.
func (k *Kernel) copyOut(p *Process, va uint32, data []byte) error {
	if err := k.checkUser(p, va, uint32(len(data)), isa.Write); err != nil {
		return err
	}
	return k.eachUserPage(p, va, uint32(len(data)), isa.Write, func(pa mmu.PAddr, n uint32) {
		copy(k.physBytes(pa, n), data[:n])
		data = data[n:]
	})
}

// eachUserPage calls do with the physical address and length of each
// piece of [va, va+n) that lies in one page, in order, after making the
// page present and marking it accessed (and dirty for a write).
func (k *Kernel) eachUserPage(p *Process, va, n uint32, acc isa.Access, do func(mmu.PAddr, uint32)) error {
	if err := k.checkUser(p, va, n, acc); err != nil {
		return err
	}
	for n > 0 {
		pa, err := k.userAddr(p, va, acc)
		if err != nil {
			return err
		}
		chunk := min(n, isa.PageSize-va%isa.PageSize)
		do(pa, chunk)
		va, n = va+chunk, n-chunk
	}
	return nil
}

// checkUser returns errFault unless every page of [va, va+n) lies in a
// region of p that allows the access.
func (k *Kernel) checkUser(p *Process, va, n uint32, acc isa.Access) error {
	if n == 0 {
		return nil
	}
	last := va + n - 1
	if last < va || last >= isa.StackTop {
		return errFault
	}
	for page := isa.PageDown(va); ; page += isa.PageSize {
		r := p.Space.Region(mmu.VAddr(page))
		if r == nil || !r.Prot.Allows(acc) {
			return errFault
		}
		if page >= isa.PageDown(last) {
			return nil
		}
	}
}

// userAddr returns the physical address of the byte at va, which
// checkUser has found legal, paging its page in first if needed.
func (k *Kernel) userAddr(p *Process, va uint32, acc isa.Access) (mmu.PAddr, error) {
	w := p.Space.PT.Lookup(mmu.VAddr(va))
	if !w.PTE.Has(mmu.P) {
		if err := k.pageIn(p, p.Space.Region(mmu.VAddr(va)), mmu.VAddr(va)); err != nil {
			return 0, err
		}
		w = p.Space.PT.Lookup(mmu.VAddr(va))
	}
	k.touch(p, mmu.VAddr(va), w, acc)
	return frameAddr(w.PTE.Frame()) + mmu.PAddr(va%isa.PageSize), nil
}

// touch sets the accessed bit of the page, and the dirty and write bits
// for a write, as the hardware would for a user access.
func (k *Kernel) touch(p *Process, va mmu.VAddr, w mmu.Walk, acc isa.Access) {
	pte := w.PTE.With(mmu.A)
	if acc == isa.Write {
		pte = pte.With(mmu.D | mmu.W)
	}
	if pte != w.PTE {
		k.Phys.WritePTE(w.PTEAddr, pte)
		k.invalidate(p, va)
	}
}

// physBytes returns the n bytes of physical memory at pa, which lie in
// one frame.
func (k *Kernel) physBytes(pa mmu.PAddr, n uint32) []byte {
	off := uint32(pa) % isa.PageSize
	return k.Phys.Frame(uint32(pa) / isa.PageSize)[off : off+n]
}
