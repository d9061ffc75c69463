package image

import (
	"bytes"
	"encoding/binary"
	"fmt"

	"toyvm/isa"
)

// Perm is a segment's permissions.
type Perm uint8

const (
	PermR Perm = 1 << iota // readable
	PermW                  // writable
	PermX                  // executable
)

// String returns the permissions as "r-x".
func (p Perm) String() string {
	b := []byte("---")
	for i, c := range "rwx" {
		if p&(1<<i) != 0 {
			b[i] = byte(c)
		}
	}
	return string(b)
}

// Segment is a range of the user address space and its initial bytes.
// len(Data) <= Size; the rest is zero.
type Segment struct {
	Name string
	Addr uint32
	Size uint32
	Perm Perm
	Data []byte
}

// End returns the first address after the segment (as a uint64, so that
// it cannot wrap).
func (s *Segment) End() uint64 { return uint64(s.Addr) + uint64(s.Size) }

// SymKind says what a symbol names.
type SymKind uint8

const (
	SymLabel SymKind = iota // an address in the program
	SymEqu                  // a value given by .equ
)

// String returns "label" or "equ".
func (k SymKind) String() string {
	switch k {
	case SymLabel:
		return "label"
	case SymEqu:
		return "equ"
	}
	return fmt.Sprintf("symkind(%d)", uint8(k))
}

// Symbol is a label or an .equ name and its value.
type Symbol struct {
	Name  string
	Value uint32
	Kind  SymKind
}

// Line maps the address of an instruction or data directive to its
// place in the source, for the debugger.
type Line struct {
	Addr uint32
	File string
	Line int
	Col  int
}

// Image is an assembled program: what the kernel loads.
type Image struct {
	Entry    uint32
	Segments []Segment
	Symbols  []Symbol // in definition order
	Lines    []Line   // in address order within each segment
}

// SymbolAt returns the name of the first label defined at addr, or ""
// if there is none. It is an isa.Namer.
func (img *Image) SymbolAt(addr uint32) string {
	for _, s := range img.Symbols {
		if s.Kind == SymLabel && s.Value == addr {
			return s.Name
		}
	}
	return ""
}

// LineAt returns the source line of the instruction or data at addr.
func (img *Image) LineAt(addr uint32) (Line, bool) {
	for _, l := range img.Lines {
		if l.Addr == addr {
			return l, true
		}
	}
	return Line{}, false
}

// checkLayout checks what Load and MarshalBinary both require of the
// segments and the entry point: inside the user space, in ascending
// order without overlap, the entry inside an executable segment. It
// returns the index of the offending segment (-1 for the entry) and a
// message, or "" if all is well.
func (img *Image) checkLayout() (int, string) {
	var prevEnd uint64
	for i := range img.Segments {
		if msg := checkSegment(&img.Segments[i], i, prevEnd); msg != "" {
			return i, msg
		}
		prevEnd = img.Segments[i].End()
	}
	for i := range img.Segments {
		if s := &img.Segments[i]; s.Perm&PermX != 0 && inside(img.Entry, s) {
			return 0, ""
		}
	}
	return -1, fmt.Sprintf("entry 0x%08x is not inside an executable segment", img.Entry)
}

// checkSegment checks segment i, which must start at or after prevEnd.
func checkSegment(s *Segment, i int, prevEnd uint64) string {
	switch {
	case uint64(len(s.Data)) > uint64(s.Size):
		return fmt.Sprintf("segment %d has %d bytes of data, more than its size %d", i, len(s.Data), s.Size)
	case s.Perm > PermR|PermW|PermX:
		return fmt.Sprintf("segment %d has unknown permission bits 0x%02x", i, uint8(s.Perm))
	case s.Addr < isa.TextBase || s.End() > isa.StackTop:
		return fmt.Sprintf("segment %d [0x%08x, 0x%08x) lies outside the user space [0x%08x, 0x%08x)",
			i, s.Addr, s.End(), isa.TextBase, uint64(isa.StackTop))
	case uint64(s.Addr) < prevEnd:
		return fmt.Sprintf("segment %d at 0x%08x overlaps or precedes the segment before it (which ends at 0x%08x)",
			i, s.Addr, prevEnd)
	}
	return ""
}

