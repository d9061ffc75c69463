package debugger

import (
	"fmt"
	"strconv"

	"toyvm/isa"
)

// Backtraces walk the frame-pointer chain of toyvm's calling convention
// (docs/isa.md): a CALL pushes the return address, and a function that
// keeps a frame begins `push fp; mov sp, fp`, so that 0(fp) holds its
// caller's fp and 4(fp) its return address. A function that keeps no
// frame (the user library's routines push the registers they use
// instead) leaves fp to its caller: the backtrace then says that it
// skips a frame.

// Frame is one frame of a backtrace: its level (0 the innermost), the pc
// in it (for a caller, the return address), and its frame pointer.
type Frame struct {
	Level int
	PC    uint32
	FP    uint32
}

// maxFrames bounds a backtrace.
const maxFrames = 256

// Backtrace returns the frames of the current process, innermost first,
// and a note when the chain could not be followed to its end, or when
// frame 0 keeps no frame pointer ("" when all went well: the outermost
// frame's fp is 0).
func (s *Session) Backtrace() ([]Frame, string) {
	if s.current() == nil {
		return nil, "no process is running"
	}
	c := s.k.CPU
	frames := []Frame{{Level: 0, PC: c.PC, FP: c.R[isa.FP]}}
	ret, fp, skipped, note := s.callerOf(c.PC, c.R[isa.SP], c.R[isa.FP])
	for note == "" && ret != 0 && len(frames) < maxFrames {
		frames = append(frames, Frame{Level: len(frames), PC: ret, FP: fp})
		if fp == 0 {
			break
		}
		ret, fp, note = s.walk(fp, frames[len(frames)-2].FP)
	}
	switch {
	case note == "" && len(frames) == maxFrames:
		note = fmt.Sprintf("more than %d frames: the rest is not shown", maxFrames)
	case note == "" && skipped:
		note = "frame 0 keeps no frame pointer: its caller is not shown, frame 1 is its caller's caller"
	}
	return frames, note
}

// callerOf returns the return address and the caller's fp of the
// function running at pc, with the stack and frame pointers sp and fp,
// or a note saying why they cannot be told. Right at a function's first
// instruction, or just after its push fp, its frame is not made yet: the
// return address is at 0(sp) or 4(sp). In a function that keeps no
// frame, fp is its caller's: skipped is set, and what is returned is the
// caller's caller.
func (s *Session) callerOf(pc, sp, fp uint32) (ret, callerFP uint32, skipped bool, note string) {
	start, ok := s.frameStart(pc)
	switch {
	case ok && pc == start:
		ret, ok = s.word(sp)
		return ret, fp, false, unreadable(ok, sp)
	case ok && pc == start+pushFPLen:
		ret, ok1 := s.word(sp + 4)
		callerFP, ok2 := s.word(sp)
		return ret, callerFP, false, unreadable(ok1 && ok2, sp)
	case !ok && fp == 0:
		return 0, 0, true, ""
	}
	ret, callerFP, note = s.walk(fp, 0)
	return ret, callerFP, !ok, note
}

// walk returns the return address and the caller's fp saved in the
// frame at fp, or a note when the chain is broken there: fp unreadable,
// or not above the frame below it (inner, 0 for none).
func (s *Session) walk(fp, inner uint32) (ret, callerFP uint32, note string) {
	if inner != 0 && fp <= inner {
		return 0, 0, fmt.Sprintf("the frame chain is broken: fp 0x%08x is not above the frame below it (0x%08x)", fp, inner)
	}
	ret, ok1 := s.word(fp + 4)
	callerFP, ok2 := s.word(fp)
	return ret, callerFP, unreadable(ok1 && ok2, fp)
}

// unreadable returns the note for a frame whose words at addr cannot be
// read, "" when they can.
func unreadable(ok bool, addr uint32) string {
	if ok {
		return ""
	}
	return fmt.Sprintf("the frame chain is broken: the stack at 0x%08x cannot be read", addr)
}

// word returns the word at va in the current process, if present.
func (s *Session) word(va uint32) (uint32, bool) {
	p := s.current()
	if p == nil {
		return 0, false
	}
	return s.virtWord(p, va)
}

// pushFPLen is the length of `push fp`.
const pushFPLen = 2

// frameStart returns the start of the function that keeps a frame and
// holds pc: the nearest label at or before pc whose instruction is
// `push fp`, with no RET between it and pc (else pc is in a later
// routine, which keeps no frame). ok is false when there is none.
func (s *Session) frameStart(pc uint32) (uint32, bool) {
	best := uint32(0)
	found := false
	for _, sym := range s.img.Symbols {
		if sym.Value <= pc && (!found || sym.Value > best) && s.isPushFP(sym.Value) && !s.retBetween(sym.Value, pc) {
			best, found = sym.Value, true
		}
	}
	return best, found
}

// isPushFP reports whether the instruction at addr is `push fp`.
func (s *Session) isPushFP(addr uint32) bool {
	in, _, err := isa.Decode(s.textBytes(addr, isa.MaxInstLen))
	return err == nil && in.Op.Code == isa.PUSH && in.Text(addr, nil) == "push fp"
}

