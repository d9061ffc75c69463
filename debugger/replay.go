package debugger

import (
	"errors"
	"fmt"
	"io"

	"toyvm/cpu"
	"toyvm/kernel"
)

// Going backwards: backstep by deterministic re-execution.
//
// The machine is deterministic: given the configuration, the image, the
// arguments, the bytes the guest reads from standard input (and the
// chunks they come in) and the changes the user makes with `set`, it
// always passes through the same states. So the session records the last
// two as they happen (a recording), and Backstep(n) builds a fresh machine
// and replays the recording on it, with the guest's output muted, until
// it has retired n fewer instructions than the current one. It then
// stands in the very state the old machine was in at that point:
// registers, memory, page tables, TLB, frames, swap, disk queue, clock,
// counters. The breakpoints, watchpoints and catchpoints belong to the
// session, not the machine, and stay. Output the guest printed is not
// taken back; after the backstep its output goes on as usual.
//
// Checkpoints. The one checkpoint is the machine at boot: a replay always
// starts there. A snapshot every K instructions would need a deep copy
// of the kernel (processes, objects, pages, the disk's requests and the
// policy's lists point into one another), which the kernel does not
// offer; copying it from outside would mean knowing every unexported
// field. Replay from boot costs no memory at all (the recording holds
// only the bytes read and the edits) and its time is that of running the
// target number of instructions with CPU.Run, the fast path: about as
// long as `run` takes to get there. Measured: 3 ms for a backstep at
// instruction 260,000 of linear.s in 64K with swapping, 0.6 s at
// instruction 50 million of a tight loop (some 90 million instructions a
// second, four times the speed of `step`).
// If that ever matters, kernel snapshots can be added as more
// checkpoints without changing the recording.

// Backstep moves the machine n instructions back; n = 0 does nothing. It
// returns an error, leaving the machine as it was, if fewer than n
// instructions have run since boot or the replay cannot reach the point.
func (s *Session) Backstep(n uint64) error {
	now := s.k.CPU.Instructions
	if n == 0 {
		return nil
	}
	if n > now {
		return fmt.Errorf("only %d instructions have run", now)
	}
	next, off := s.rec.next, s.rec.off
	k, err := s.replayTo(now - n)
	if err != nil {
		s.rec.next, s.rec.off = next, off // the old machine reads on where it was
		return err
	}
	s.use(k)
	s.rec.forgetEditsAfter(now - n)
	return nil
}

// replayTo boots a fresh machine and replays the recording on it, muted,
// until target instructions have retired; it returns the machine, or an
// error if it cannot boot or stops short of target.
func (s *Session) replayTo(target uint64) (*kernel.Kernel, error) {
	trace := s.k.TraceCategories()
	s.guest.muted, s.rec.replaying = true, true
	defer func() { s.guest.muted, s.rec.replaying = false, false }()
	k, err := s.boot()
	if err != nil {
		return nil, err
	}
	k.SetTrace(0) // nobody sees the replay's trace: do not pay for it
	err = s.rec.runTo(k, target, func() bool { return s.interrupted.Swap(false) })
	k.SetTrace(trace)
	return k, err
}

// recording is what a replay needs besides the configuration, the image
// and the arguments: the guest's standard input as it was read, and the
// user's changes to the machine, each with the instruction count at which
// it happened. It is the guest's standard input (its Read) and starts
// afresh at each boot, except the boot of a replay, which reads it again
// from the beginning.
type recording struct {
	src       io.Reader   // the real standard input; nil for none
	reads     []inputRead // every Read the guest made, in order
	next, off int         // the next read to serve on replay, and how much of it is served
	edits     []edit
	replaying bool // the next boot is a replay's
}

// inputRead is one Read of standard input: the bytes it returned and its
// error.
type inputRead struct {
	data []byte
	err  error
}

// edit is one change the user made to the machine, at instruction at.
type edit struct {
	at    uint64
	apply func(k *kernel.Kernel) error
}

// newRecording returns an empty recording of the standard input src.
func newRecording(src io.Reader) *recording { return &recording{src: src} }

// start prepares the recording for a machine being booted and returns
// it, to be the machine's standard input: a replay reads the recording
// again from its beginning; any other boot (New, `run`) starts a new one.
func (r *recording) start() io.Reader {
	if !r.replaying {
		r.reads, r.edits = nil, nil
	}
	r.next, r.off = 0, 0
	return r
}

