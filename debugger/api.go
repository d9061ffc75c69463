package debugger

import (
	"bytes"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"

	"toyvm/cpu"
	"toyvm/image"
	"toyvm/isa"
	"toyvm/kernel"
)

// The session as a library, for front ends other than the command loop
// (the Debug Adapter Protocol server, package dap): running the guest
// and being told why it stopped, breakpoints by address, the registers,
// memory and code as values rather than text, and the commands' output
// as a string. Everything here is built on the command loop's own
// machinery, so that both front ends stop, step and read alike.

// StopReason says why a run of the guest ended.
type StopReason uint8

// The reasons a run ends.
const (
	StopGoal        StopReason = iota // the run did what it was asked: a step, next or finish completed
	StopBreakpoint                    // a breakpoint of the session (Stop.Point)
	StopProgramBPT                    // the program's own bpt instruction
	StopWatchpoint                    // a watched word changed
	StopCatchpoint                    // a caught event (catch fault, syscall, swap, exit)
	StopFatalFault                    // a fault that kills the process, held back (kernel.HeldFault)
	StopInterrupted                   // Interrupt
	StopLimit                         // --max-steps
	StopExited                        // the machine is done (Stop.Status)
	StopStart                         // a reverse run reached the program's first instruction
	StopOther                         // anything else: no progress, a condition that failed, a replay that failed
)

var stopReasonNames = [...]string{"goal", "breakpoint", "bpt", "watchpoint", "catchpoint", "fatal fault",
	"interrupted", "limit", "exited", "start", "other"}

func (r StopReason) String() string {
	if int(r) < len(stopReasonNames) {
		return stopReasonNames[r]
	}
	return fmt.Sprintf("stop(%d)", uint8(r))
}

// Stop is why and where a run of the guest ended.
type Stop struct {
	Reason StopReason
	Point  int    // StopBreakpoint: the breakpoint's number
	Status int    // StopExited: the exit status
	Text   string // the debugger's own words for it, as the command loop prints them ("" after a plain step)
}

// classify turns the reason runLoop returned into a Stop.
func (s *Session) classify(why string) Stop {
	if st, done := s.k.ExitStatus(); done {
		return Stop{Reason: StopExited, Status: st, Text: fmt.Sprintf("program exited with status %d", st)}
	}
	st := Stop{Text: why}
	switch {
	case why == "":
		st.Reason = StopGoal
	case why == "interrupted":
		st.Reason = StopInterrupted
	case strings.HasPrefix(why, "fatal fault") && s.k.HeldFault() != nil:
		st.Reason = StopFatalFault
	case strings.HasPrefix(why, "the program's bpt"):
		st.Reason = StopProgramBPT
	case strings.HasPrefix(why, watchVirt.String()):
		st.Reason = StopWatchpoint
	case strings.HasPrefix(why, "caught "):
		st.Reason = StopCatchpoint
	case strings.HasPrefix(why, "stopped after"):
		st.Reason = StopLimit
	default:
		st.Reason = StopOther
		var kind string
		var id int
		if n, _ := fmt.Sscanf(why, "%s %d", &kind, &id); n == 2 && why == fmt.Sprintf("%s %d", kind, id) &&
			(kind == breakPoint.String() || kind == tempBreak.String()) {
			st.Reason, st.Point = StopBreakpoint, id
		}
	}
	return st
}

// Runner runs the guest towards one goal (a step, a next, a finish, or
// none: continue). Run may be called again after it returned
// StopInterrupted, or a StopBreakpoint its caller chose to pass over (a
// condition that does not hold): it goes on towards the same goal, as if
// it had not stopped.
type Runner struct {
	s     *Session
	goal  goal   // nil: run until something stops the guest
	steps uint64 // the instructions run so far
	cut   bool   // the last Run was interrupted
}

// StepRunner runs one instruction, into calls (step).
func (s *Session) StepRunner() *Runner { return &Runner{s: s, goal: func() bool { return true }} }

