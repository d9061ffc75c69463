package kernel

import (
	"fmt"
	"sort"
	"strings"

	"toyvm/isa"
	"toyvm/mmu"
)

// TraceSet is the set of event categories --trace prints.
type TraceSet uint32

// Trace categories.
const (
	TraceFaults   TraceSet = 1 << iota // page faults and how each was served
	TraceSyscalls                      // system calls and their results
	TraceTLB                           // TLB refills (hardware walks, software refills), flushes, invalidations
	TraceSched                         // blocking, waking, switching, exits
	TraceDisk                          // disk requests and their completions
	TraceDaemon                        // the paging daemon: evictions, pool levels
)

var traceNames = map[string]TraceSet{
	"faults": TraceFaults, "syscalls": TraceSyscalls, "tlb": TraceTLB,
	"sched": TraceSched, "disk": TraceDisk, "daemon": TraceDaemon,
}

// ParseTrace reads a comma-separated list of categories ("all" for every
// one). It returns an error naming an unknown category and the known ones.
func ParseTrace(list string) (TraceSet, error) {
	var set TraceSet
	for _, name := range strings.Split(list, ",") {
		name = strings.TrimSpace(strings.ToLower(name))
		switch c, ok := traceNames[name]; {
		case name == "" && list == "":
			return 0, nil
		case name == "all":
			set |= ^TraceSet(0)
		case !ok:
			return 0, fmt.Errorf("unknown trace category %q (known: all, %s)", name, TraceNames())
		default:
			set |= c
		}
	}
	return set, nil
}

// String returns the categories in t, sorted and separated by commas, as
// --trace takes them ("" for none).
func (t TraceSet) String() string {
	var names []string
	for n, c := range traceNames {
		if t&c != 0 {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	return strings.Join(names, ",")
}

// TraceNames lists the categories, sorted, separated by ", ".
func TraceNames() string {
	names := make([]string, 0, len(traceNames))
	for n := range traceNames {
		names = append(names, n)
	}
	sort.Strings(names)
	return strings.Join(names, ", ")
}

// tracing reports whether events of category cat are traced. Callers
// test it before calling trace, so that a run without --trace does not
// even build the event's arguments.
func (k *Kernel) tracing(cat TraceSet) bool { return k.cfg.Trace&cat != 0 }

// watchWalks has the MMU tell the kernel of its hardware walks while TLB
// events are traced, and not otherwise (the walk then pays nothing).
func (k *Kernel) watchWalks() {
	k.MMU.OnWalk = nil
	if k.tracing(TraceTLB) {
		k.MMU.OnWalk = k.traceWalk
	}
}

// traceWalk traces a hardware walk: the PTE it put into the TLB, or the
// fault it took.
func (k *Kernel) traceWalk(va mmu.VAddr, pte mmu.PTE, fault isa.Cause) {
	if fault != isa.CauseNone {
		k.trace(TraceTLB, "pid %d: walk %s -> %s fault", k.current.PID, va, fault)
		return
	}
	k.trace(TraceTLB, "pid %d: walk %s -> %s", k.current.PID, va, pte)
}

// trace prints one event line on standard error if its category is on:
// the cycle, the category, the event.
func (k *Kernel) trace(cat TraceSet, format string, args ...any) {
	if k.cfg.Trace&cat == 0 {
		return
	}
	name := ""
	for n, c := range traceNames {
		if c == cat {
			name = n
		}
	}
	fmt.Fprintf(k.stderr, "[%10d] %-8s %s\n", k.CPU.Now(), name, fmt.Sprintf(format, args...))
}
