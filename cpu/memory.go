package cpu

import (
	"toyvm/isa"
	"toyvm/mmu"
)

// Data accesses. A word may be unaligned and cross a page: then both
// pages are translated before any byte is read or written, so a write
// that faults changes no memory.

// translate returns the physical address of a data access to va; false:
// a fault has been taken.
func (c *CPU) translate(va uint32, acc isa.Access) (mmu.PAddr, bool) {
	pa, ok := c.MMU.Translate(mmu.VAddr(va), acc, c.user)
	if !ok {
		c.memFault()
	}
	return pa, ok
}

// translate2 translates a word at va that crosses into the next page:
// lo is the physical address of va, hi that of the next page's first
// byte. false: a fault has been taken.
func (c *CPU) translate2(va uint32, acc isa.Access) (lo, hi mmu.PAddr, ok bool) {
	if lo, ok = c.translate(va, acc); !ok {
		return 0, 0, false
	}
	hi, ok = c.translate((va|pageMask)+1, acc)
	return lo, hi, ok
}

// byteAddr returns the physical address of byte i of a word at va that
// crosses a page, given translate2's lo and hi.
func byteAddr(va uint32, i uint32, lo, hi mmu.PAddr) mmu.PAddr {
	if (va+i)&pageMask < va&pageMask {
		return hi + mmu.PAddr((va+i)&pageMask)
	}
	return lo + mmu.PAddr(i)
}

// crosses reports whether a size-byte access at va crosses a page.
func crosses(va, size uint32) bool { return va&pageMask > isa.PageSize-size }

// read returns the size-byte (1 or 4) value at va; false: a fault has
// been taken.
func (c *CPU) read(va, size uint32) (uint32, bool) {
	if crosses(va, size) {
		return c.readSplit(va)
	}
	pa, ok := c.translate(va, isa.Read)
	if !ok {
		return 0, false
	}
	if size == 1 {
		return uint32(c.phys.Read8(pa)), true
	}
	return c.phys.Read32(pa), true
}

// readSplit reads a word that crosses a page.
func (c *CPU) readSplit(va uint32) (uint32, bool) {
	lo, hi, ok := c.translate2(va, isa.Read)
	if !ok {
		return 0, false
	}
	var w uint32
	for i := range uint32(4) {
		w |= uint32(c.phys.Read8(byteAddr(va, i, lo, hi))) << (8 * i)
	}
	return w, true
}

// write stores the low size bytes (1 or 4) of v at va; false: a fault has
// been taken and memory is unchanged.
func (c *CPU) write(va, size, v uint32) bool {
	if crosses(va, size) {
		return c.writeSplit(va, v)
	}
	pa, ok := c.translate(va, isa.Write)
	if !ok {
		return false
	}
	if size == 1 {
		c.phys.Write8(pa, uint8(v))
	} else {
		c.phys.Write32(pa, v)
	}
	return true
}

// writeSplit writes a word that crosses a page, once both pages allow it.
func (c *CPU) writeSplit(va, v uint32) bool {
	lo, hi, ok := c.translate2(va, isa.Write)
	if !ok {
		return false
	}
	for i := range uint32(4) {
		c.phys.Write8(byteAddr(va, i, lo, hi), uint8(v>>(8*i)))
	}
	return true
}