// NextRunner runs one instruction, running a CALL until it returns to
// the instruction after it in this process with the stack as it was
// (next).
func (s *Session) NextRunner() *Runner {
	pc, sp, in := s.k.CPU.PC, s.k.CPU.R[isa.SP], s.inThisProcess()
	call, n := s.callAt(pc)
	if !call {
		return s.StepRunner()
	}
	return &Runner{s: s, goal: func() bool { return in() && s.k.CPU.PC == pc+n && s.k.CPU.R[isa.SP] == sp }}
}

// FinishRunner runs until the current function returns (finish): its
// own RET, the calls it makes counted.
func (s *Session) FinishRunner() *Runner {
	w := s.watchFrames()
	return &Runner{s: s, goal: func() bool { w.after(); return w.returned && w.here() }}
}

// ContinueRunner runs until a breakpoint, watchpoint or catchpoint, a
// fault, an interrupt or the end (continue).
func (s *Session) ContinueRunner() *Runner { return &Runner{s: s} }

// Run runs the guest until the goal is reached or something stops it,
// and says why it stopped. As in the command loop, the breakpoint at the
// pc a run starts from does not stop it; but a run taken up again after
// an interrupt stops at a breakpoint at its pc, which the interrupt
// would otherwise have hidden.
func (r *Runner) Run() Stop {
	s := r.s
	if s.k.Done() {
		return s.classify("exited")
	}
	if r.cut && r.steps > 0 {
		r.cut = false
		if why := s.breakHere(); why != "" {
			return s.classify(why)
		}
	}
	before := s.k.CPU.Instructions
	why := s.runLoop(0, r.goal) // a nil goal (continue) runs at the CPU's speed
	r.steps += s.k.CPU.Instructions - before
	st := s.classify(why)
	r.cut = st.Reason == StopInterrupted
	return st
}

// ClearInterrupt forgets an Interrupt that no run has seen yet. A Runner
// does not clear it when it starts (the command loop's resume does), so
// that an Interrupt made just before a run starts stops it.
func (s *Session) ClearInterrupt() { s.interrupted.Store(false) }

// StepBack moves the machine n instructions back (backstep n), keeping
// the watchpoints' values in step. An interrupt stops its replay: the
// error is then "interrupted" and the machine is as it was.
func (s *Session) StepBack(n uint64) error {
	if err := s.Backstep(n); err != nil {
		return err
	}
	s.rearmWatches()
	return nil
}

// Interrupted reports whether err is the error of a replay that an
// interrupt stopped.
func Interrupted(err error) bool { return errors.Is(err, errInterrupted) }

// ReverseContinue goes back to the last moment before now at which the
// pc stood at a breakpoint that keep accepts (keep is given its number
// and may evaluate a condition: the machine it reads is then the one at
// that moment), or to the program's first instruction if there is none
// (StopStart). It replays the run from boot, muted, one instruction at
// a time, noting the breakpoints reached, then steps back to the last
// one. Watchpoints and catchpoints do not stop it. An interrupt stops
// it, leaving the machine as it was (StopInterrupted).
func (s *Session) ReverseContinue(keep func(point int) bool) (Stop, error) {
	now := s.k.CPU.Instructions
	if now == 0 {
		return Stop{Reason: StopStart, Text: "at the program's first instruction"}, nil
	}
	at, point, err := s.lastBreak(now, keep)
	if err != nil {
		if Interrupted(err) {
			return Stop{Reason: StopInterrupted, Text: "interrupted"}, nil
		}
		return Stop{}, err
	}
	if err := s.StepBack(now - at); err != nil {
		if Interrupted(err) {
			return Stop{Reason: StopInterrupted, Text: "interrupted"}, nil
		}
		return Stop{}, err
	}
	if point == 0 {
		return Stop{Reason: StopStart, Text: "back at the program's first instruction"}, nil
	}
	return Stop{Reason: StopBreakpoint, Point: point, Text: fmt.Sprintf("%s %d", breakPoint, point)}, nil
}

