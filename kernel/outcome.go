package kernel

import (
	"fmt"

	"toyvm/mmu"
)

// Outcome is how the kernel served a page fault.
type Outcome uint8

const (
	// ZeroFilled: a page of anonymous memory never touched got a frame
	// of zeros (a minor fault).
	ZeroFilled Outcome = iota + 1
	// Reclaimed: the page was still in a frame of the free pool and was
	// mapped again, no I/O (a minor fault).
	Reclaimed
	// MarkedDirty: the first write to a page whose dirty bit the kernel
	// keeps (--dirty sw, --tlb-refill sw) was recorded (a minor fault).
	MarkedDirty
	// SharedHit: the page was in a frame already, resident for another
	// process that shares it (or for nobody any more), and was mapped
	// here too, no I/O (a minor fault).
	SharedHit
	// CopiedOnWrite: a write to a page shared copy-on-write gave the
	// writer a copy of its own (a minor fault).
	CopiedOnWrite
	// Unshared: a write to a page that was shared copy-on-write, and
	// that no other process holds any more, made it writable again,
	// without a copy (a minor fault).
	Unshared
	// PrefetchHit: the page was read ahead of this fault (an extension's
	// prefetch) and is resident: mapped, no I/O (a minor fault).
	PrefetchHit
	// Refilled: a TLB miss was refilled by software from a present page.
	Refilled
	// PagedIn: the page is being read from the disk (swap, the image, a
	// file) and the process waits for it (a major fault).
	PagedIn
	// WaitsInTransit: the page is already on its way to or from the disk;
	// the process waits for it, rather than read it twice.
	WaitsInTransit
	// WaitsForFrame: no frame is free now, but a write-back in flight will
	// free one; the process waits for it.
	WaitsForFrame
	// AskedPager: the page was asked of its object's pager (pager.go);
	// the process waits for the answer (a major fault).
	AskedPager
	// Upcalled: the fault was handed to the process's library OS
	// (upcall.go), whose handler now runs.
	Upcalled
	// Killed: the access was not a legal page fault, or memory ran out.
	Killed
)

var outcomeNames = [...]string{ZeroFilled: "zero-fill", Reclaimed: "reclaim", MarkedDirty: "first write (dirty)",
	SharedHit: "shared page", PrefetchHit: "read ahead", CopiedOnWrite: "copy on write", Unshared: "writable again (no other sharer)",
	Refilled: "TLB refill", PagedIn: "read", WaitsInTransit: "wait: page in transit",
	WaitsForFrame: "wait: a free frame", Upcalled: "handed to the library OS", AskedPager: "asked the pager", Killed: "killed"}

// String returns the outcome as the fault log and traces name it.
func (o Outcome) String() string {
	if int(o) < len(outcomeNames) && outcomeNames[o] != "" {
		return outcomeNames[o]
	}
	return fmt.Sprintf("outcome(%d)", uint8(o))
}

// Present reports whether the outcome leaves the page present and mapped
// (a fill, a reclaim, a shared hit), rather than waited for or killed.
func (o Outcome) Present() bool {
	return o == ZeroFilled || o == Reclaimed || o == SharedHit || o == PrefetchHit
}

// Minor reports whether the outcome is a fault served without I/O;
// Major, one that needed the disk.
func (o Outcome) Minor() bool {
	return o == ZeroFilled || o == Reclaimed || o == MarkedDirty || o == SharedHit ||
		o == CopiedOnWrite || o == Unshared || o == PrefetchHit
}
func (o Outcome) Major() bool { return o == PagedIn || o == AskedPager }

// Result is what the fault path did for one fault: how it was
// served, the page and frame it concerned, the store a page-in reads
// (its name), and for Killed the verdict.
type Result struct {
	how      Outcome
	va       mmu.VAddr
	frame    uint32
	from     string // PagedIn: the store's name
	swapIn   bool   // PagedIn: from swap
	fromFile bool   // PagedIn: from a mapped file
	kill     *kill
	by       string // the handler that served it; "" for the VM system
}

// Outcome returns how the fault was served.
func (r Result) Outcome() Outcome { return r.how }

// String returns the result as the fault log shows how it was served:
// "zero-fill", "read from swap", "killed (stack overflow: ...)".
func (r Result) String() string {
	if r.by != "" {
		return r.by + ": " + Result{how: r.how, from: r.from, swapIn: r.swapIn, kill: r.kill}.String()
	}
	switch {
	case r.how == PagedIn && r.swapIn:
		return "swap-in"
	case r.how == PagedIn:
		return "read from " + r.from
	case r.how == Killed:
		return "killed (" + r.kill.String() + ")"
	}
	return r.how.String()
}

// served returns the result of a fault served as how, on the page at va
// in frame.
func served(how Outcome, va mmu.VAddr, frame uint32) Result {
	return Result{how: how, va: va, frame: frame}
}

// killed returns the result of a fault that kills: kl says why.
func killed(kl *kill) Result { return Result{how: Killed, va: kl.addr, kill: kl} }

// account counts a served fault, in the one place where faults are
// counted: a minor one (no I/O), or a major one (a read from the disk,
// a swap-in when from swap), and traces it.
func (k *Kernel) account(p *Process, r Result) {
	if r.how.Minor() || r.how.Major() || r.how == Upcalled {
		k.stats.PageFaults++
	}
	switch r.how {
	case ZeroFilled, MarkedDirty:
		k.stats.MinorFaults++
	case SharedHit:
		k.stats.MinorFaults++
		k.stats.SharedHits++
	case PrefetchHit:
		k.stats.MinorFaults++
		k.stats.PrefetchHits++
	case CopiedOnWrite:
		k.stats.MinorFaults++
		k.stats.COWCopies++
	case Unshared:
		k.stats.MinorFaults++
		k.stats.COWReuses++
	case Reclaimed:
		k.stats.MinorFaults++
		k.stats.Reclaims++
	case AskedPager:
		k.stats.MajorFaults++
		k.stats.PagerFaults++
	case PagedIn:
		k.stats.MajorFaults++
		if r.swapIn {
			k.stats.SwapIns++
		}
		if r.fromFile {
			k.stats.FilePageIns++
		}
	}
	if r.how == MarkedDirty {
		k.stats.DirtyFaults++
	}
	if k.tracing(TraceFaults) {
		k.traceServed(p, r)
	}
}

// traceServed traces how a fault was served, unless the page-in or the
// kill already said it: a read is traced when it starts (pageio.go),
// unless a handler other than the VM system's served it, whose name is
// said here.
func (k *Kernel) traceServed(p *Process, r Result) {
	switch {
	case r.how == Killed, r.how == Upcalled, r.how == AskedPager: // traced when sent
	case r.how == PagedIn && r.by != "":
		k.trace(TraceFaults, "pid %d: %s: read %s from %s into frame %#x", p.PID, r.by, r.va, r.from, r.frame)
	case r.how != PagedIn:
		k.trace(TraceFaults, "pid %d: %s %s into frame %#x", p.PID, r, r.va, r.frame)
	}
}
