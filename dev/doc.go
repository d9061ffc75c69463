// Package dev holds toyvm's devices: the one emulated clock, the timer
// that preempts processes, and the disk that moves pages by DMA.
//
// Time is counted in cycles of the emulated CPU, never in host time, so
// that every run is reproducible. The CPU advances the clock by the cost
// of what it executes; a device schedules an Event for a future cycle;
// the CPU takes every event that is due as an interrupt between two
// instructions (or between two bytes of a MOVC).
//
// The disk knows nothing of page tables or frames (dev imports only isa):
// the kernel hands it a Request whose buffers are slices of physical
// frames, the disk raises a DISK interrupt Latency cycles later, and the
// data moves when the kernel calls Complete for that interrupt's tag. So
// a frame under DMA must stay locked until then.
//
// Files:
//
//   - clock.go: Clock (the current cycle and the pending events, in
//     deadline order) and Event.
//   - timer.go: Timer, which schedules a TIMER interrupt one quantum ahead.
//   - disk.go: Disk (one request at a time, in submission order), Request
//     (op, store, offset, scatter list of frame slices, tag) and DiskStats.
//   - store.go: Store, what a request reads or writes: MemStore (sparse
//     in host memory) and FileStore (a host file under --root).
//   - area.go: FileArea, a fixed-size store in a sparse host file: the
//     swap area (temporary, or kept with --swap-file).
package dev