// lastBreak replays the run from boot up to instruction now and returns
// the last instruction count before now at which the pc stood at a
// breakpoint keep accepts, and its number (0, 0 if none).
func (s *Session) lastBreak(now uint64, keep func(point int) bool) (at uint64, point int, err error) {
	old := s.k
	next, off := s.rec.next, s.rec.off
	s.guest.muted, s.rec.replaying = true, true
	defer func() {
		s.guest.muted, s.rec.replaying = false, false
		s.rec.next, s.rec.off = next, off // the machine kept reads on where it was
	}()
	k, err := s.boot()
	if err != nil {
		return 0, 0, err
	}
	k.SetTrace(0) // nobody sees the replay's trace
	s.k = k       // breakAt, keep's conditions and stepInstruction read the replay
	defer func() { s.k = old; k.Close() }()
	edits := s.rec.edits
	for k.CPU.Instructions < now {
		if s.interrupted.Swap(false) {
			return 0, 0, errInterrupted
		}
		c := k.CPU.Instructions
		if bp := s.breakAt(k.CPU.PC); bp != nil && (keep == nil || keep(bp.id)) {
			at, point = c, bp.id
		}
		for len(edits) > 0 && edits[0].at <= c {
			if err := edits[0].apply(k); err != nil {
				return 0, 0, fmt.Errorf("the replay could not redo a change made at instruction %d: %w", edits[0].at, err)
			}
			edits = edits[1:]
		}
		if k.Done() || !s.stepInstruction() {
			return 0, 0, fmt.Errorf("the replay stopped at instruction %d, short of %d", c, now)
		}
	}
	return at, point, nil
}

// Restart boots the program again, as `run` does, and leaves it at its
// first instruction. The breakpoints, watchpoints and catchpoints stay.
func (s *Session) Restart() error {
	k, err := s.boot()
	if err != nil {
		return err
	}
	s.use(k)
	s.rearmWatches()
	return nil
}

// Instructions returns how many instructions the machine has retired.
func (s *Session) Instructions() uint64 { return s.k.CPU.Instructions }

// PC returns the CPU's program counter.
func (s *Session) PC() uint32 { return s.k.CPU.PC }

// Exited returns the exit status and true once the machine is done.
func (s *Session) Exited() (int, bool) { return s.k.ExitStatus() }

// HeldFaultText describes the fatal fault held back for the debugger,
// "" when there is none.
func (s *Session) HeldFaultText() string {
	if f := s.k.HeldFault(); f != nil {
		return fatalText(f)
	}
	return ""
}

// SetBreakpoint sets a breakpoint at addr and returns its number; it
// is one of the session's, listed by `info breakpoints`.
func (s *Session) SetBreakpoint(addr uint32) int {
	return s.addPoint(point{kind: breakPoint, addr: addr}).id
}

// DeleteBreakpoint removes point id; it returns an error if there is
// none (the user deleted it).
func (s *Session) DeleteBreakpoint(id int) error { return s.deletePoint(id) }

// BreakpointAt returns the number of the breakpoint that stops the guest
// at addr, and false if none does.
func (s *Session) BreakpointAt(addr uint32) (int, bool) {
	if p := s.breakAt(addr); p != nil {
		return p.id, true
	}
	return 0, false
}

// Eval returns the value of an expression (expr.go: registers, labels,
// numbers, C's operators, *addr), or an error saying why it has none.
func (s *Session) Eval(expr string) (uint32, error) { return s.eval(expr) }

// Location returns the address a breakpoint location names: an
// expression or FILE:LINE.
func (s *Session) Location(text string) (uint32, error) { return s.location(text) }

// Label returns addr as the nearest label at or below it ("loop",
// "putint+2"), "" if there is none.
func (s *Session) Label(addr uint32) string { return s.label(addr) }

// Where returns addr, its label and its source line, as the command
// loop shows them: "0x00001017 <loop> fib.s:16".
func (s *Session) Where(addr uint32) string { return s.whereLine(addr) }

// ExecCapture runs one command line, as Exec does, and returns what it
// printed; quit is true for quit. The guest's own output is not in it.
func (s *Session) ExecCapture(line string) (text string, quit bool) {
	var b bytes.Buffer
	old := s.out
	s.out = &b
	defer func() { s.out = old }()
	quit = s.Exec(line)
	return b.String(), quit
}

// CommandName returns the full name of the command that word names (a
// name, an alias or a unique prefix), and false if it names none.
func CommandName(word string) (string, bool) {
	c, err := lookup(word)
	if err != nil {
		return "", false
	}
	return c.name, true
}

