package cpu

import (
	"encoding/binary"

	"toyvm/isa"
	"toyvm/mmu"
)

// Instruction bytes are fetched one operand at a time as decoding goes,
// each through the MMU with a fetch access. Like the prefetch buffer of
// real hardware, the CPU keeps the translation of the page it last
// fetched from, so that consecutive instructions on one page translate
// their text once. The buffer is dropped whenever the translation could
// have changed: on every trap (the kernel may have remapped, flushed or
// refilled), on every hardware page walk (an insertion may have evicted
// the page's TLB entry) and whenever Step or Run is entered from outside.
// An instruction fetch therefore faults exactly when it would through the
// TLB; only the TLB's hit counter does not see the buffered fetches.

const (
	pageMask = isa.PageSize - 1
	noPage   = 1 // a fetchBase that is no page's address: the buffer is empty
)

// begin starts a new instruction at PC.
func (c *CPU) begin() {
	c.start, c.fetchPC = c.PC, c.PC
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
	c.fetchBase = va &^ pageMask
	c.fetchBuf = (*[isa.PageSize]byte)(c.phys.Frame(uint32(pa) >> 12))
	return true
}

// dropFetch empties the prefetch buffer.
func (c *CPU) dropFetch() { c.fetchBase = noPage }

// ready makes sure that the page of the next instruction byte is
// buffered; false: its fetch has faulted and the fault has been taken.
// It is small enough to be inlined: the common case costs no call.
func (c *CPU) ready() bool {
	return c.fetchPC&^pageMask == c.fetchBase || c.fetchPage(c.fetchPC)
}

// next8 returns the next instruction byte, whose page ready has buffered.
func (c *CPU) next8() byte {
	b := c.fetchBuf[c.fetchPC&pageMask]
	c.fetchPC++
	return b
}

// fetch8 returns the next instruction byte; false: a fault has been
// taken.
func (c *CPU) fetch8() (byte, bool) {
	if !c.ready() {
		return 0, false
	}
	return c.next8(), true
}

// fetch32 returns the next four instruction bytes as a little-endian
// word (an extension word); false: a fault has been taken. Where the word
// crosses a page, its bytes are fetched one by one, so that the fault of
// the second page stops fetching at that page's first byte.
func (c *CPU) fetch32() (uint32, bool) {
	va := c.fetchPC
	if va&^pageMask != c.fetchBase || va&pageMask > isa.PageSize-4 {
		return c.fetch32Bytes()
	}
	c.fetchPC = va + 4
	return binary.LittleEndian.Uint32(c.fetchBuf[va&pageMask:]), true
}

// fetch32Bytes is fetch32 byte by byte, for a word that is not all in the
// buffered page.
func (c *CPU) fetch32Bytes() (uint32, bool) {
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
