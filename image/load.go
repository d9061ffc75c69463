package image

import (
	"encoding/binary"
	"fmt"
)

// Load decodes an image written by MarshalBinary. It refuses a
// truncated, foreign, wrong-version or corrupt image with an error that
// names the byte offset of the problem ("image: offset 24: ..."). Every
// length is checked against the bytes left before anything is
// allocated, so a corrupt length never causes a large allocation.
func Load(data []byte) (*Image, error) {
	r := &reader{data: data}
	img := &Image{}
	r.header(img)
	segOffsets := r.segments(img)
	r.layout(img, segOffsets)
	r.symbols(img)
	r.lines(img)
	r.end()
	if r.err != nil {
		return nil, r.err
	}
	return img, nil
}

// reader decodes the image format field by field. The first error
// sticks: later reads return zero values and change nothing.
type reader struct {
	data []byte
	off  int
	err  error
}

// failAt records an error at byte offset at, unless one is recorded.
func (r *reader) failAt(at int, format string, args ...any) {
	if r.err == nil {
		r.err = fmt.Errorf("image: offset %d: %s", at, fmt.Sprintf(format, args...))
	}
}

// take returns the next n bytes, or nil after recording that the file
// ends inside the named field.
func (r *reader) take(n int, field string) []byte {
	if r.err != nil {
		return nil
	}
	if n > len(r.data)-r.off {
		r.failAt(r.off, "truncated: the file ends inside the %s", field)
		return nil
	}
	b := r.data[r.off : r.off+n]
	r.off += n
	return b
}

func (r *reader) u8(field string) uint8 {
	if b := r.take(1, field); b != nil {
		return b[0]
	}
	return 0
}

func (r *reader) u16(field string) uint16 {
	if b := r.take(2, field); b != nil {
		return binary.LittleEndian.Uint16(b)
	}
	return 0
}

func (r *reader) u32(field string) uint32 {
	if b := r.take(4, field); b != nil {
		return binary.LittleEndian.Uint32(b)
	}
	return 0
}

// str reads a u16 length and that many bytes.
func (r *reader) str(field string) string {
	at := r.off
	n := int(r.u16(field + " length"))
	if r.err == nil && n > len(r.data)-r.off {
		r.failAt(at, "%s length %d runs past the end of the file", field, n)
	}
	return string(r.take(n, field))
}

// count reads a record count, refusing one that cannot fit in the bytes
// left when each record takes at least minLen bytes.
func (r *reader) count(field string, minLen int) int {
	at := r.off
	n := r.u32(field + " count")
	if left := len(r.data) - r.off; r.err == nil && uint64(n)*uint64(minLen) > uint64(left) {
		r.failAt(at, "%s count %d exceeds the file (%d bytes left)", field, n, left)
		return 0
	}
	return int(n)
}

// header reads and checks the magic number and version, and the entry.
func (r *reader) header(img *Image) {
	if magic := r.take(len(imageMagic), "magic number"); r.err == nil && string(magic) != imageMagic {
		r.failAt(0, "not a toyvm image (it starts with %q, not %q)", magic, imageMagic)
	}
	if v := r.u32("version"); r.err == nil && v != imageVersion {
		r.failAt(len(imageMagic), "image version %d is not supported (this toyvm reads version %d)", v, imageVersion)
	}
	img.Entry = r.u32("entry point")
}

// segments reads the segments and returns the offset of each one.
func (r *reader) segments(img *Image) []int {
	n := r.count("segment", minSegmentLen)
	if n == 0 {
		return nil
	}
	img.Segments = make([]Segment, n)
	offsets := make([]int, n)
	for i := 0; i < n && r.err == nil; i++ {
		offsets[i] = r.off
		r.segment(&img.Segments[i])
	}
	return offsets
}

// segment reads one segment; its data may not exceed its size.
func (r *reader) segment(s *Segment) {
	s.Name = r.str("segment name")
	s.Addr = r.u32("segment address")
	s.Size = r.u32("segment size")
	s.Perm = Perm(r.u8("segment permissions"))
	at := r.off
	n := r.u32("segment data length")
	switch {
	case r.err != nil:
	case n > s.Size:
		r.failAt(at, "segment data length %d exceeds the segment size %d", n, s.Size)
	case uint64(n) > uint64(len(r.data)-r.off):
		r.failAt(at, "segment data length %d runs past the end of the file", n)
	case n > 0:
		s.Data = append([]byte(nil), r.take(int(n), "segment data")...)
	}
}

// layout checks the segments and the entry (Image.checkLayout), naming
// the offset of the offending segment or of the entry point.
func (r *reader) layout(img *Image, segOffsets []int) {
	if r.err != nil {
		return
	}
	i, msg := img.checkLayout()
	switch {
	case msg == "":
	case i < 0:
		r.failAt(len(imageMagic)+4, "%s", msg)
	default:
		r.failAt(segOffsets[i], "%s", msg)
	}
}

func (r *reader) symbols(img *Image) {
	n := r.count("symbol", minSymbolLen)
	if n == 0 {
		return
	}
	img.Symbols = make([]Symbol, n)
	for i := 0; i < n && r.err == nil; i++ {
		s := &img.Symbols[i]
		s.Name = r.str("symbol name")
		s.Value = r.u32("symbol value")
		at := r.off
		if s.Kind = SymKind(r.u8("symbol kind")); r.err == nil && s.Kind > SymEqu {
			r.failAt(at, "symbol %q has unknown kind %d", s.Name, s.Kind)
		}
	}
}

// lines reads the file table and the line table.
func (r *reader) lines(img *Image) {
	files := make([]string, r.count("file", minFileLen))
	for i := 0; i < len(files) && r.err == nil; i++ {
		files[i] = r.str("file name")
	}
	n := r.count("line", lineLen)
	if n == 0 {
		return
	}
	img.Lines = make([]Line, n)
	for i := 0; i < n && r.err == nil; i++ {
		r.line(&img.Lines[i], files)
	}
}

func (r *reader) line(l *Line, files []string) {
	l.Addr = r.u32("line address")
	at := r.off
	f := r.u32("line file")
	l.Line = int(r.u32("line number"))
	l.Col = int(r.u32("line column"))
	if r.err == nil && uint64(f) >= uint64(len(files)) {
		r.failAt(at, "line entry names file %d, but there are %d files", f, len(files))
		return
	}
	if r.err == nil {
		l.File = files[f]
	}
}

// end refuses bytes after the last field.
func (r *reader) end() {
	if r.err == nil && r.off != len(r.data) {
		r.failAt(r.off, "%d bytes of trailing garbage after the image", len(r.data)-r.off)
	}
}
