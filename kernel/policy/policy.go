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

// Registration is how the kernel and `toyvm policy` know a policy: its
// name, how to make one, and what the kernel must do for it. To add a
// policy: write it in a file of its own and add its line to registry;
// every test, help text and sweep that goes through Names picks it up.
type Registration struct {
	Name string
	// Make returns an empty policy; seed drives its random choices, if
	// it makes any.
	Make func(seed uint64) Policy
	// Touches says the policy learns the order of use only from Touch,
	// as LRU does. The kernel cannot see every access, so for such a
	// policy it samples the A bits into touches (clearing them) when the
	// paging daemon runs; a policy that reads the bits itself in Victim
	// (clock, esc) leaves it false and is left its bits. The simulator
	// touches every policy on every hit either way.
	Touches bool
}

// registry lists the policies the kernel can use, in the order Names
// returns them.
var registry = []Registration{
	{Name: "fifo", Make: func(uint64) Policy { return NewFIFO() }},
	{Name: "clock", Make: func(uint64) Policy { return NewClock() }},
	{Name: "lru", Make: func(uint64) Policy { return NewLRU() }, Touches: true},
	{Name: "random", Make: func(seed uint64) Policy { return NewRandom(seed) }},
	{Name: "esc", Make: func(uint64) Policy { return NewESC() }},
}

// Lookup returns the registration of the policy called name, or an
// error that lists the known ones.
func Lookup(name string) (Registration, error) {
	for _, r := range registry {
		if r.Name == name {
			return r, nil
		}
	}
	return Registration{}, unknownPolicy(name, Names())
}

// New returns the policy called name, empty; seed drives its random
// choices, if it makes any. For an unknown name it returns an error that
// lists the known ones.
func New(name string, seed uint64) (Policy, error) {
	r, err := Lookup(name)
	if err != nil {
		return nil, err
	}
	return r.Make(seed), nil
}

// Names returns the names of the kernel's policies, which New knows.
func Names() []string {
	names := make([]string, len(registry))
	for i, r := range registry {
		names[i] = r.Name
	}
	return names
}

// unknownPolicy returns the error for a policy name that is not one of
// known.
func unknownPolicy(name string, known []string) error {
	return fmt.Errorf("unknown replacement policy %q (known: %s)", name, strings.Join(known, ", "))
}
