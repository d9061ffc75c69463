package kernel

import (
	"fmt"
	"sort"
	"strings"
)

// TraceSet is the set of event categories --trace prints.
type TraceSet uint32

// Trace categories.
const (
	TraceFaults   TraceSet = 1 << iota // page faults and how each was served
	TraceSyscalls                      // system calls and their results
	TraceTLB                           // software TLB refills
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
	fmt.Fprintf(k.stderr, "[%10d] %-8s %s\n", k.Clock.Now(), name, fmt.Sprintf(format, args...))
}
