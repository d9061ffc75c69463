package ext

import (
	"fmt"
	"io"
	"sort"

	"toyvm/kernel"
)

// Tracefaults counts the faults of each region of each process, and
// prints the counts when the run ends. It serves no fault: its handler
// runs first, counts, and declines, so the fault goes on to the others.
type Tracefaults struct {
	counts map[regionKey]int
}

// regionKey names a region of a process.
type regionKey struct {
	pid    int
	region string
}

// NewTracefaults returns the extension, with no fault counted.
func NewTracefaults() *Tracefaults { return &Tracefaults{counts: map[regionKey]int{}} }

// Name returns "tracefaults".
func (x *Tracefaults) Name() string { return "tracefaults" }

// Install registers its handler of every kind of fault, first of all,
// and starts counting from zero.
func (x *Tracefaults) Install(k *kernel.Kernel) {
	x.counts = map[regionKey]int{}
	k.Register(kernel.Registration{Name: x.Name(), Order: kernel.FirstOrder,
		Kinds:   []kernel.EventKind{kernel.EvPageFault, kernel.EvProtectionFault, kernel.EvTLBMiss},
		Handler: kernel.HandlerFunc(x.count)})
}

// count counts the fault and declines it.
func (x *Tracefaults) count(_ *kernel.Kernel, e *kernel.Event) (kernel.Result, bool) {
	x.counts[regionKey{e.Proc.PID, e.Region.Name}]++
	return kernel.Result{}, false
}

// Report writes the counts, by pid and region.
func (x *Tracefaults) Report(w io.Writer) {
	keys := make([]regionKey, 0, len(x.counts))
	for key := range x.counts {
		keys = append(keys, key)
	}
	sort.Slice(keys, func(i, j int) bool {
		if keys[i].pid != keys[j].pid {
			return keys[i].pid < keys[j].pid
		}
		return keys[i].region < keys[j].region
	})
	fmt.Fprintln(w, "tracefaults: faults by region")
	for _, key := range keys {
		fmt.Fprintf(w, "  pid %-4d %-6s %d\n", key.pid, key.region, x.counts[key])
	}
}
