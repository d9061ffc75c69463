package kernel

import (
	"fmt"
	"io"
	"sort"

	"toyvm/kernel/vm"
	"toyvm/mmu"
)

// Who serves a fault. As in SPIN, the kernel raises an event for each
// thing that happens to memory, and a dispatcher hands it to the handlers
// registered for its kind, in their order: the first whose guard accepts
// the event and that does not decline it serves it. The built-in VM
// system is registered the same way, last, for every kind: it serves what
// no extension took. Extensions (package kernel/ext) are chosen at run
// time (Config.Extensions, toyvm run --ext). With no extension installed
// for a kind, the kernel calls the VM directly: the default path costs
// nothing more. --check runs after every extension's handler.

// EventKind names a kernel event.
type EventKind uint8

const (
	// EvPageFault: a legal page fault (the region covers the address and
	// allows the access) on a page that is not present.
	EvPageFault EventKind = iota
	// EvProtectionFault: a write that the entry of a present page does
	// not allow (copy-on-write, dirty bits kept by the kernel).
	EvProtectionFault
	// EvTLBMiss: a TLB miss under --tlb-refill sw.
	EvTLBMiss
	// EvEviction: the replacement policy chose a victim frame.
	EvEviction
	// EvWriteBack: a dirty page was written back (to swap or its file).
	EvWriteBack
	// EvExit: a process exited.
	EvExit
	// EvIdle: every process waits; the idle loop is about to jump the
	// clock to the next device event.
	EvIdle
	numEventKinds
)

var eventKindNames = [...]string{"page fault", "protection fault", "TLB miss", "eviction",
	"write-back", "exit", "idle"}

func (k EventKind) String() string {
	if int(k) < len(eventKindNames) {
		return eventKindNames[k]
	}
	return fmt.Sprintf("event(%d)", uint8(k))
}

// Event is one event raised to the handlers: its kind, the process, and
// what it concerns: for a fault, the region and the fault; for an
// eviction or a write-back, the page and its frame.
type Event struct {
	Kind   EventKind
	Proc   *Process
	Region *vm.Region
	Fault  mmu.Fault
	Page   *vm.Page
	Frame  uint32
}

// Handler serves events. For a fault it returns what it did (a Result
// from one of the kernel's mechanisms: ServePage, ReadAhead, ...); for
// the other kinds the Result is ignored. It declines an event by
// returning false: the next handler gets it.
type Handler interface {
	Serve(k *Kernel, e *Event) (Result, bool)
}

// HandlerFunc lets a function be a Handler.
type HandlerFunc func(k *Kernel, e *Event) (Result, bool)

// Serve calls f.
func (f HandlerFunc) Serve(k *Kernel, e *Event) (Result, bool) { return f(k, e) }

// Registration is a handler registered for kinds of events: its name (in
// traces, counters and the debugger), a guard (a predicate over the
// event: its process, region and address; nil accepts every event), and
// an order (lower first; the VM system's is VMOrder).
type Registration struct {
	Name    string
	Kinds   []EventKind
	Guard   func(e *Event) bool
	Order   int
	Handler Handler
}

// The orders of the kernel's own handlers: a library OS's upcall comes
// before every extension (a self-paged range is its process's own to
// page); the built-in VM system's handlers come after every extension's.
// FirstOrder is the lowest, for an extension that must see every event
// (tracefaults).
const (
	FirstOrder = -1 << 30
	LibOSOrder = -1 << 20
	VMOrder    = 1 << 30
)

// Extension is a set of handlers chosen at run time (toyvm run --ext):
// Install registers them with the kernel. The kernel calls Install once
// when it is made; an extension keeps per-run state (counters, pools)
// from there, as the debugger makes a new kernel for each run.
type Extension interface {
	Name() string
	Install(k *Kernel)
}

// Reporter is an extension that has something to say when the run ends
// (tracefaults' counts): the kernel calls Report with its standard
// error stream once, when the last process has exited or the run stops.
type Reporter interface {
	Report(w io.Writer)
}

// Register adds a handler for its kinds of events.
func (k *Kernel) Register(r Registration) {
	for _, kind := range r.Kinds {
		k.handlers[kind] = append(k.handlers[kind], r)
		sort.SliceStable(k.handlers[kind], func(i, j int) bool {
			return k.handlers[kind][i].Order < k.handlers[kind][j].Order
		})
	}
}

// hooked reports whether an extension has a handler for kind (besides
// the VM system's): only then does the kernel build an event and
// dispatch it. A notification (an eviction, a write-back, an exit, the
// idle loop) reaches every handler of its kind: each declines it.
func (k *Kernel) hooked(kind EventKind) bool { return len(k.handlers[kind]) > 1 }

// dispatch hands e to the handlers registered for its kind, in order, and
// returns the result of the first that serves it. --check runs after each
// extension's handler.
func (k *Kernel) dispatch(e *Event) Result {
	for _, r := range k.handlers[e.Kind] {
		if r.Guard != nil && !r.Guard(e) {
			continue
		}
		res, ok := r.Handler.Serve(k, e)
		if r.Order != VMOrder {
			k.checkAfterHandler(r.Name)
		}
		if ok && res.how != 0 {
			if r.Order != VMOrder {
				res.by = r.Name
			}
			if r.Order != VMOrder && r.Order != LibOSOrder { // the kernel's own handlers are no extensions
				k.stats.ExtensionServed++
			}
			return res
		}
	}
	return Result{}
}

// faultEvent serves a fault of kind through the handlers registered for
// it: the VM system's alone, called directly, unless an extension is
// installed for the kind.
func (k *Kernel) faultEvent(kind EventKind, p *Process, r *vm.Region, f mmu.Fault) Result {
	if !k.hooked(kind) {
		return k.vmServe(kind, p, r, f)
	}
	return k.dispatch(&Event{Kind: kind, Proc: p, Region: r, Fault: f})
}

// vmServe is the VM system's handler of the faults: getPage, writeFault,
// refill.
func (k *Kernel) vmServe(kind EventKind, p *Process, r *vm.Region, f mmu.Fault) Result {
	switch kind {
	case EvPageFault:
		return k.getPage(p, r, f.Addr)
	case EvProtectionFault:
		return k.writeFault(p, r, f)
	}
	return k.refill(p, r, f)
}

// registerVM registers the VM system as the last handler of every kind:
// it serves every fault; the notifications are its own doing.
func (k *Kernel) registerVM() {
	faults := HandlerFunc(func(k *Kernel, e *Event) (Result, bool) {
		return k.vmServe(e.Kind, e.Proc, e.Region, e.Fault), true
	})
	notes := HandlerFunc(func(*Kernel, *Event) (Result, bool) { return Result{}, false })
	k.Register(Registration{Name: "vm", Kinds: []EventKind{EvPageFault, EvProtectionFault, EvTLBMiss},
		Order: VMOrder, Handler: faults})
	k.Register(Registration{Name: "vm", Kinds: []EventKind{EvEviction, EvWriteBack, EvExit, EvIdle},
		Order: VMOrder, Handler: notes})
}

// installExtensions registers the handlers of cfg's extensions.
func (k *Kernel) installExtensions() {
	for _, x := range k.cfg.Extensions {
		x.Install(k)
	}
}

// reportExtensions lets each extension that is a Reporter say what it
// has to say at the end of the run, once.
func (k *Kernel) reportExtensions() {
	if k.reported {
		return
	}
	k.reported = true
	for _, x := range k.cfg.Extensions {
		if r, ok := x.(Reporter); ok && k.stderr != nil {
			r.Report(k.stderr)
		}
	}
}
