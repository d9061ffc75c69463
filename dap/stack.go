package dap

import (
	"fmt"
	"path/filepath"

	godap "github.com/google/go-dap"

	"toyvm/debugger"
)

// Threads are the live processes, each named by its pid; the stack of
// the one the CPU runs is the frame-pointer chain (Backtrace), another's
// is its saved pc alone.

// frameRef is a stack frame handed out to the client: its number is its
// index in adapter.frames, plus 1.
type frameRef struct {
	pid   int
	frame debugger.Frame
	note  bool // not a frame: the note that ends a broken chain
}

// onThreads answers with the live processes: as they are now, or as at
// the last stop while the guest runs.
func (a *adapter) onThreads(r *godap.ThreadsRequest) {
	threads := a.threads
	if a.dbg != nil && a.running == nil && !a.ended {
		threads = a.processThreads()
	}
	if threads == nil {
		threads = []godap.Thread{}
	}
	a.wire.send(&godap.ThreadsResponse{Response: response(r.Request), Body: godap.ThreadsResponseBody{Threads: threads}})
}

// processThreads returns the live processes as threads.
func (a *adapter) processThreads() []godap.Thread {
	var out []godap.Thread
	for _, p := range a.dbg.Processes() {
		name := fmt.Sprintf("pid %d %s", p.PID, filepath.Base(p.Name))
		if p.WaitingFor != "" {
			name += " (waiting for " + p.WaitingFor + ")"
		}
		out = append(out, godap.Thread{Id: p.PID, Name: name})
	}
	return out
}

// currentThread returns the pid of the process the CPU runs, or of the
// first live one when it runs none (all wait), or 1.
func (a *adapter) currentThread() int {
	if pid := a.dbg.CurrentPID(); pid != 0 {
		return pid
	}
	if ps := a.dbg.Processes(); len(ps) > 0 {
		return ps[0].PID
	}
	return 1
}

// onStackTrace answers with the frames of a process, innermost first,
// the levels the client asks for.
func (a *adapter) onStackTrace(r *godap.StackTraceRequest) {
	if !a.still(r.Request) {
		return
	}
	refs, err := a.stackOf(r.Arguments.ThreadId)
	if err != nil {
		a.fail(r.Request, "%v", err)
		return
	}
	var frames []godap.StackFrame
	for _, ref := range page(refs, r.Arguments.StartFrame, r.Arguments.Levels) {
		frames = append(frames, a.stackFrame(ref))
	}
	if frames == nil {
		frames = []godap.StackFrame{}
	}
	a.wire.send(&godap.StackTraceResponse{Response: response(r.Request),
		Body: godap.StackTraceResponseBody{StackFrames: frames, TotalFrames: len(refs)}})
}

// page returns levels frames of refs from start (levels 0: all the
// rest), as many as there are.
func page(refs []frameRef, start, levels int) []frameRef {
	first := min(max(start, 0), len(refs))
	last := len(refs)
	if levels > 0 {
		last = min(first+levels, len(refs))
	}
	return refs[first:last]
}

// stackOf returns the frames of process pid, with the note of a broken
// chain last; or an error if there is no such process.
func (a *adapter) stackOf(pid int) ([]frameRef, error) {
	if pid == a.dbg.CurrentPID() {
		frames, note := a.dbg.Backtrace()
		var refs []frameRef
		for _, f := range frames {
			refs = append(refs, frameRef{pid: pid, frame: f})
		}
		if note != "" {
			refs = append(refs, frameRef{pid: pid, frame: debugger.Frame{Level: len(frames)}, note: true})
		}
		return refs, nil
	}
	regs, ok := a.dbg.RegistersOf(pid)
	if !ok {
		return nil, fmt.Errorf("no process %d", pid)
	}
	return []frameRef{{pid: pid, frame: debugger.Frame{PC: regs.PC, FP: regs.R[14]}}}, nil
}

// stackFrame numbers ref and returns it as a protocol frame: named by
// the label of its pc, at its source line. A caller's frame stands at
// its call, the instruction before its return address.
func (a *adapter) stackFrame(ref frameRef) godap.StackFrame {
	a.frames = append(a.frames, ref)
	id := len(a.frames)
	if ref.note {
		_, note := a.dbg.Backtrace()
		return godap.StackFrame{Id: id, Name: "(" + note + ")", PresentationHint: "label"}
	}
	pc := a.framePC(ref.frame)
	sf := godap.StackFrame{Id: id, Name: a.codeName(pc), InstructionPointerReference: hexAddr(pc)}
	if l, ok := a.dbg.SourceAt(pc); ok {
		sf.Source = &godap.Source{Name: l.Name, Path: l.Path}
		sf.Line, sf.Column = l.Line-1+a.lineBase, max(l.Col, 1)-1+a.colBase
	}
	return sf
}

// framePC returns where frame stands: its pc, or, for a caller, its call.
func (a *adapter) framePC(f debugger.Frame) uint32 {
	if f.Level > 0 {
		if call, ok := a.dbg.InstructionBefore(f.PC); ok {
			return call
		}
	}
	return f.PC
}

// codeName returns addr's label ("loop", "putint+2"), or addr in hex
// when no label lies below it.
func (a *adapter) codeName(addr uint32) string {
	if l := a.dbg.Label(addr); l != "" {
		return l
	}
	return hexAddr(addr)
}

// frameOf returns the frame the client numbered id, and false (having
// answered req with an error) if there is none.
func (a *adapter) frameOf(req godap.Request, id int) (frameRef, bool) {
	if id < 1 || id > len(a.frames) {
		a.fail(req, "no frame %d: ask for the stack trace first", id)
		return frameRef{}, false
	}
	return a.frames[id-1], true
}

// still reports whether the guest stands still so that its state can be
// read, and answers req with an error if not: before launch, while it
// runs, after it exited.
func (a *adapter) still(req godap.Request) bool { return a.launched(req) && a.idle(req) }

// idle reports whether the launched guest neither runs nor has exited,
// and answers req with an error if not.
func (a *adapter) idle(req godap.Request) bool {
	switch {
	case a.running != nil:
		a.fail(req, "the program is running: pause it first")
		return false
	case a.ended:
		a.fail(req, "the program has exited")
		return false
	}
	return true
}

// hexAddr returns addr as a memory reference: 0x and eight hex digits.
func hexAddr(addr uint32) string { return fmt.Sprintf("0x%08x", addr) }
