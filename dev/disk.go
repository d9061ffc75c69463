package dev

import (
	"errors"
	"fmt"
	"io"
	"math/rand/v2"

	"toyvm/isa"
)

// Op is the direction of a disk request.
type Op uint8

const (
	Read  Op = iota // store -> memory
	Write           // memory -> store
)

// String returns "read" or "write" ("Op(n)" for anything else).
func (o Op) String() string {
	switch o {
	case Read:
		return "read"
	case Write:
		return "write"
	}
	return fmt.Sprintf("Op(%d)", uint8(o))
}

// Request is one disk transfer. The kernel fills Op, Store, Offset, Bufs
// and Owner; Submit sets Tag; Complete sets Err.
type Request struct {
	Op     Op
	Store  Store
	Offset int64    // byte offset in the store of the first byte of Bufs[0]
	Bufs   [][]byte // the DMA scatter list: slices of physical frames, moved in order, back to back
	Tag    uint32   // set by Submit: the Tag of the completion Event
	Owner  any      // the kernel's own: whom to wake, which frames to unlock
	Err    error    // set by Complete if the transfer failed; nil otherwise
	Tries  int      // how many times it was submitted (Submit counts): a failed request may be submitted again
}

// ErrMedia is the error of a transfer that the disk failed on purpose
// (SetFaults): nothing was moved.
var ErrMedia = errors.New("media error")

// Len returns the number of bytes the request moves: the total length of
// its buffers.
func (r *Request) Len() int {
	n := 0
	for _, b := range r.Bufs {
		n += len(b)
	}
	return n
}

// String returns e.g. "read swap@0x3000+4096 tag 2", for traces ("?"
// names a missing store).
func (r *Request) String() string {
	name := "?"
	if r.Store != nil {
		name = r.Store.Name()
	}
	return fmt.Sprintf("%s %s@%#x+%d tag %d", r.Op, name, r.Offset, r.Len(), r.Tag)
}

// DiskStats counts the disk's work. Reads and Writes count completed
// requests (failed ones too); the byte counts are the bytes moved.
type DiskStats struct {
	Requests     uint64 // submitted
	Reads        uint64
	Writes       uint64
	BytesRead    uint64
	BytesWritten uint64
	Errors       uint64 // completed with Err set
}

// Disk is a DMA disk controller with one head: it serves one request at a
// time, in the order they were submitted. A request takes Latency cycles
// from the moment it starts (at Submit if the disk is idle, else when the
// one before it completes) and then raises a DISK interrupt, an Event
// whose Tag is the request's. The data moves only when the kernel calls
// Complete for that tag, so the kernel keeps the frames locked until then.
type Disk struct {
	clock   *Clock
	latency uint64
	queue   []*Request // queue[0] is in service; the rest wait
	due     uint64     // the cycle at which queue[0] completes
	lastTag uint32
	stats   DiskStats
	faults  *faults // nil: the disk never fails on its own
}

// faults makes a disk fail transfers at a rate, drawn from a generator
// of its own, so that the same seed fails the same transfers.
type faults struct {
	rate float64
	rng  *rand.Rand
}

// SetFaults makes the disk fail each transfer with probability rate (0
// to 1: none to all), with ErrMedia and nothing moved, as a worn disk
// would; the choices derive from seed. It panics on a rate outside [0,
// 1] (the caller checks the flag).
func (d *Disk) SetFaults(rate float64, seed uint64) {
	if !(rate >= 0 && rate <= 1) {
		panic(fmt.Sprintf("dev.Disk.SetFaults: rate %v is not in [0, 1]", rate))
	}
	d.faults = &faults{rate: rate, rng: rand.New(rand.NewPCG(seed, 0x6469736b))}
}

// fails draws whether the transfer about to happen fails.
func (f *faults) fails() bool { return f != nil && f.rate > 0 && f.rng.Float64() < f.rate }

// NewDisk returns an idle disk on clock clk whose requests each take
// latency cycles.
func NewDisk(clk *Clock, latency uint64) *Disk {
	return &Disk{clock: clk, latency: latency}
}

// Latency returns the cycles one request takes.
func (d *Disk) Latency() uint64 { return d.latency }

// Busy reports whether a request is in service.
func (d *Disk) Busy() bool { return len(d.queue) > 0 }