// RunsTheGuest reports whether the command called name (a full name)
// runs the guest, or moves it back.
func RunsTheGuest(name string) bool {
	is := func(c command) bool { return c.name == name }
	return slices.ContainsFunc(runCommands, is) || slices.ContainsFunc(reverseCommands, is)
}

// SourceLine is a place in the program's source.
type SourceLine struct {
	Path string // the file on the host, absolute when it can be made so
	Name string // the name the line table gives it ("fib.s", "lib/io.s")
	Line int
	Col  int
}

// SourceAt returns the source line of the instruction or data at addr.
func (s *Session) SourceAt(addr uint32) (SourceLine, bool) {
	l, ok := s.img.LineAt(addr)
	if !ok {
		return SourceLine{}, false
	}
	return SourceLine{Path: s.hostPath(l.File), Name: l.File, Line: l.Line, Col: l.Col}, true
}

// hostPath returns where the line table's file is on the host, made
// absolute if it can be.
func (s *Session) hostPath(file string) string {
	p := s.sourcePath(file)
	if abs, err := filepath.Abs(p); err == nil {
		return abs
	}
	return p
}

// SourceFiles returns the program's source files as the line table
// names them, the main file first.
func (s *Session) SourceFiles() []SourceLine {
	var out []SourceLine
	for _, f := range s.programFiles() {
		if len(s.img.Lines) > 0 {
			out = append(out, SourceLine{Path: s.hostPath(f), Name: f})
		}
	}
	return out
}

// CodeAt returns the address of the first instruction at or after line
// n of the source file path (its path on the host, or the name the line
// table gives it, or its base name), and the line it is on; or an error
// saying why there is none: no such file in the program, or no code at
// or after that line.
func (s *Session) CodeAt(path string, n int) (uint32, SourceLine, error) {
	file, err := s.fileNamed(path)
	if err != nil {
		return 0, SourceLine{}, err
	}
	var best image.Line
	found := false
	for _, l := range s.img.Lines {
		if l.File != file || l.Line < n || !s.executable(l.Addr) {
			continue
		}
		if !found || l.Line < best.Line || (l.Line == best.Line && l.Addr < best.Addr) {
			best, found = l, true
		}
	}
	if !found {
		return 0, SourceLine{}, fmt.Errorf("no code at or after line %d of %s", n, filepath.Base(file))
	}
	return best.Addr, SourceLine{Path: s.hostPath(file), Name: file, Line: best.Line, Col: best.Col}, nil
}

// fileNamed returns the line table's name of the file path names: the
// same file on the host, else the one file with that name or base name.
func (s *Session) fileNamed(path string) (string, error) {
	var files []string
	for _, l := range s.img.Lines {
		if !slices.Contains(files, l.File) {
			files = append(files, l.File)
		}
	}
	want := path
	if abs, err := filepath.Abs(path); err == nil {
		want = abs
	}
	var loose []string
	for _, f := range files {
		if s.hostPath(f) == want {
			return f, nil
		}
		if s.sameFile(f, path) || filepath.Base(f) == filepath.Base(path) {
			loose = append(loose, f)
		}
	}
	if len(loose) == 1 {
		return loose[0], nil
	}
	if len(files) == 0 {
		return "", fmt.Errorf("the program has no line table")
	}
	return "", fmt.Errorf("%s is not a source file of the program (its files: %s)", filepath.Base(path), strings.Join(files, ", "))
}

// executable reports whether addr lies in an executable segment of the
// program.
func (s *Session) executable(addr uint32) bool {
	seg := s.segmentAt(addr)
	return seg != nil && seg.Perm&image.PermX != 0
}

// segmentAt returns the image segment holding addr, nil if none.
func (s *Session) segmentAt(addr uint32) *image.Segment {
	for i := range s.img.Segments {
		seg := &s.img.Segments[i]
		if uint64(addr) >= uint64(seg.Addr) && uint64(addr) < seg.End() {
			return seg
		}
	}
	return nil
}

// Registers are a process's registers: the CPU's for the process that
// runs, the saved ones for another.
type Registers struct {
	R   [16]uint32
	PC  uint32
	PSW cpu.PSW
}

