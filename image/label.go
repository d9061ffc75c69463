package image

import "fmt"

// Label returns addr as the nearest label at or below it in the same
// segment, "name" or "name+N" (N in decimal bytes); "" when no label lies
// below it there (a label at a segment's end counts as inside it).
func (img *Image) Label(addr uint32) string {
	seg := img.segmentOf(addr)
	if seg < 0 {
		return ""
	}
	best, found := Symbol{}, false
	for _, sym := range img.Symbols {
		if sym.Kind != SymLabel || sym.Value > addr || img.segmentOf(sym.Value) != seg {
			continue
		}
		if !found || sym.Value > best.Value {
			best, found = sym, true
		}
	}
	switch {
	case !found:
		return ""
	case best.Value == addr:
		return best.Name
	}
	return fmt.Sprintf("%s+%d", best.Name, addr-best.Value)
}

// segmentOf returns the index of the segment holding addr, -1 if none (a
// label at a segment's end counts as inside it).
func (img *Image) segmentOf(addr uint32) int {
	for i, s := range img.Segments {
		if uint64(addr) >= uint64(s.Addr) && uint64(addr) <= s.End() {
			return i
		}
	}
	return -1
}
