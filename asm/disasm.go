package asm

import (
	"encoding/binary"
	"errors"
	"fmt"
	"sort"
	"strings"

	"toyvm/image"
	"toyvm/isa"
)

// Disassemble returns the listing `toyvm disasm` prints: the entry
// point, then for each segment a header, its labels on their own lines,
// and one line per instruction (text segments) or per run of data (other
// segments) with the address, the bytes and the assembler text. Bytes
// that do not decode are listed as ".byte 0xNN ; illegal" and decoding
// goes on at the next byte; a zero tail not stored in the image, and any
// run of minSpace zero bytes, is listed as .space.
func Disassemble(img *image.Image) string {
	l := newLister(img)
	fmt.Fprintf(&l.sb, "entry 0x%08x%s\n", img.Entry, angled(img.SymbolAt(img.Entry)))
	for i := range img.Segments {
		s := &img.Segments[i]
		nextStartsHere := i+1 < len(img.Segments) && uint64(img.Segments[i+1].Addr) == s.End()
		l.segment(s, !nextStartsHere)
	}
	return l.sb.String()
}

// newLister indexes the labels of img by address.
func newLister(img *image.Image) *lister {
	l := &lister{img: img, labels: map[uint32][]string{}}
	for _, s := range img.Symbols {
		if s.Kind != image.SymLabel {
			continue
		}
		if len(l.labels[s.Value]) == 0 {
			l.stops = append(l.stops, s.Value)
		}
		l.labels[s.Value] = append(l.labels[s.Value], s.Name)
	}
	sort.Slice(l.stops, func(i, j int) bool { return l.stops[i] < l.stops[j] })
	return l
}

// angled returns " <name>", or "" for no name.
func angled(name string) string {
	if name == "" {
		return ""
	}
	return " <" + name + ">"
}

// lister builds a listing.
type lister struct {
	sb     strings.Builder
	img    *image.Image
	labels map[uint32][]string // label names by address, in definition order
	stops  []uint32            // label addresses, sorted
}

// hexWidth is the width of the bytes column: 11 bytes, the longest
// two-operand instruction.
const hexWidth = 11*3 - 1

// segment lists one segment; withEnd lists the labels at its end address
// too (unless the next segment starts there and will list them).
func (l *lister) segment(s *image.Segment, withEnd bool) {
	stored := min(uint32(len(s.Data)), s.Size)
	fmt.Fprintf(&l.sb, "\nsegment %s 0x%08x-0x%08x %s (%d bytes)\n", s.Name, s.Addr, s.End(), s.Perm, s.Size)
	for off := uint32(0); off < s.Size; {
		l.labelsAt(s.Addr + off)
		limit := min(l.nextStop(s, off), stored)
		switch {
		case off >= stored:
			off += l.space(s, off, l.nextStop(s, off))
		case zeros(s.Data[off:limit]) >= minSpace:
			off += l.space(s, off, off+zeros(s.Data[off:limit]))
		case s.Perm&image.PermX != 0:
			off += l.inst(s, off, limit)
		default:
			off += l.data(s, off, limit)
		}
	}
	if withEnd {
		l.labelsAt(uint32(s.End()))
	}
}

// labelsAt lists the labels at addr.
func (l *lister) labelsAt(addr uint32) {
	for _, name := range l.labels[addr] {
		fmt.Fprintf(&l.sb, "%s:\n", name)
	}
}

// nextStop returns the offset in s of the first label after off, or the
// segment size: listing lines never run across a label.
func (l *lister) nextStop(s *image.Segment, off uint32) uint32 {
	addr := s.Addr + off
	i := sort.Search(len(l.stops), func(i int) bool { return l.stops[i] > addr })
	if i < len(l.stops) && uint64(l.stops[i]) < s.End() {
		return l.stops[i] - s.Addr
	}
	return s.Size
}

// line lists one line: address, bytes, text.
func (l *lister) line(addr uint32, b []byte, text string) {
	hex := make([]string, len(b))
	for i, c := range b {
		hex[i] = fmt.Sprintf("%02x", c)
	}
	fmt.Fprintf(&l.sb, "  %08x  %-*s  %s\n", addr, hexWidth, strings.Join(hex, " "), text)
}

// inst lists the instruction at off, decoding no further than limit, and
// returns its length; an undecodable byte is listed alone.
func (l *lister) inst(s *image.Segment, off, limit uint32) uint32 {
	addr := s.Addr + off
	in, n, err := isa.Decode(s.Data[off:limit])
	if err != nil {
		why := "illegal"
		if errors.Is(err, isa.ErrTruncated) {
			why = "truncated"
		}
		l.line(addr, s.Data[off:off+1], fmt.Sprintf(".byte 0x%02x ; %s", s.Data[off], why))
		return 1
	}
	l.line(addr, s.Data[off:off+n], in.Text(addr, l.img.SymbolAt))
	return n
}

// data lists a run of data bytes at off before limit and returns its
// length: .word for aligned words (up to 2), else .byte (up to the next
// word boundary).
func (l *lister) data(s *image.Segment, off, limit uint32) uint32 {
	addr, b := s.Addr+off, s.Data[off:limit]
	if n := min(uint32(len(b))/4, 2); addr%4 == 0 && n > 0 {
		words := make([]string, n)
		for i := range words {
			words[i] = fmt.Sprintf("0x%08x", binary.LittleEndian.Uint32(b[4*i:]))
		}
		l.line(addr, b[:4*n], ".word "+strings.Join(words, ", "))
		return 4 * n
	}
	n := min(uint32(len(b)), 4-addr%4)
	vals := make([]string, n)
	for i := range vals {
		vals[i] = fmt.Sprintf("0x%02x", b[i])
	}
	l.line(addr, b[:n], ".byte "+strings.Join(vals, ", "))
	return n
}

// minSpace is the shortest run of zero bytes listed as .space, in data
// and in text (where it is more likely a .space than 16 HALTs).
const minSpace = 16

// zeros returns the number of zero bytes at the start of b.
func zeros(b []byte) uint32 {
	n := uint32(0)
	for n < uint32(len(b)) && b[n] == 0 {
		n++
	}
	return n
}

// space lists zero bytes from off to end as .space.
func (l *lister) space(s *image.Segment, off, end uint32) uint32 {
	l.line(s.Addr+off, nil, fmt.Sprintf(".space %d", end-off))
	return end - off
}
