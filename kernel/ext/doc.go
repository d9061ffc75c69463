// Package ext holds toyvm's SPIN-style extensions: handlers of the
// kernel's events (kernel/event.go) chosen at run time with
// `toyvm run --ext NAME[,NAME]`. Each is a small file, and a model of how
// to write one: a type that registers its handlers (kernel.Registration:
// a name, the kinds of events, a guard, an order) when the kernel
// installs it, and serves events by composing the kernel's mechanisms
// (kernel.ServePage, kernel.ReadAhead, kernel.FillZeroed, ...). A handler
// that declines an event leaves it to the next one; the built-in VM
// system serves what no extension took. An extension cannot break the
// kernel's invariants unnoticed: --check runs after every handler.
//
// Files:
//
//   - ext.go: the registry of extensions (Names, New, Help).
//   - prefetch.go: on a fault in a region read from an image or a file,
//     read the next pages ahead in the same disk request.
//   - zeropool.go: keep frames zeroed ahead by the idle loop, so that a
//     demand-zero fault needs no zeroing.
//   - tracefaults.go: count the faults of each region, printed at exit.
package ext