// retBetween reports whether a RET lies in [from, to), decoding from
// from (which must start an instruction).
func (s *Session) retBetween(from, to uint32) bool {
	for a := from; a < to; {
		in, n, err := isa.Decode(s.textBytes(a, isa.MaxInstLen))
		if err != nil || in.Op.Code == isa.RET {
			return true
		}
		a += n
	}
	return false
}

// cmdBacktrace: bt [N].
func (s *Session) cmdBacktrace(args []string) error {
	if err := wantArgs(args, 0, 1, "bt [N]"); err != nil {
		return err
	}
	n, err := s.count(args, 0, maxFrames, maxFrames)
	if err != nil {
		return err
	}
	frames, note := s.Backtrace()
	for i, f := range frames {
		if uint64(i) >= n {
			s.printf("(more frames follow)\n")
			return nil
		}
		s.printf("#%-2d %s\n", f.Level, s.whereLine(f.PC))
	}
	if note != "" {
		s.printf("(%s)\n", note)
	}
	return nil
}

// selectedFrame returns the frame frame, up or down selected, when it is
// not frame 0 (whose pc and fp are the CPU's) and still exists.
func (s *Session) selectedFrame() (Frame, bool) {
	if s.selected == 0 {
		return Frame{}, false
	}
	frames, _ := s.Backtrace()
	if s.selected >= len(frames) {
		return Frame{}, false
	}
	return frames[s.selected], true
}

// cmdFrame: frame [N]: select frame N, or show the selected one.
func (s *Session) cmdFrame(args []string) error {
	if err := wantArgs(args, 0, 1, "frame [N]"); err != nil {
		return err
	}
	if len(args) == 0 {
		return s.selectFrame(s.selected)
	}
	n, err := strconv.Atoi(args[0])
	if err != nil || n < 0 {
		return fmt.Errorf("%q is not a frame number", args[0])
	}
	return s.selectFrame(n)
}

// cmdUp: up [N]: select the frame N levels out.
func (s *Session) cmdUp(args []string) error {
	if err := wantArgs(args, 0, 1, "up [N]"); err != nil {
		return err
	}
	n, err := s.count(args, 0, 1, maxFrames)
	if err != nil {
		return err
	}
	frames, note := s.Backtrace()
	if len(frames) == 0 {
		return fmt.Errorf("no frames: %s", note)
	}
	if s.selected == len(frames)-1 {
		return fmt.Errorf("initial frame selected; you cannot go up")
	}
	return s.selectFrame(min(s.selected+int(n), len(frames)-1))
}

// cmdDown: down [N]: select the frame N levels in.
func (s *Session) cmdDown(args []string) error {
	if err := wantArgs(args, 0, 1, "down [N]"); err != nil {
		return err
	}
	n, err := s.count(args, 0, 1, maxFrames)
	if err != nil {
		return err
	}
	if s.selected == 0 {
		return fmt.Errorf("bottom (innermost) frame selected; you cannot go down")
	}
	return s.selectFrame(max(s.selected-int(n), 0))
}

// selectFrame selects frame n and prints it, as gdb does: its level, its
// pc's place and its instruction. It returns an error for a frame the
// backtrace does not have.
func (s *Session) selectFrame(n int) error {
	frames, note := s.Backtrace()
	if n >= len(frames) {
		if note != "" {
			return fmt.Errorf("no frame %d: the backtrace has %d (%s)", n, len(frames), note)
		}
		return fmt.Errorf("no frame %d: the backtrace has %d", n, len(frames))
	}
	s.selected = n
	text, _ := s.instText(frames[n].PC)
	s.printf("#%-2d %s  %s\n", n, s.whereLine(frames[n].PC), text)
	return nil
}

// infoFrame: info frame: the selected frame's pc, fp, where its caller's
// pc and fp are saved, and where its arguments and locals lie under the
// calling convention (docs/isa.md).
func (s *Session) infoFrame() error {
	frames, note := s.Backtrace()
	if len(frames) == 0 {
		return fmt.Errorf("%s", note)
	}
	n := min(s.selected, len(frames)-1)
	f := frames[n]
	s.printf("frame %d at %s, fp 0x%08x\n", n, s.whereLine(f.PC), f.FP)
	if n+1 < len(frames) {
		s.printf("  called by frame %d at %s\n", n+1, s.whereLine(frames[n+1].PC))
	}
	if n > 0 {
		s.printf("  caller of frame %d\n", n-1)
	}
	if f.FP != 0 && (n > 0 || s.keepsFrame(f.PC)) {
		s.printf("  saved fp at 0x%08x, return address at 0x%08x\n", f.FP, f.FP+4)
		s.printf("  arguments from 0x%08x (8(fp)), locals below 0x%08x (-4(fp) down)\n", f.FP+8, f.FP)
	}
	if note != "" {
		s.printf("  (%s)\n", note)
	}
	return nil
}

// keepsFrame reports whether the function running at pc has made its
// frame: it keeps one, and pc is past its `push fp; mov sp, fp`.
func (s *Session) keepsFrame(pc uint32) bool {
	start, ok := s.frameStart(pc)
	return ok && pc > start+pushFPLen
}
