package asm

import (
	"fmt"
	"strings"

	"toyvm/image"
	"toyvm/isa"
)

// section is where statements are placed: .text or .data.
type section uint8

const (
	textSection section = iota
	dataSection
	numSections
)

func (s section) String() string { return [...]string{".text", ".data"}[s] }

// Limits that keep a program (and a fuzzed input) within reason: a
// section spans at most maxSection bytes, and at most maxStored of them
// are stored in the image (a trailing .space costs nothing).
const (
	maxSection = 256 << 20
	maxStored  = 16 << 20
)

// equState is how far an .equ's value has been worked out.
type equState uint8

const (
	equUnresolved equState = iota
	equResolving           // being evaluated: meeting it again is a cycle
	equResolved
	equFailed // an error was reported
)

// symbol is a label (a section and an offset, known in pass 1) or an
// .equ name (an expression, evaluated when first needed).
type symbol struct {
	name  string
	kind  image.SymKind
	pos   Pos
	sec   section
	off   uint32
	expr  *expr
	state equState
	value uint32
}

// item is one statement placed in a section by pass 1.
type item struct {
	st   *statement
	op   *isa.Op    // an instruction, or
	dir  *directive // a directive
	sec  section
	off  uint32
	size uint32
}

// assembler holds the state of the two passes.
type assembler struct {
	file  string
	errs  ErrorList
	syms  map[string]*symbol
	order []*symbol // in definition order
	items []*item
	sec   section
	size  [numSections]uint64 // bytes placed so far
	full  [numSections]bool   // a size limit was reported
	base  [numSections]uint32
	out   [numSections][]byte
	lines []image.Line
}

// Assemble assembles the source text of filename (docs/isa.md section 11)
// into an image. Its error is an ErrorList of every error in the file,
// sorted by position; the image is then nil.
func Assemble(filename string, src []byte) (*image.Image, error) {
	a := &assembler{file: filename, syms: map[string]*symbol{}}
	a.pass1(parseSource(filename, src, &a.errs))
	a.layout()
	a.pass2()
	img := a.build()
	if err := a.errs.Err(); err != nil {
		return nil, err
	}
	return img, nil
}

// pass1 defines the labels and works out every statement's size.
func (a *assembler) pass1(lines []*line) {
	for _, l := range lines {
		if l.label != nil {
			a.defineLabel(l.label)
		}
		if l.stmt != nil {
			a.place(l.stmt)
		}
	}
}

// place sizes one statement and adds it to the current section.
func (a *assembler) place(st *statement) {
	it := &item{st: st, sec: a.sec, off: uint32(a.size[a.sec])}
	ok := false
	if d := directives[st.name]; d != nil {
		it.dir = d
		it.size, ok = d.size(a, st)
	} else if op := isa.ByName(st.name); op != nil && !strings.HasPrefix(st.name, ".") {
		it.op = op
		it.size, ok = a.checkInst(st, op)
	} else {
		a.errs.Add(st.pos, "%s", unknownName(st.name))
	}
	if ok {
		a.items = append(a.items, it)
		a.grow(it)
	}
}

// grow advances the item's section past it, reporting (once) a section
// that grows beyond the limits.
func (a *assembler) grow(it *item) {
	a.size[it.sec] += uint64(it.size)
	stored := it.op != nil || (it.dir.emits && it.size > 0)
	switch {
	case a.full[it.sec]:
	case a.size[it.sec] > maxSection:
		a.full[it.sec] = true
		a.errs.Add(it.st.pos, "%s grows beyond %d MiB", it.sec, maxSection>>20)
	case stored && a.size[it.sec] > maxStored:
		a.full[it.sec] = true
		a.errs.Add(it.st.pos, "%s holds more than %d MiB of initialised bytes", it.sec, maxStored>>20)
	}
}

// defineLabel defines a label at the current position.
func (a *assembler) defineLabel(l *label) {
	if _, isReg := parseRegister(l.name); isReg {
		a.errs.Add(l.pos, "label %q is a register name", l.name)
		return
	}
	a.define(&symbol{name: l.name, kind: image.SymLabel, pos: l.pos, sec: a.sec, off: uint32(a.size[a.sec])})
}

// define adds a symbol, refusing a second definition of its name.
func (a *assembler) define(s *symbol) {
	if old := a.syms[s.name]; old != nil {
		a.errs.Add(s.pos, "duplicate %s %q: first defined at %s", s.kind, s.name, old.pos)
		return
	}
	a.syms[s.name] = s
	a.order = append(a.order, s)
}

// layout places the sections: .text at isa.TextBase, .data from the next
// page boundary after the end of the text (the page after TextBase if
// there is no text, so that the two never share a page).
func (a *assembler) layout() {
	a.base[textSection] = isa.TextBase
	end := uint32(isa.TextBase + min(a.size[textSection], maxSection))
	if end == isa.TextBase {
		end++
	}
	a.base[dataSection] = isa.PageUp(end)
}

