package kernel

import (
	"toyvm/isa"
	"toyvm/mmu"
)

// mincore tells a program which pages of a range of its address space
// are in memory: present in its page table now, so that a touch costs
// no fault. It is the kernel's example of a system call added end to end
// (the syscall kit, kits/syscall/README.md): a number, a line of the
// table, checked arguments, a copy out to user memory that may itself
// fault, and a user program that calls it (programs/mincore.s).

// sysMincore writes, for each page of [addr, addr+len), one byte at vec:
// 1 if the page is present in p's page table (a touch would not fault),
// else 0; it returns 0. A length of 0 writes nothing. It returns EINVAL
// for an addr not on a page boundary, ENOMEM when a page of the range is
// in no region of p (or the range reaches 0x80000000), EFAULT when the
// bytes cannot be written at vec.
func sysMincore(k *Kernel, p *Process, a [6]uint32) (int32, bool) {
	addr, n, vec := a[0], a[1], a[2]
	switch {
	case addr%isa.PageSize != 0:
		return EINVAL, true
	case n == 0:
		return 0, true
	}
	start, end, ok := lockRange(addr, n)
	if !ok || !inRegions(p, start, end) {
		return ENOMEM, true
	}
	if err := k.copyOut(p, vec, residency(p, start, end)); err != nil {
		return k.userError(p, err, vec)
	}
	return 0, true
}

// inRegions reports whether every page of [start, end) lies in a region
// of p.
func inRegions(p *Process, start, end mmu.VAddr) bool {
	for va := start; va < end; va += isa.PageSize {
		if p.Space.Region(va) == nil {
			return false
		}
	}
	return true
}

// residency returns a byte for each page of [start, end): 1 if p's page
// table maps it present, else 0.
func residency(p *Process, start, end mmu.VAddr) []byte {
	out := make([]byte, 0, (end-start)/isa.PageSize)
	for va := start; va < end; va += isa.PageSize {
		var b byte
		if p.Space.PT.Lookup(va).PTE.Has(mmu.V | mmu.P) {
			b = 1
		}
		out = append(out, b)
	}
	return out
}
