package ext

import (
	"fmt"
	"strings"

	"toyvm/kernel"
)

// entry is one extension the registry knows: its name, what it does, and
// how to make one.
type entry struct {
	name string
	doc  string
	make func() kernel.Extension
}

// registry lists the extensions, one a line. To add one: write it in a
// file of its own and add its line here; --ext, --ext help and the tests
// that go through Names pick it up.
var registry = []entry{
	{name: "prefetch", doc: "on a fault in a region read from an image or a file, read the next 7 pages in the same disk request", make: func() kernel.Extension { return NewPrefetch(8) }},
	{name: "zeropool", doc: "zero free frames in the idle loop, so that a demand-zero fault needs no zeroing", make: func() kernel.Extension { return NewZeropool(16) }},
	{name: "tracefaults", doc: "count the faults of each region of each process; print the counts at exit", make: func() kernel.Extension { return NewTracefaults() }},
}

// Names returns the names of the extensions, in the registry's order.
func Names() []string {
	names := make([]string, len(registry))
	for i, e := range registry {
		names[i] = e.name
	}
	return names
}

// New returns the extensions named in list (comma-separated), in its
// order. It returns an error naming an unknown one, or one named twice.
func New(list string) ([]kernel.Extension, error) {
	var out []kernel.Extension
	seen := map[string]bool{}
	for _, name := range strings.Split(list, ",") {
		e, ok := lookup(strings.TrimSpace(name))
		switch {
		case !ok:
			return nil, fmt.Errorf("unknown extension %q (known: %s; --ext help describes them)", name, strings.Join(Names(), ", "))
		case seen[e.name]:
			return nil, fmt.Errorf("extension %q is named twice", e.name)
		}
		seen[e.name] = true
		out = append(out, e.make())
	}
	return out, nil
}

// lookup returns the registry's entry for name.
func lookup(name string) (entry, bool) {
	for _, e := range registry {
		if e.name == name {
			return e, true
		}
	}
	return entry{}, false
}

// Help returns one line for each extension: its name and what it does.
func Help() string {
	var b strings.Builder
	for _, e := range registry {
		fmt.Fprintf(&b, "%-12s %s\n", e.name, e.doc)
	}
	return b.String()
}
