package cpu

import (
	"toyvm/isa"
	"toyvm/mmu"
)

// The CPU keeps copies of a few translations: the page of the last
// instruction fetch (the prefetch buffer), and for data reads and data
// writes the last page of each of dataWays groups of pages (a page's
// group is its page number modulo dataWays, so that a program's data and
// stack pages rarely evict each other). Each is a translation the TLB holds,
// for the current mode, that a lookup of that access kind would hit with
// no other effect (no fault, no A or D bit to set: a copy is made only
// after Translate succeeded, and after a write Translate has set D).
//
// A copy is good exactly as long as the TLB has not changed: after every
// Translate (which may walk and insert, evicting an entry) the CPU
// compares the MMU's Generation with the one it saw and drops every copy
// if it moved. The copies are also dropped on every trap (the mode
// changes, and the kernel may remap) and whenever Run or Step is entered
// from outside. Serving an access from a copy is therefore invisible: the
// same faults, walks and cycles as through the TLB. Each such access is
// counted in hits and reported to the MMU with CountHits, so the TLB's
// hit counter is exact too.

const (
	pageMask = isa.PageSize - 1
	noPage   = 1 // a page base that is no page's address: the copy is empty
)

// pageCopy is a copy of one translation: a virtual page and its frame.
type pageCopy struct {
	base  uint32              // virtual address of the page, or noPage
	frame *[isa.PageSize]byte // the frame it maps to, shared with memory
}

// holds reports whether the size bytes at va all lie in the copied page.
// It is small enough to be inlined.
func (p *pageCopy) holds(va, size uint32) bool {
	return va&^pageMask == p.base && va&pageMask <= isa.PageSize-size
}

// dataWays is how many data pages of each access kind the CPU copies.
const dataWays = 4

// dataCopies is the copies for one access kind: one per group of pages.
type dataCopies [dataWays]pageCopy

// of returns the copy that may hold va's page.
func (d *dataCopies) of(va uint32) *pageCopy { return &d[(va>>12)%dataWays] }

// drop empties every copy.
func (d *dataCopies) drop() {
	for i := range d {
		d[i].drop()
	}
}

// drop empties the copy.
func (p *pageCopy) drop() { p.base = noPage }

// fill makes the copy the translation of va's page to the physical
// address pa, unless buffering is off (a test's switch).
func (c *CPU) fill(p *pageCopy, va uint32, pa mmu.PAddr) {
	p.frame = (*[isa.PageSize]byte)(c.phys.Frame(uint32(pa) >> 12))
	if !c.unbuffered {
		p.base = va &^ pageMask
	}
}

// dropCopies empties every copy.
func (c *CPU) dropCopies() {
	c.fetch.drop()
	c.readPages.drop()
	c.writePages.drop()
}

// lookup translates an access acc to va through the MMU in the
// instruction's mode, then drops the copies if the TLB changed; false:
// the access faults (the caller takes the fault).
func (c *CPU) lookup(va uint32, acc isa.Access) (mmu.PAddr, bool) {
	pa, ok := c.MMU.Translate(mmu.VAddr(va), acc, c.user)
	if g := c.MMU.Generation(); g != c.tlbGen {
		c.dropCopies()
		c.tlbGen = g
	}
	return pa, ok
}

// reportHits hands the lookups served from the copies to the MMU's hit
// counter.
func (c *CPU) reportHits() {
	if c.hits != 0 {
		c.MMU.CountHits(c.hits)
		c.hits = 0
	}
}
