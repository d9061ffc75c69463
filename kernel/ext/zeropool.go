package ext

import (
	"toyvm/kernel"
)

// Zeropool keeps up to a number of free frames filled with zeros, zeroed
// in the idle loop (when every process waits, the time is free), and
// serves a demand-zero fault with one of them (kernel.FillZeroed): the
// fault then needs no zeroing. When none is left, it declines, and the VM
// system zero-fills as usual.
type Zeropool struct{ target int }

// NewZeropool returns the extension, keeping target frames zeroed ahead.
func NewZeropool(target int) *Zeropool { return &Zeropool{target: target} }

// Name returns "zeropool".
func (x *Zeropool) Name() string { return "zeropool" }

// Install registers its idle handler and its page-fault handler, guarded
// to pages of zeros never touched.
func (x *Zeropool) Install(k *kernel.Kernel) {
	k.Register(kernel.Registration{Name: x.Name(), Kinds: []kernel.EventKind{kernel.EvIdle},
		Handler: kernel.HandlerFunc(x.refill)})
	k.Register(kernel.Registration{Name: x.Name(), Kinds: []kernel.EventKind{kernel.EvPageFault},
		Guard: demandZero, Handler: kernel.HandlerFunc(x.serve)})
}

// demandZero reports whether the fault is the first touch of a page of
// zeros: one that its region's object has never held, and for which its
// source (anonymous memory, or the zeros past an image's or a file's
// bytes) has no bytes.
func demandZero(e *kernel.Event) bool {
	i := e.Region.Index(e.Fault.Addr)
	store, _, _ := e.Region.Object.Source.Locate(i)
	return e.Region.Object.Lookup(i) == nil && store == nil
}

// refill zeroes frames until target are zeroed ahead.
func (x *Zeropool) refill(k *kernel.Kernel, _ *kernel.Event) (kernel.Result, bool) {
	if n := x.target - k.Frames.ZeroedCount(); n > 0 {
		k.ZeroAhead(n)
	}
	return kernel.Result{}, false
}

// serve maps a frame zeroed ahead, or declines.
func (x *Zeropool) serve(k *kernel.Kernel, e *kernel.Event) (kernel.Result, bool) {
	return k.FillZeroed(e.Proc, e.Region, e.Fault.Addr)
}
