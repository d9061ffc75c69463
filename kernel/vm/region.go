package vm

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

// Region is a range of virtual pages with one protection and one backing
// object: the program's text, its data, the heap, the stack.
type Region struct {
	Name       string
	Start, End mmu.VAddr // page aligned; End is exclusive
	Prot       Prot
	Object     *Object
	// Origin is the address of the object's page 0. It is fixed when the
	// region is created, so a page keeps its index when the region grows
	// (the stack grows down from its top, the heap up from its start).
	Origin mmu.VAddr
	// Floor is how far down the region may grow on a fault below Start
	// (the stack); equal to Start for a region that does not grow so.
	Floor mmu.VAddr
	// Shared: the region's object is shared with other regions (a shared
	// memory segment, a mapping made shared): writes through it are seen
	// by every process that maps the object, and are never copied. A
	// private region's object is its own; after a fork its pages are
	// shared copy-on-write with the child's copy of the region.
	Shared bool
}

// Contains reports whether va lies in the region.
func (r *Region) Contains(va mmu.VAddr) bool { return va >= r.Start && va < r.End }

// CanGrowTo reports whether a fault at va may grow the region down to it.
func (r *Region) CanGrowTo(va mmu.VAddr) bool { return va >= r.Floor && va < r.Start }

// Index returns the object's page index of the page holding va.
func (r *Region) Index(va mmu.VAddr) uint32 { return uint32(va-r.Origin) / isa.PageSize }

// Pages returns the number of pages the region spans.
func (r *Region) Pages() int { return int(r.End-r.Start) / isa.PageSize }

// String returns the region as the debugger lists it: name, range,
// protection, where its pages come from, and "shared" for a shared one.
func (r *Region) String() string {
	s := fmt.Sprintf("%-6s %s-%s %s %s", r.Name, r.Start, r.End, r.Prot, r.Object.Source.Kind())
	if r.Shared {
		s += " shared"
	}
	return s
}
