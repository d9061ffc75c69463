package ext

import (
	"toyvm/kernel"
	"toyvm/kernel/vm"
)

// Prefetch serves a page fault in a region read from an image or a file
// by reading the faulting page and the pages after it in one disk
// request (kernel.ReadAhead): a program that walks its data costs one
// disk latency per few pages instead of one per page. Faults in other
// regions (zeros, swap) it declines.
type Prefetch struct{ pages int }

// NewPrefetch returns the extension, reading pages pages at a time (the
// faulting one and pages-1 ahead).
func NewPrefetch(pages int) *Prefetch { return &Prefetch{pages: pages} }

// Name returns "prefetch".
func (x *Prefetch) Name() string { return "prefetch" }

// Install registers its page-fault handler, guarded to regions read from
// an image or a file.
func (x *Prefetch) Install(k *kernel.Kernel) {
	k.Register(kernel.Registration{Name: x.Name(), Kinds: []kernel.EventKind{kernel.EvPageFault},
		Guard: readFromStore, Handler: kernel.HandlerFunc(x.serve)})
}

// readFromStore reports whether the fault's region is read from an image
// or a file.
func readFromStore(e *kernel.Event) bool {
	switch e.Region.Object.Source.(type) {
	case vm.ImageSource, vm.FileSource:
		return true
	}
	return false
}

// serve reads the page and the ones after it, or declines a page that is
// not to be read from its source (in swap, or of zeros).
func (x *Prefetch) serve(k *kernel.Kernel, e *kernel.Event) (kernel.Result, bool) {
	return k.ReadAhead(e.Proc, e.Region, e.Fault.Addr, x.pages)
}
