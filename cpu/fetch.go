package cpu

import (
	"toyvm/isa"
	"toyvm/mmu"
)

// Instruction bytes are fetched one operand at a time as decoding goes,
// each through the MMU with a fetch access. The page of the last byte
// fetched is remembered for the rest of the instruction, so an
// instruction translates its text once per page it lies in.

const (
	pageMask = isa.PageSize - 1
	tagValid = 1 << 31 // marks a used fetchTag (a page number has 20 bits)
)

// begin starts a new instruction at PC.
func (c *CPU) begin() {
	c.start, c.fetchPC = c.PC, c.PC
	c.fetchTag = 0
	c.nlog = 0
	c.user = c.PSW.User()
}

// fetchPage translates the page of va for fetching; false: a fault has
// been taken.
func (c *CPU) fetchPage(va uint32) bool {
	pa, ok := c.MMU.Translate(mmu.VAddr(va), isa.Fetch, c.user)
	if !ok {
		c.memFault()
		return false
	}
	c.fetchTag = va>>12 | tagValid
	c.fetchPA = pa &^ pageMask
	return true
}

// fetch8 returns the next instruction byte; false: a fault has been
// taken.
func (c *CPU) fetch8() (byte, bool) {
	va := c.fetchPC
	if va>>12|tagValid != c.fetchTag && !c.fetchPage(va) {
		return 0, false
	}
	c.fetchPC++
	return c.phys.Read8(c.fetchPA | mmu.PAddr(va&pageMask)), true
}

// fetch32 returns the next four instruction bytes as a little-endian
// word (an extension word); false: a fault has been taken. Where the word
// crosses a page, its bytes are fetched one by one, so that the fault of
// the second page stops fetching at that page's first byte.
func (c *CPU) fetch32() (uint32, bool) {
	va := c.fetchPC
	if va>>12|tagValid == c.fetchTag && va&pageMask <= isa.PageSize-4 {
		c.fetchPC += 4
		return c.phys.Read32(c.fetchPA | mmu.PAddr(va&pageMask)), true
	}
	var w uint32
	for i := range 4 {
		b, ok := c.fetch8()
		if !ok {
			return 0, false
		}
		w |= uint32(b) << (8 * i)
	}
	return w, true
}

// fetch16 returns the next two instruction bytes as a little-endian
// half word (a branch displacement); false: a fault has been taken.
func (c *CPU) fetch16() (uint16, bool) {
	lo, ok := c.fetch8()
	if !ok {
		return 0, false
	}
	hi, ok := c.fetch8()
	return uint16(lo) | uint16(hi)<<8, ok
}
