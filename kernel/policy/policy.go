package policy

import (
	"fmt"
	"strconv"
	"strings"
)

// Page names a resident page: an opaque key. The kernel uses the page's
// frame number; `toyvm policy` uses the page number of the reference
// string.
type Page uint32

// String returns the page's number in decimal.
func (p Page) String() string { return strconv.FormatUint(uint64(p), 10) }

// Bits is how a policy sees the hardware's reference and dirty bits. The
// kernel implements it over the A and D bits of page table entries; the
// simulator over its own bits, set on each reference.
type Bits interface {
	// Referenced reports whether p was referenced since its bit was last
	// cleared.
	Referenced(p Page) bool
	// ClearReferenced clears p's reference bit.
	ClearReferenced(p Page)
	// Dirty reports whether p was written since it was last clean.
	Dirty(p Page) bool
}

// Policy is a page replacement policy: it follows which pages are
// resident and, when memory is full, chooses the one to evict.
//
// A policy trusts its caller: inserting a page that is already resident,
// or touching or removing one that is not, is a kernel bug and panics.
type Policy interface {
	// Name returns the name New knows the policy by.
	Name() string
	// Insert records that p now occupies a frame (after a miss).
	Insert(p Page)
	// Touch records that p was referenced while resident, as far as the
	// caller can see: every hit in the simulator, A-bit samples in the
	// kernel.
	Touch(p Page)
	// Remove forgets p, which left memory by another way (process exit,
	// unmap).
	Remove(p Page)
	// Victim chooses a resident page to evict among those for which
	// evictable returns true (the kernel skips locked or busy frames) and
	// forgets it. It returns false if no resident page is evictable.
	Victim(b Bits, evictable func(Page) bool) (Page, bool)
}

// Toucher is implemented by a policy that learns the order of use only
// from Touch, such as LRU. The kernel cannot see every access, so for such
// a policy it samples the A bits into touches (clearing them) when the
// paging daemon runs. Policies that read the bits themselves in Victim
// (clock, esc) are left their bits.
type Toucher interface {
	// LearnsFromTouches marks the policy; it does nothing.
	LearnsFromTouches()
}

// kernelPolicies lists the policies the kernel can use, in the order
// Names returns them.
var kernelPolicies = []struct {
	name string
	make func(seed uint64) Policy
}{
	{"fifo", func(uint64) Policy { return NewFIFO() }},
	{"clock", func(uint64) Policy { return NewClock() }},
	{"lru", func(uint64) Policy { return NewLRU() }},
	{"random", func(seed uint64) Policy { return NewRandom(seed) }},
	{"esc", func(uint64) Policy { return NewESC() }},
}

// New returns the policy called name, empty; seed drives its random
// choices, if it makes any. For an unknown name it returns an error that
// lists the known ones.
func New(name string, seed uint64) (Policy, error) {
	for _, k := range kernelPolicies {
		if k.name == name {
			return k.make(seed), nil
		}
	}
	return nil, unknownPolicy(name, Names())
}

// Names returns the names of the kernel's policies, which New knows.
func Names() []string {
	names := make([]string, len(kernelPolicies))
	for i, k := range kernelPolicies {
		names[i] = k.name
	}
	return names
}

// unknownPolicy returns the error for a policy name that is not one of
// known.
func unknownPolicy(name string, known []string) error {
	return fmt.Errorf("unknown replacement policy %q (known: %s)", name, strings.Join(known, ", "))
}
