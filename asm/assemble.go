package asm

import (
	"fmt"
	"path/filepath"
	"slices"
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

// String returns the section's directive: ".text" or ".data".
func (s section) String() string { return [...]string{".text", ".data"}[s] }

// Limits that keep a program (and a fuzzed input) within reason: a
// section spans at most maxSection bytes, and at most maxStored of them
// are stored in the image (a trailing .space costs nothing).
const (
	maxSection = 256 << 20
	maxStored  = 16 << 20
)

// item is a statement that pass 2 emits (an instruction, or a directive
// that stores bytes), placed by pass 1 in a section.
type item struct {
	statement
	op   *isa.Op    // an instruction, or
	dir  *directive // a directive
	sec  section
	off  uint32
	size uint32
}

// assembler holds the state of the two passes.
type assembler struct {
	errs  ErrorList
	syms  symtab
	items []item
	sec   section
	size  [numSections]uint64 // bytes placed so far
	full  [numSections]bool   // a size limit was reported
	base  [numSections]uint32
	out   [numSections][]byte
	lines []image.Line

	// The program's files (source.go).
	open        opener
	main        *sourceFile
	files       map[string]*sourceFile // by key
	runs        []run                  // in reading order
	line        int32                  // the number of lines read, in every file
	sourceBytes int                    // the bytes read, in every file

	suggestions int // undefined names given a suggestion so far

	// Buffers that pass 1 reuses from line to line.
	toks  []token
	args  []arg
	terms []term
}

// Assemble assembles the source text of filename (docs/isa.md section 11)
// into an image, reading the files it includes from filename's folder on
// the host. Its error is an ErrorList of every error in the program,
// sorted by position; the image is then nil.
func Assemble(filename string, src []byte) (*image.Image, error) {
	main := &sourceFile{key: filepath.Base(filename), shown: filename}
	a := newAssembler(main, hostFiles{dir: filepath.Dir(filename)})
	if err := a.count(len(src)); err != nil {
		a.runs = append(a.runs, run{from: 1, file: main, first: 1})
		a.errorf(loc{1, 1}, "%v", err)
		return nil, a.errs.Err()
	}
	a.pass1(string(src))
	return a.finish()
}

// newAssembler returns an assembler for a program whose main file is
// main, reading the files it includes with open.
func newAssembler(main *sourceFile, open opener) *assembler {
	return &assembler{open: open, main: main, files: map[string]*sourceFile{main.key: main}}
}

// finish places the sections, runs pass 2 and builds the image; it
// returns the ErrorList of both passes instead if there were errors.
func (a *assembler) finish() (*image.Image, error) {
	a.layout()
	a.pass2()
	img := a.build()
	if err := a.errs.Err(); err != nil {
		return nil, err
	}
	return img, nil
}

// errorf records an error at l.
func (a *assembler) errorf(l loc, format string, args ...any) {
	e := &Error{Pos: a.pos(l), Msg: fmt.Sprintf(format, args...), Included: a.includedFrom(l), order: l}
	a.errs = append(a.errs, e)
}

// pass1 reads the program line by line, the main file's text being src,
// each line on its own (a mistake on one line stops nothing else): it
// defines the labels and works out every statement's size. A line is
// parsed, placed and forgotten before the next is read, so that only what
// pass 2 needs outlives it. The symbol table has room at once for a name
// a line of the main file, so that it never grows: for a large program,
// growing the table costs more than filling it.
func (a *assembler) pass1(src string) {
	a.syms = symtab{byName: make(map[string]*symbol, strings.Count(src, "\n"))}
	a.readFile(a.main, src)
}

// readLine parses the line numbered n in reading order, defines its label
// and places its statement. A blank or comment line is only lexed.
func (a *assembler) readLine(n int32, text string) {
	a.toks = lexLine(text, a.toks[:0])
	if len(a.toks) == 1 {
		return
	}
	p := parser{text: text, toks: a.toks, line: n, args: a.args[:0], terms: a.terms}
	lab, st := p.parseLine()
	a.args, a.terms = p.args, p.terms
	if p.err != nil {
		a.errorf(loc{n, p.err.col}, "%s", p.err.msg)
	}
	if lab != nil {
		a.defineLabel(lab)
	}
	if st != nil {
		a.place(st)
	}
}

// place sizes one statement and adds it to the current section; it is
// kept for pass 2 if it emits bytes.
func (a *assembler) place(st *statement) {
	it := item{statement: *st, sec: a.sec, off: uint32(a.size[a.sec])}
	ok := false
	if d := directives[st.name]; d != nil {
		it.dir = d
		it.size, ok = d.size(a, st)
	} else if op := instruction(st.name); op != nil {
		it.op = op
		it.size, ok = a.checkInst(st, op)
	} else {
		a.errorf(st.at, "%s", unknownName(st.name))
	}
	if !ok {
		return
	}
	a.grow(&it)
	if it.op != nil || it.dir.emit != nil {
		it.args = slices.Clone(it.args) // out of the parser's buffer, exactly as long as needed
		a.items = append(a.items, it)
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
		a.errorf(it.at, "%s grows beyond %d MiB", it.sec, maxSection>>20)
	case stored && a.size[it.sec] > maxStored:
		a.full[it.sec] = true
		a.errorf(it.at, "%s holds more than %d MiB of initialised bytes", it.sec, maxStored>>20)
	}
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
// that has grown too large: its errors are reported already), then works
// out every .equ that no item used, so that its errors are reported too.
func (a *assembler) pass2() {
	for i := range a.items {
		it := &a.items[i]
		if a.full[it.sec] {
			continue
		}
		if it.op != nil {
			a.encode(it)
		} else {
			it.dir.emit(a, it)
		}
	}
	for _, s := range a.syms.all {
		if s.kind == image.SymEqu {
			a.equValue(s)
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
	f, line := a.fileLine(it.at)
	a.lines = append(a.lines, image.Line{Addr: a.addr(it), File: f.key, Line: line, Col: int(it.at.col)})
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

// segment returns the image segment of section sec.
func (a *assembler) segment(sec section, name string, perm image.Perm) image.Segment {
	size := uint32(min(a.size[sec], maxSection))
	return image.Segment{Name: name, Addr: a.base[sec], Size: size, Perm: perm, Data: a.out[sec]}
}

// entry returns the address of the label start, or the start of .text.
func (a *assembler) entry() uint32 {
	s := a.syms.byName["start"]
	if s == nil {
		return isa.TextBase
	}
	if s.kind != image.SymLabel || s.sec != textSection {
		a.errorf(s.at, "start must be a label in .text: execution starts there")
		return isa.TextBase
	}
	return a.base[s.sec] + s.off
}