// Read serves the guest's read of standard input: from the recording
// while it has reads not yet served (a replay, or the run again after a
// backstep), else from the real input, recording what it returns.
func (r *recording) Read(b []byte) (int, error) {
	if r.next < len(r.reads) {
		return r.replay(b)
	}
	n, err := 0, error(io.EOF)
	if r.src != nil {
		n, err = r.src.Read(b)
	}
	r.reads = append(r.reads, inputRead{data: append([]byte(nil), b[:n]...), err: err})
	r.next++
	return n, err
}

// replay serves b from the next recorded read. A read is served in the
// chunks it was made in; should the guest ask for less (it cannot, as
// long as the machine is deterministic), the rest waits for its next
// Read and the error comes with the last byte.
func (r *recording) replay(b []byte) (int, error) {
	rd := r.reads[r.next]
	n := copy(b, rd.data[r.off:])
	r.off += n
	if r.off < len(rd.data) {
		return n, nil
	}
	r.next, r.off = r.next+1, 0
	return n, rd.err
}

// runTo runs k until target instructions have retired or it is done,
// applying the recorded edits where they were made. It returns an error
// if an edit fails or the machine stops short of target.
func (r *recording) runTo(k *kernel.Kernel, target uint64, interrupted func() bool) error {
	return r.runWatching(k, target, interrupted, nil)
}

// runWatching is runTo, calling held each time the CPU holds (at a
// breakpoint, or after a write to a watched word: see lastStop) and
// then going on.
func (r *recording) runWatching(k *kernel.Kernel, target uint64, interrupted func() bool, held func()) error {
	for _, e := range r.edits {
		if e.at > target {
			break
		}
		if err := runUntil(k, e.at, interrupted, held); err != nil {
			return err
		}
		if err := e.apply(k); err != nil {
			return fmt.Errorf("the replay could not redo a change made at instruction %d: %w", e.at, err)
		}
	}
	return runUntil(k, target, interrupted, held)
}

// runUntil runs k with the CPU's fast path until target instructions
// have retired, calling held (if not nil) when the CPU holds, and
// stepping over a breakpoint after it. It returns an error if the
// machine finishes or stops making progress first (a replay that does
// not retrace the run), or errInterrupted when interrupted says so
// (Ctrl-C).
func runUntil(k *kernel.Kernel, target uint64, interrupted func() bool, held func()) error {
	for k.CPU.Instructions < target {
		before := k.CPU.Instructions
		if interrupted() {
			return errInterrupted
		}
		if k.Done() {
			return fmt.Errorf("the replay stopped at instruction %d, short of %d", before, target)
		}
		ran := k.CPU.Run(min(target-before, replaySlice))
		if k.CPU.Held() != cpu.NotHeld && held != nil {
			held()
		}
		if k.CPU.Held() == cpu.AtBreakpoint {
			ran = retireOne(k)
		}
		if ran == 0 {
			return fmt.Errorf("the replay stopped at instruction %d, short of %d", before, target)
		}
	}
	return nil
}

// retireOne steps k's CPU until an instruction retires (the traps before
// it taken), and returns 1, or 0 if none did in maxTrapSteps steps.
func retireOne(k *kernel.Kernel) uint64 {
	start := k.CPU.Instructions
	for i := 0; i < maxTrapSteps && !k.Done(); i++ {
		if k.CPU.Step(); k.CPU.Instructions != start {
			return 1
		}
	}
	return 0
}

// replaySlice is how many instructions a replay runs between two looks
// at Ctrl-C.
const replaySlice = 1 << 20

// errInterrupted: the user stopped a replay with Ctrl-C.
var errInterrupted = errors.New("interrupted")

// Edit applies a change to the machine on the user's behalf (`set`) and
// records it, so that a backstep's replay makes it again at the same
// instruction. It returns apply's error, recording nothing then.
func (s *Session) Edit(apply func(k *kernel.Kernel) error) error {
	if err := apply(s.k); err != nil {
		return err
	}
	s.rec.edits = append(s.rec.edits, edit{at: s.k.CPU.Instructions, apply: apply})
	return nil
}

// forgetEditsAfter drops the edits made after instruction at: a backstep
// to at undoes them, and the run from there is a new future.
func (r *recording) forgetEditsAfter(at uint64) {
	for i, e := range r.edits {
		if e.at > at {
			r.edits = r.edits[:i]
			return
		}
	}
}
