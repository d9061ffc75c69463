package cpu

import (
	"encoding/binary"

	"toyvm/isa"
)

// Instruction bytes are fetched as decoding goes, one fetch access at a
// time: the opcode byte, each specifier byte, each extension word, each
// branch displacement. Each access is one TLB lookup per page it touches
// (an extension word or a displacement may cross into the next page). The
// page of the last fetch stays in the prefetch buffer c.fetch (buffer.go
// says why that is invisible); an access inside it is served from the
// buffer and counted as a hit.

// begin starts a new instruction at PC.
func (c *CPU) begin() {
	c.start, c.fetchPC = c.PC, c.PC
	c.nlog = 0
	c.user = c.PSW.User()
}

// fetchPage translates the page of va for fetching; false: a fault has
// been taken.
func (c *CPU) fetchPage(va uint32) bool {
	pa, ok := c.lookup(va, isa.Fetch)
	if !ok {
		c.memFault()
		return false
	}
	c.fill(&c.fetch, va, pa)
	return true
}

// ready starts a fetch access at the next instruction byte: one lookup,
// served by the buffer when it holds the page; false: the fetch has
// faulted and the fault has been taken. It is small enough to be inlined:
// the common case costs no call.
func (c *CPU) ready() bool {
	if c.fetchPC&^pageMask == c.fetch.base {
		c.hits++
		return true
	}
	return c.fetchPage(c.fetchPC)
}

// next8 returns the next instruction byte of an access that ready has
// started (its page is translated).
func (c *CPU) next8() byte {
	b := c.fetch.frame[c.fetchPC&pageMask]
	c.fetchPC++
	return b
}

// fetch8 returns the next instruction byte (an opcode or a specifier);
// false: a fault has been taken.
func (c *CPU) fetch8() (byte, bool) {
	if !c.ready() {
		return 0, false
	}
	return c.next8(), true
}

// fetch32 returns the next four instruction bytes as a little-endian
// word (an extension word); false: a fault has been taken.
func (c *CPU) fetch32() (uint32, bool) {
	va := c.fetchPC
	if !c.fetch.holds(va, 4) {
		return c.fetchBytes(4)
	}
	c.hits++
	c.fetchPC = va + 4
	return binary.LittleEndian.Uint32(c.fetch.frame[va&pageMask:]), true
}

// fetch16 returns the next two instruction bytes as a little-endian
// half word (a branch displacement); false: a fault has been taken.
func (c *CPU) fetch16() (uint16, bool) {
	va := c.fetchPC
	if !c.fetch.holds(va, 2) {
		w, ok := c.fetchBytes(2)
		return uint16(w), ok
	}
	c.hits++
	c.fetchPC = va + 2
	return binary.LittleEndian.Uint16(c.fetch.frame[va&pageMask:]), true
}

// fetchBytes fetches an n-byte little-endian access that is not all in
// the buffer, byte by byte: one lookup for its first page and one more if
// it crosses into the next, whose fault stops fetching at that page's
// first byte.
func (c *CPU) fetchBytes(n int) (uint32, bool) {
	var w uint32
	for i := range n {
		if (i == 0 || c.fetchPC&pageMask == 0) && !c.ready() {
			return 0, false
		}
		w |= uint32(c.next8()) << (8 * i)
	}
	return w, true
}
