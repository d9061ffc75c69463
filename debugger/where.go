package debugger

import (
	"fmt"
	"os"
	"path"
	"path/filepath"
	"strings"

	"toyvm/image"
	"toyvm/isa"
)

// label returns addr as the nearest label at or below it, "name" or
// "name+N" (N in decimal bytes), or "" when no label lies below it in
// the same segment.
func (s *Session) label(addr uint32) string {
	best, found := image.Symbol{}, false
	seg := s.segmentOf(addr)
	for _, sym := range s.img.Symbols {
		if sym.Kind != image.SymLabel || sym.Value > addr || s.segmentOf(sym.Value) != seg {
			continue
		}
		if !found || sym.Value > best.Value {
			best, found = sym, true
		}
	}
	switch {
	case !found || seg < 0:
		return ""
	case best.Value == addr:
		return best.Name
	}
	return fmt.Sprintf("%s+%d", best.Name, addr-best.Value)
}

// segmentOf returns the index of the image segment holding addr, -1 if
// none (a label at a segment's end counts as inside it).
func (s *Session) segmentOf(addr uint32) int {
	for i, seg := range s.img.Segments {
		if uint64(addr) >= uint64(seg.Addr) && uint64(addr) <= seg.End() {
			return i
		}
	}
	return -1
}

// where returns addr and its label: "0x00001004 <start+4>".
func (s *Session) where(addr uint32) string {
	if l := s.label(addr); l != "" {
		return fmt.Sprintf("0x%08x <%s>", addr, l)
	}
	return fmt.Sprintf("0x%08x", addr)
}

// whereLine returns where(addr) and its source line when the line table
// knows it: "0x00001004 <start+4> fib.s:13".
func (s *Session) whereLine(addr uint32) string {
	if l, ok := s.img.LineAt(addr); ok {
		return fmt.Sprintf("%s %s:%d", s.where(addr), filepath.Base(l.File), l.Line)
	}
	return s.where(addr)
}

// instText returns the instruction at addr in assembler syntax and its
// length, or a note and 1 when its bytes cannot be read or decoded.
func (s *Session) instText(addr uint32) (string, uint32) {
	b := s.textBytes(addr, isa.MaxInstLen)
	if len(b) == 0 {
		return "(not in memory or the image)", 1
	}
	in, n, err := isa.Decode(b)
	if err != nil {
		return fmt.Sprintf(".byte 0x%02x ; %v", b[0], err), 1
	}
	return in.Text(addr, s.img.SymbolAt), n
}

// source returns the lines of a source file that the line table names,
// reading it on first use; nil if it cannot be read.
func (s *Session) source(file string) []string {
	lines, seen := s.sources[file]
	if seen {
		return lines
	}
	if data, err := os.ReadFile(s.sourcePath(file)); err == nil {
		lines = strings.Split(strings.TrimSuffix(string(data), "\n"), "\n")
	}
	s.sources[file] = lines
	return lines
}

// sourcePath returns where a source file that the line table names is on
// the host. The line table names files relative to the folder of the
// program's main file ("fib.s", "lib/io.s"), so that an image does not
// depend on where it was assembled; they are found from the folder of the
// program being debugged (an image's sources are looked for beside it).
func (s *Session) sourcePath(file string) string {
	if filepath.IsAbs(file) || len(s.argv) == 0 {
		return file
	}
	return filepath.Join(filepath.Dir(s.argv[0]), filepath.FromSlash(file))
}

// sameFile reports whether the file the user typed is the file that the
// line table names: in full, by base name, or by its path on the host.
func (s *Session) sameFile(name, typed string) bool {
	return name == typed || path.Base(name) == typed || s.sourcePath(name) == filepath.Clean(typed)
}
