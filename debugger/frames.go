package debugger

import (
	"toyvm/isa"
	"toyvm/kernel"
)

// frameWatch follows the calls and returns of one process, as finish,
// until and next need, gdb-style, by frame depth rather than by the
// stack pointer (which a function's own epilogue moves): after each
// instruction the process runs, a CALL makes the depth one deeper, a
// RET one shallower; a RET at depth 0 returns from the function the
// watch started in.
type frameWatch struct {
	s        *Session
	p        *kernel.Process
	next     isa.Opcode // the operation the process runs next
	depth    int
	returned bool
}

// watchFrames starts a watch on the process running now, at depth 0.
func (s *Session) watchFrames() *frameWatch {
	w := &frameWatch{s: s, p: s.k.Current()}
	w.next = w.opAt(s.k.CPU.PC)
	return w
}

// after accounts the last step: if it retired an instruction of the
// watched process, that instruction (w.next) moves the depth; then it
// reads the process's next operation.
func (w *frameWatch) after() {
	if w.s.retiredBy == w.p {
		switch w.next {
		case isa.CALL:
			w.depth++
		case isa.RET:
			if w.depth == 0 {
				w.returned = true
			}
			w.depth--
		}
	}
	w.next = w.opAt(w.pc())
}

// here reports whether the watched process is the one running.
func (w *frameWatch) here() bool { return w.s.k.Current() == w.p }

// pc returns the watched process's next pc: the CPU's while it runs,
// its saved one while another does.
func (w *frameWatch) pc() uint32 {
	if w.here() {
		return w.s.k.CPU.PC
	}
	return w.p.Ctx.PC
}

// opAt returns the operation of the watched process's instruction at pc
// (0 if it cannot be read).
func (w *frameWatch) opAt(pc uint32) isa.Opcode {
	in, _, err := isa.Decode(w.s.textBytesOf(w.p, pc, isa.MaxInstLen))
	if err != nil {
		return 0
	}
	return in.Op.Code
}