// pass2 encodes every item with all symbols known (but none in a section
// that has grown too large: its errors are reported already).
func (a *assembler) pass2() {
	for _, it := range a.items {
		if a.full[it.sec] {
			continue
		}
		if it.op != nil {
			a.encode(it)
		} else if it.dir.emit != nil {
			it.dir.emit(a, it)
		}
	}
	for _, s := range a.order {
		if s.kind == image.SymEqu {
			a.equValue(s, true)
		}
	}
}

// addr returns the address of an item.
func (a *assembler) addr(it *item) uint32 { return a.base[it.sec] + it.off }

// write stores the bytes of an item at its offset, zero-filling any gap
// left by .space or .align, and records its source line.
func (a *assembler) write(it *item, b []byte) {
	out := a.out[it.sec]
	if gap := int(it.off) - len(out); gap > 0 {
		out = append(out, make([]byte, gap)...)
	}
	if uint32(len(out)) != it.off {
		panic(fmt.Sprintf("asm.write: item at offset %d written after offset %d", it.off, len(out)))
	}
	a.out[it.sec] = append(out, b...)
	a.lines = append(a.lines, image.Line{Addr: a.addr(it), File: a.file, Line: it.st.pos.Line, Col: it.st.pos.Col})
}

// eval returns the value of e with every symbol known, reporting each
// undefined name; false if the value is unknown.
func (a *assembler) eval(e *expr) (uint32, bool) {
	return e.sum(func(t term) (uint32, bool) { return a.lookup(t, true) }, true)
}

// constant returns the value of e in pass 1, where it may only use
// numbers and .equ names of numbers defined above; what names the value
// in the error reported otherwise.
func (a *assembler) constant(e *expr, what string) (uint32, bool) {
	v, ok := e.sum(func(t term) (uint32, bool) { return a.lookup(t, false) }, false)
	if !ok {
		a.errs.Add(e.pos, "%s must be a constant: a number, or an .equ of numbers defined above", what)
	}
	return v, ok
}

// lookup returns the value of the name in t. When final is false (pass
// 1) labels have no value yet and nothing is reported.
func (a *assembler) lookup(t term, final bool) (uint32, bool) {
	s := a.syms[t.name]
	switch {
	case s == nil && final && looksLikeRegister(t.name):
		a.errs.Add(t.pos, "undefined label %q (the registers are r0-r15, sp and fp)", t.name)
		return 0, false
	case s == nil && final:
		a.errs.Add(t.pos, "undefined label %q", t.name)
		return 0, false
	case s == nil:
		return 0, false
	case s.kind == image.SymEqu:
		return a.equValue(s, final)
	case final:
		return a.base[s.sec] + s.off, true
	}
	return 0, false
}

// equValue returns the value of an .equ name, evaluating it on first
// use; a failure is remembered only when final (after pass 1).
func (a *assembler) equValue(s *symbol, final bool) (uint32, bool) {
	switch s.state {
	case equResolved:
		return s.value, true
	case equFailed:
		return 0, false
	case equResolving:
		if final {
			a.errs.Add(s.pos, ".equ %s depends on itself", s.name)
			s.state = equFailed
		}
		return 0, false
	}
	s.state = equResolving
	v, ok := s.expr.sum(func(t term) (uint32, bool) { return a.lookup(t, final) }, final)
	switch {
	case ok && s.state == equResolving:
		s.state, s.value = equResolved, v
	case final:
		s.state = equFailed
	default:
		s.state = equUnresolved
	}
	return v, s.state == equResolved
}

// build builds the image from the assembled sections.
func (a *assembler) build() *image.Image {
	img := &image.Image{Entry: a.entry(), Symbols: a.symbols(), Lines: a.lines}
	img.Segments = append(img.Segments, a.segment(textSection, "text", image.PermR|image.PermX))
	if a.size[dataSection] > 0 {
		img.Segments = append(img.Segments, a.segment(dataSection, "data", image.PermR|image.PermW))
	}
	return img
}

func (a *assembler) segment(sec section, name string, perm image.Perm) image.Segment {
	size := uint32(min(a.size[sec], maxSection))
	return image.Segment{Name: name, Addr: a.base[sec], Size: size, Perm: perm, Data: a.out[sec]}
}

// entry returns the address of the label start, or the start of .text.
func (a *assembler) entry() uint32 {
	s := a.syms["start"]
	if s == nil {
		return isa.TextBase
	}
	if s.kind != image.SymLabel || s.sec != textSection {
		a.errs.Add(s.pos, "start must be a label in .text: execution starts there")
		return isa.TextBase
	}
	return a.base[s.sec] + s.off
}

// symbols returns the symbol table in definition order.
func (a *assembler) symbols() []image.Symbol {
	var out []image.Symbol
	for _, s := range a.order {
		v := s.value
		if s.kind == image.SymLabel {
			v = a.base[s.sec] + s.off
		}
		out = append(out, image.Symbol{Name: s.name, Value: v, Kind: s.kind})
	}
	return out
}