// RegistersOf returns the registers of the live process pid, and false
// if there is none.
func (s *Session) RegistersOf(pid int) (Registers, bool) {
	p := s.process(pid)
	if p == nil {
		return Registers{}, false
	}
	if p == s.current() {
		c := s.k.CPU
		return Registers{R: c.R, PC: c.PC, PSW: c.PSW}, true
	}
	return Registers{R: p.Ctx.R, PC: p.Ctx.PC, PSW: p.Ctx.PSW}, true
}

// SetRegister changes a register of the running process (r0-r15, sp,
// fp, pc, psw: its flags only), as `set REG = VALUE` does, so that a
// backstep's replay makes the change again.
func (s *Session) SetRegister(name string, v uint32) error {
	r, ok := parseReg(name)
	if !ok {
		return fmt.Errorf("%q is not a register (r0-r15, sp, fp, pc, psw)", name)
	}
	if s.current() == nil {
		return fmt.Errorf("no process is running: every one has exited")
	}
	return s.Edit(func(k *kernel.Kernel) error { setReg(k.CPU, r, v); return nil })
}

// ProcessInfo describes one live process.
type ProcessInfo struct {
	PID        int
	Name       string // the program's path
	State      string // runnable, blocked
	WaitingFor string // what a blocked process waits for
	Current    bool   // it is the one the CPU runs
	PC         uint32 // its next instruction
	Regions    []string
}

// Processes returns the live processes, in the kernel's order.
func (s *Session) Processes() []ProcessInfo {
	var out []ProcessInfo
	cur := s.current()
	for _, p := range s.k.Processes() {
		if p.State == kernel.Zombie {
			continue
		}
		info := ProcessInfo{PID: p.PID, Name: p.Name, State: p.State.String(), WaitingFor: p.WaitingFor,
			Current: p == cur, PC: p.Ctx.PC}
		if p == cur {
			info.PC = s.k.CPU.PC
		}
		for _, r := range p.Space.Regions {
			info.Regions = append(info.Regions, fmt.Sprintf("%s  %d pages", r, r.Pages()))
		}
		out = append(out, info)
	}
	return out
}

// CurrentPID returns the pid of the process the CPU runs, 0 if none.
func (s *Session) CurrentPID() int {
	if p := s.current(); p != nil {
		return p.PID
	}
	return 0
}

// Stats returns the machine's counters now.
func (s *Session) Stats() kernel.Stats { return s.k.Stats() }

// MemSpan is a run of virtual bytes that can all be read, or none of
// which can, with the reason (the word x prints: not-present, no-region,
// kernel-only).
type MemSpan struct {
	Addr uint32
	Data []byte // the bytes, when readable
	Len  int    // how many bytes the span covers
	Why  string // "" when readable
}

// ReadVirtual reads n bytes from addr in the current process's memory
// through its page table, never faulting a page in, and returns them in
// spans: readable ones with their bytes, unreadable ones with why. It
// stops at the top of the address space.
func (s *Session) ReadVirtual(addr uint32, n int) []MemSpan {
	p := s.current()
	var spans []MemSpan
	for i := 0; i < n && uint64(addr)+uint64(i) <= 0xffffffff; i++ {
		a := addr + uint32(i)
		why, b := "no process", byte(0)
		if p != nil {
			if st := s.stateOf(p, a); st != pagePresent {
				why = st.word()
			} else if v, ok := s.virtByte(p, a); ok {
				why, b = "", v
			} else {
				why = pageNotPresent.word()
			}
		}
		if k := len(spans) - 1; k >= 0 && spans[k].Why == why {
			spans[k].Len++
			if why == "" {
				spans[k].Data = append(spans[k].Data, b)
			}
			continue
		}
		sp := MemSpan{Addr: a, Len: 1, Why: why}
		if why == "" {
			sp.Data = []byte{b}
		}
		spans = append(spans, sp)
	}
	return spans
}

// Instruction is one disassembled instruction.
type Instruction struct {
	Addr  uint32
	Bytes []byte
	Text  string // assembler syntax; "??" for a placeholder
	Label string // the label at its address, "" if none
	Valid bool   // false for a placeholder outside the code, or bytes that do not decode
}

// maxDisassemble bounds one Disassemble.
const maxDisassemble = 10000

