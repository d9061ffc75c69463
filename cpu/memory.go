package cpu

import (
	"encoding/binary"

	"toyvm/isa"
	"toyvm/mmu"
)

// Data accesses. A word may be unaligned and cross a page: then both
// pages are translated before any byte is read or written, so a write
// that faults changes no memory. Each access is one TLB lookup per page it
// touches. The CPU keeps copies of the translations of recent read and
// write pages in c.readPages and c.writePages (buffer.go says why that is
// invisible); an access inside one is served from it and counted as a
// hit.

// translate returns the physical address of a data access to va; false:
// a fault has been taken.
func (c *CPU) translate(va uint32, acc isa.Access) (mmu.PAddr, bool) {
	pa, ok := c.lookup(va, acc)
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
// been taken. An access inside a copied page costs no call to the MMU.
func (c *CPU) read(va, size uint32) (uint32, bool) {
	if p := c.readPages.of(va); p.holds(va, size) {
		c.hits++
		return frameLoad(p.frame, va, size), true
	}
	return c.readSlow(va, size)
}

// readSlow is read through the MMU; it copies the page's translation.
func (c *CPU) readSlow(va, size uint32) (uint32, bool) {
	if crosses(va, size) {
		return c.readSplit(va)
	}
	pa, ok := c.translate(va, isa.Read)
	if !ok {
		return 0, false
	}
	p := c.readPages.of(va)
	c.fill(p, va, pa)
	return frameLoad(p.frame, va, size), true
}

// frameLoad returns the size-byte value at va's offset in frame.
func frameLoad(frame *[isa.PageSize]byte, va, size uint32) uint32 {
	if size == 1 {
		return uint32(frame[va&pageMask])
	}
	return binary.LittleEndian.Uint32(frame[va&pageMask:])
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
// been taken and memory is unchanged. An access inside a copied page
// costs no call to the MMU.
func (c *CPU) write(va, size, v uint32) bool {
	if p := c.writePages.of(va); p.holds(va, size) {
		c.hits++
		frameStore(p.frame, va, size, v)
		return true
	}
	return c.writeSlow(va, size, v)
}

// writeSlow is write through the MMU; it copies the page's translation.
func (c *CPU) writeSlow(va, size, v uint32) bool {
	if crosses(va, size) {
		return c.writeSplit(va, v)
	}
	pa, ok := c.translate(va, isa.Write)
	if !ok {
		return false
	}
	p := c.writePages.of(va)
	c.fill(p, va, pa)
	frameStore(p.frame, va, size, v)
	if !c.noteWrite(va, size) {
		p.drop() // a watched page: its next write comes here too
	}
	return true
}

// frameStore writes the low size bytes of v at va's offset in frame.
func frameStore(frame *[isa.PageSize]byte, va, size, v uint32) {
	if size == 1 {
		frame[va&pageMask] = uint8(v)
		return
	}
	binary.LittleEndian.PutUint32(frame[va&pageMask:], v)
}

// writeSplit writes a word that crosses a page, once both pages allow it.
func (c *CPU) writeSplit(va, v uint32) bool {
	lo, hi, ok := c.translate2(va, isa.Write)
	if !ok {
		return false
	}
	c.noteWrite(va, 4)
	c.noteWrite((va+3)&^pageMask, 1) // its bytes on the next page
	for i := range uint32(4) {
		c.phys.Write8(byteAddr(va, i, lo, hi), uint8(v>>(8*i)))
	}
	return true
}