// inside reports whether addr lies in s; an empty segment holds only its
// start address, so that an empty program has an entry point.
func inside(addr uint32, s *Segment) bool {
	if s.Size == 0 {
		return addr == s.Addr
	}
	return uint64(addr) >= uint64(s.Addr) && uint64(addr) < s.End()
}

// The image format, version 1. Integers are little-endian; a string is
// a u16 length and its bytes.
//
//	magic "TVMI", version u32, entry u32
//	segment count u32, then each: name, addr u32, size u32, perm u8, data length u32, data
//	symbol count u32, then each: name, value u32, kind u8
//	file count u32, then each: name
//	line count u32, then each: addr u32, file index u32, line u32, col u32
//
// and nothing after.
const (
	imageMagic   = "TVMI"
	imageVersion = 1

	minSegmentLen = 2 + 4 + 4 + 1 + 4
	minSymbolLen  = 2 + 4 + 1
	minFileLen    = 2
	lineLen       = 4 * 4
)

// HasMagic reports whether data starts with the magic number of the image
// format, "TVMI": whether it claims to be a toyvm image (Load checks the
// rest).
func HasMagic(data []byte) bool { return bytes.HasPrefix(data, []byte(imageMagic)) }

// MarshalBinary returns the image in the image format. It returns an
// error for an image that Load would refuse (a bad layout, a name longer
// than 65535 bytes).
func (img *Image) MarshalBinary() ([]byte, error) {
	if _, msg := img.checkLayout(); msg != "" {
		return nil, fmt.Errorf("image: %s", msg)
	}
	w := &writer{}
	w.bytes([]byte(imageMagic))
	w.u32(imageVersion)
	w.u32(img.Entry)
	w.segments(img.Segments)
	w.symbols(img.Symbols)
	w.lines(img.Lines)
	if w.err != nil {
		return nil, w.err
	}
	return w.out, nil
}

// writer appends the fields of the image format.
type writer struct {
	out []byte
	err error
}

func (w *writer) u8(v uint8)     { w.out = append(w.out, v) }
func (w *writer) u32(v uint32)   { w.out = binary.LittleEndian.AppendUint32(w.out, v) }
func (w *writer) bytes(b []byte) { w.out = append(w.out, b...) }
func (w *writer) count(n int)    { w.u32(uint32(n)) }
func (w *writer) str(s string) {
	if len(s) > 0xFFFF {
		w.err = fmt.Errorf("image: name %.20q... is longer than 65535 bytes", s)
	}
	w.out = binary.LittleEndian.AppendUint16(w.out, uint16(len(s)))
	w.out = append(w.out, s[:min(len(s), 0xFFFF)]...)
}

func (w *writer) segments(segs []Segment) {
	w.count(len(segs))
	for _, s := range segs {
		w.str(s.Name)
		w.u32(s.Addr)
		w.u32(s.Size)
		w.u8(uint8(s.Perm))
		w.count(len(s.Data))
		w.bytes(s.Data)
	}
}

func (w *writer) symbols(syms []Symbol) {
	w.count(len(syms))
	for _, s := range syms {
		w.str(s.Name)
		w.u32(s.Value)
		w.u8(uint8(s.Kind))
	}
}

// lines writes the file table, then the lines with file indexes.
func (w *writer) lines(lines []Line) {
	var files []string
	index := map[string]uint32{}
	for _, l := range lines {
		if _, ok := index[l.File]; !ok {
			index[l.File] = uint32(len(files))
			files = append(files, l.File)
		}
	}
	w.count(len(files))
	for _, f := range files {
		w.str(f)
	}
	w.count(len(lines))
	for _, l := range lines {
		w.u32(l.Addr)
		w.u32(index[l.File])
		w.u32(uint32(l.Line))
		w.u32(uint32(l.Col))
	}
}