// Disassemble returns count instructions (at most 10,000) starting
// offset instructions from the one at addr (offset may be negative).
// In an executable segment of the program the instructions are found by
// decoding from its start, and the line table's addresses keep the
// decoding in step where data lies between instructions; elsewhere from
// addr on. Where there is no instruction (before or after the code) a
// placeholder stands, so that the count is always met.
func (s *Session) Disassemble(addr uint32, offset, count int) []Instruction {
	count = min(max(count, 0), maxDisassemble)
	var starts []uint32
	first := 0 // the index of addr in starts
	lo, hi := uint64(addr), uint64(addr)
	if seg := s.segmentAt(addr); seg != nil && seg.Perm&image.PermX != 0 {
		starts = s.instStarts(seg)
		first, _ = slices.BinarySearch(starts, addr)
		if first == len(starts) || starts[first] != addr {
			first = max(first-1, 0)
		}
		lo, hi = uint64(seg.Addr), seg.End()
	} else {
		a := uint64(addr)
		for i := 0; i < max(offset+count, 0) && a <= 0xffffffff; i++ {
			starts = append(starts, uint32(a))
			_, n := s.instText(uint32(a))
			a += uint64(n)
		}
		hi = a
	}
	out := make([]Instruction, 0, count)
	for i := first + offset; i < first+offset+count; i++ {
		switch {
		case i < 0:
			out = append(out, Instruction{Addr: uint32(max(int64(lo)+int64(i), 0)), Text: "??"})
		case i >= len(starts):
			out = append(out, Instruction{Addr: uint32(min(hi+uint64(i-len(starts)), 0xffffffff)), Text: "??"})
		default:
			out = append(out, s.instruction(starts[i]))
		}
	}
	return out
}

// instruction disassembles the instruction at addr.
func (s *Session) instruction(addr uint32) Instruction {
	text, n := s.instText(addr)
	b := s.textBytes(addr, int(n))
	_, _, err := isa.Decode(s.textBytes(addr, isa.MaxInstLen))
	return Instruction{Addr: addr, Bytes: b, Text: text, Label: s.img.SymbolAt(addr), Valid: err == nil}
}

// instStarts returns the addresses where the instructions of an
// executable segment start, in order: decoded one after the other from
// its start, each cut short where the line table says the next item
// (an instruction or data) starts.
func (s *Session) instStarts(seg *image.Segment) []uint32 {
	var marks []uint32
	for _, l := range s.img.Lines {
		if uint64(l.Addr) >= uint64(seg.Addr) && uint64(l.Addr) < seg.End() {
			marks = append(marks, l.Addr)
		}
	}
	slices.Sort(marks)
	var starts []uint32
	m := 0
	for a := uint64(seg.Addr); a < seg.End(); {
		starts = append(starts, uint32(a))
		_, n := s.instText(uint32(a))
		next := a + uint64(n)
		for m < len(marks) && uint64(marks[m]) <= a {
			m++
		}
		if m < len(marks) && uint64(marks[m]) < next {
			next = uint64(marks[m])
		}
		a = next
	}
	return starts
}

// InstructionBefore returns the address of the instruction that ends
// where addr starts (a caller's CALL, before its return address), and
// false if it cannot be told.
func (s *Session) InstructionBefore(addr uint32) (uint32, bool) {
	seg := s.segmentAt(addr)
	if seg == nil || seg.Perm&image.PermX == 0 {
		return 0, false
	}
	starts := s.instStarts(seg)
	i, found := slices.BinarySearch(starts, addr)
	if !found || i == 0 {
		return 0, false
	}
	return starts[i-1], true
}

// HasPoint reports whether point id (a breakpoint or a watchpoint) still
// exists: the user may have deleted it with delete.
func (s *Session) HasPoint(id int) bool {
	return slices.ContainsFunc(s.points, func(p *point) bool { return p.id == id })
}

// ExecResult runs one command line, as ExecCapture does, and returns
// what it printed and the command's error apart from it; quit is true
// for quit. The guest's own output is not in the text.
func (s *Session) ExecResult(line string) (text string, quit bool, err error) {
	var b bytes.Buffer
	old := s.out
	s.out = &b
	defer func() { s.out = old }()
	quit, err = s.execLine(line)
	return b.String(), quit, err
}
