package kernel

import (
	"fmt"

	"toyvm/isa"
	"toyvm/mmu"
)

// Prot is what a region allows its pages to be used for.
type Prot uint8

const (
	ProtRead  Prot = 1 << iota // loads (and instruction fetches)
	ProtWrite                  // stores
)

func (p Prot) String() string {
	b := []byte("--")
	if p&ProtRead != 0 {
		b[0] = 'r'
	}
	if p&ProtWrite != 0 {
		b[1] = 'w'
	}
	return string(b)
}

// Allows reports whether the protection permits an access.
func (p Prot) Allows(acc isa.Access) bool {
	if acc == isa.Write {
		return p&ProtWrite != 0
	}
	return p&ProtRead != 0
}

// Backing fills the pages of a region the first time they are touched.
// It is the seam where the program image, zero-fill and (later) files
// and swap plug in: a student may write another.
type Backing interface {
	// Fill writes the contents of the page at byte offset off of the
	// backing object into page (exactly one page long).
	Fill(page []byte, off uint32)
	// Kind names the backing for traces and the debugger ("zero", "image").
	Kind() string
}

// ZeroFill backs anonymous memory: heap and stack pages start as zeros.
type ZeroFill struct{}

// Fill clears the page.
func (ZeroFill) Fill(page []byte, off uint32) { clear(page) }

// Kind returns "zero".
func (ZeroFill) Kind() string { return "zero" }

// ImageData backs a segment of the program image: its bytes, then zeros
// up to the end of the region.
type ImageData struct{ Data []byte }

// Fill copies the part of the segment that falls in the page and clears
// the rest.
func (b ImageData) Fill(page []byte, off uint32) {
	n := 0
	if int(off) < len(b.Data) {
		n = copy(page, b.Data[off:])
	}
	clear(page[n:])
}

// Kind returns "image".
func (ImageData) Kind() string { return "image" }

// Region is a range of virtual pages with one protection and one backing
// object: the program's text, its data, the stack.
type Region struct {
	Name       string
	Start, End mmu.VAddr // page aligned; End is exclusive
	Prot       Prot
	Backing    Backing
}

// Contains reports whether va lies in the region.
func (r *Region) Contains(va mmu.VAddr) bool { return va >= r.Start && va < r.End }

// Offset returns the offset in the backing object of the page holding va.
func (r *Region) Offset(va mmu.VAddr) uint32 {
	return uint32(va&^(isa.PageSize-1)) - uint32(r.Start)
}

func (r *Region) String() string {
	return fmt.Sprintf("%s %s-%s %s %s", r.Name, r.Start, r.End, r.Prot, r.Backing.Kind())
}