// Pending returns the requests not yet completed, the one in service
// first (a copy, for the debugger).
func (d *Disk) Pending() []*Request { return append([]*Request(nil), d.queue...) }

// Stats returns the counters so far.
func (d *Disk) Stats() DiskStats { return d.stats }

// Submit queues r, clears r.Err, counts r.Tries, sets r.Tag to a fresh
// tag (1, 2, 3, ...) and returns it. If the disk is idle, r starts now. It panics if r has
// no store or an unknown Op (a kernel bug).
func (d *Disk) Submit(r *Request) uint32 {
	if r.Store == nil || r.Op > Write {
		panic(fmt.Sprintf("dev.Disk.Submit: bad request (op %s, store %v)", r.Op, r.Store))
	}
	d.lastTag++
	r.Tag, r.Err = d.lastTag, nil
	r.Tries++
	d.queue = append(d.queue, r)
	d.stats.Requests++
	if len(d.queue) == 1 {
		d.start(d.clock.Now())
	}
	return r.Tag
}

// start puts queue[0] in service at cycle at: its interrupt is due
// latency cycles later.
func (d *Disk) start(at uint64) {
	d.due = After(at, d.latency)
	d.clock.Schedule(d.due, Event{Cause: isa.Disk, Tag: d.queue[0].Tag})
}

// Complete finishes the request with this tag, called by the kernel when
// it takes that DISK interrupt: it moves the data (setting r.Err if the
// store fails), starts the next request and returns the finished one. It
// returns nil and false, changing nothing, if tag is not the request in
// service or that request is not yet due.
func (d *Disk) Complete(tag uint32) (*Request, bool) {
	if len(d.queue) == 0 || d.queue[0].Tag != tag || d.clock.Now() < d.due {
		return nil, false
	}
	r := d.queue[0]
	d.clock.Cancel(isa.Disk, tag) // in case the kernel did not take it as an interrupt
	d.dequeue()
	d.transfer(r)
	if len(d.queue) > 0 {
		d.start(d.due)
	}
	return r, true
}

// dequeue removes queue[0], keeping the slice's memory for reuse.
func (d *Disk) dequeue() {
	copy(d.queue, d.queue[1:])
	d.queue[len(d.queue)-1] = nil
	d.queue = d.queue[:len(d.queue)-1]
}

// transfer moves r's data, buffer after buffer, and counts it; the first
// store error stops it and is kept in r.Err. A transfer the disk fails
// on purpose (SetFaults) moves nothing.
func (d *Disk) transfer(r *Request) {
	if r.Op == Read {
		d.stats.Reads++
	} else {
		d.stats.Writes++
	}
	if d.faults.fails() {
		d.fail(r, r.Offset, ErrMedia)
		return
	}
	off := r.Offset
	for _, b := range r.Bufs {
		n, err := move(r.Op, r.Store, b, off)
		d.count(r.Op, n)
		if err != nil {
			d.fail(r, off, err)
			return
		}
		off += int64(len(b))
	}
}

// fail records that r failed at offset off with err.
func (d *Disk) fail(r *Request, off int64, err error) {
	r.Err = fmt.Errorf("disk %s %s at %d: %w", r.Op, r.Store.Name(), off, err)
	d.stats.Errors++
}

// move copies one buffer between memory and the store at off and returns
// the bytes moved. A read past the store's end fills zeros and is not an
// error; a store that moves less than asked without saying why returns
// io.ErrUnexpectedEOF or io.ErrShortWrite.
func move(op Op, s Store, b []byte, off int64) (int, error) {
	if op == Write {
		n, err := s.WriteAt(b, off)
		if err == nil && n < len(b) {
			err = io.ErrShortWrite
		}
		return n, err
	}
	n, err := s.ReadAt(b, off)
	switch {
	case errors.Is(err, io.EOF):
		clear(b[n:])
		return len(b), nil
	case err == nil && n < len(b):
		err = io.ErrUnexpectedEOF
	}
	return n, err
}

// count adds n bytes moved in direction op to the statistics.
func (d *Disk) count(op Op, n int) {
	if op == Read {
		d.stats.BytesRead += uint64(n)
	} else {
		d.stats.BytesWritten += uint64(n)
	}
}
