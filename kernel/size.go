package kernel

import (
	"fmt"
	"strconv"
	"strings"
)

// ParseSize reads a size such as "64K", "16M", "1G", "1T" or a plain number of
// bytes (suffixes are powers of 1024, case-insensitive, an optional "B"
// or "iB" after them). It returns an error for anything else.
func ParseSize(s string) (uint64, error) {
	t := strings.ToUpper(strings.TrimSpace(s))
	t = strings.TrimSuffix(strings.TrimSuffix(t, "IB"), "B")
	shift := 0
	if n := len(t); n > 0 {
		switch t[n-1] {
		case 'K':
			shift = 10
		case 'M':
			shift = 20
		case 'G':
			shift = 30
		case 'T':
			shift = 40
		}
		if shift != 0 {
			t = t[:n-1]
		}
	}
	v, err := strconv.ParseUint(t, 10, 64)
	if err != nil || v > (1<<62)>>shift {
		return 0, fmt.Errorf("bad size %q: want a number of bytes or a number with K, M, G or T", s)
	}
	return v << shift, nil
}

// sizeWords prints a size for a message: "1 MiB", "64 KiB", or bytes.
func sizeWords(v uint64) string {
	for _, u := range []struct {
		shift uint
		unit  string
	}{{30, "GiB"}, {20, "MiB"}, {10, "KiB"}} {
		if v != 0 && v%(1<<u.shift) == 0 {
			return fmt.Sprintf("%d %s", v>>u.shift, u.unit)
		}
	}
	return fmt.Sprintf("%d bytes", v)
}

// SizeText prints a size the way ParseSize reads it, in the largest unit
// that divides it.
func SizeText(v uint64) string {
	for _, u := range []struct {
		shift  uint
		suffix string
	}{{40, "T"}, {30, "G"}, {20, "M"}, {10, "K"}} {
		if v != 0 && v%(1<<u.shift) == 0 {
			return fmt.Sprintf("%d%s", v>>u.shift, u.suffix)
		}
	}
	return fmt.Sprintf("%d", v)
}
