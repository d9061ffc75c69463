package debugger

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"toyvm/image"
)

// Expressions name addresses and values: terms joined by + and -, where
// a term is a number (decimal, 0x hex, 0o octal, 0b binary), a label or
// .equ name of the program, or a register (r0-r15, sp, fp, pc) standing
// for its value. Examples: start, numbuf+4, 0x2000, sp+8, r3-1.

// eval returns the value of the expression text, or an error saying why
// it has none.
func (s *Session) eval(text string) (uint32, error) {
	text = strings.TrimSpace(text)
	if text == "" {
		return 0, fmt.Errorf("missing address or value")
	}
	whole, sum, sign := text, uint32(0), uint32(1)
	if text[0] == '-' {
		text, sign = text[1:], ^uint32(0)
	}
	for more := true; more; {
		term, rest, next, ok := nextTerm(text)
		v, err := s.termValue(term)
		if err != nil {
			return 0, fmt.Errorf("bad expression %q: %w", whole, err)
		}
		sum += sign * v
		text, sign, more = rest, next, ok
	}
	return sum, nil
}

// nextTerm splits text at its first + or -: the term before it, the
// text after it, the sign (1 or -1 as a uint32) that the next term takes,
// and whether there is a next term.
func nextTerm(text string) (term, rest string, next uint32, more bool) {
	i := strings.IndexAny(text, "+-")
	if i < 0 {
		return strings.TrimSpace(text), "", 1, false
	}
	next = 1
	if text[i] == '-' {
		next = ^uint32(0)
	}
	return strings.TrimSpace(text[:i]), text[i+1:], next, true
}

// termValue returns the value of one term, or an error naming what it is not.
func (s *Session) termValue(t string) (uint32, error) {
	switch {
	case t == "":
		return 0, fmt.Errorf("a term is missing")
	case t[0] >= '0' && t[0] <= '9':
		v, err := strconv.ParseUint(t, 0, 32)
		if err != nil {
			return 0, fmt.Errorf("%q is not a 32-bit number", t)
		}
		return uint32(v), nil
	}
	if r, ok := parseReg(t); ok {
		return s.reg(r), nil
	}
	if v, ok := s.symbol(t); ok {
		return v, nil
	}
	return 0, s.unknownName(t)
}

// symbol returns the value of the label or .equ name.
func (s *Session) symbol(name string) (uint32, bool) {
	for _, sym := range s.img.Symbols {
		if sym.Name == name {
			return sym.Value, true
		}
	}
	return 0, false
}

// unknownName returns the error for a name that is neither a register
// nor a symbol, suggesting the nearest symbol.
func (s *Session) unknownName(name string) error {
	names := make([]string, 0, len(s.img.Symbols))
	for _, sym := range s.img.Symbols {
		names = append(names, sym.Name)
	}
	if near := nearest(name, names); near != "" {
		return fmt.Errorf("no label or register %q (did you mean %s?)", name, near)
	}
	return fmt.Errorf("no label or register %q", name)
}

// regPC and regPSW extend the register numbers 0-15 with the pc and psw.
const (
	regPC  = 16
	regPSW = 17
)

// parseReg reads a register name: r0-r15, sp, fp, pc or psw.
func parseReg(name string) (int, bool) {
	switch strings.ToLower(name) {
	case "sp":
		return 15, true
	case "fp":
		return 14, true
	case "pc":
		return regPC, true
	case "psw":
		return regPSW, true
	}
	if len(name) < 2 || (name[0] != 'r' && name[0] != 'R') {
		return 0, false
	}
	n, err := strconv.Atoi(name[1:])
	if err != nil || n < 0 || n > 15 || name[1] == '+' {
		return 0, false
	}
	return n, true
}

// reg returns the value of a register as parseReg numbers it.
func (s *Session) reg(r int) uint32 {
	c := s.k.CPU
	switch r {
	case regPC:
		return c.PC
	case regPSW:
		return uint32(c.PSW)
	}
	return c.R[r]
}

// location returns the address a breakpoint or listing names: an
// expression, or FILE:LINE (the first instruction at or after that line
// of that file). It returns an error saying why there is none.
func (s *Session) location(text string) (uint32, error) {
	file, line, ok := strings.Cut(text, ":")
	if !ok {
		return s.eval(text)
	}
	n, err := strconv.Atoi(line)
	if err != nil {
		return 0, fmt.Errorf("bad location %q: %q is not a line number", text, line)
	}
	files := s.programFiles()
	switch {
	case file == "":
		return 0, fmt.Errorf("bad location %q: a line needs its file, as in %s:%d (the program's files: %s)", text, files[0], n, strings.Join(files, ", "))
	case !slices.ContainsFunc(files, func(f string) bool { return s.sameFile(f, file) }):
		return 0, fmt.Errorf("bad location %q: no file %s in the program (its files: %s)", text, file, strings.Join(files, ", "))
	}
	if l, ok := s.lineAddr(file, n); ok {
		return l.Addr, nil
	}
	return 0, fmt.Errorf("bad location %q: no code at or after line %d of %s", text, n, file)
}

// programFiles returns the source files of the program's line table,
// the main file first, then the others in order.
func (s *Session) programFiles() []string {
	var files []string
	for _, l := range s.img.Lines {
		if !slices.Contains(files, l.File) {
			files = append(files, l.File)
		}
	}
	if len(files) > 1 {
		slices.Sort(files[1:])
	}
	if len(files) == 0 {
		files = []string{"(none: the image has no line table)"}
	}
	return files
}

// lineAddr returns the first line-table entry of file (by path or base
// name) at line n or, if none, at the nearest line after it.
func (s *Session) lineAddr(file string, n int) (image.Line, bool) {
	var best image.Line
	found := false
	for _, l := range s.img.Lines {
		if l.Line < n || !s.sameFile(l.File, file) || (found && l.Line >= best.Line) {
			continue
		}
		best, found = l, true
	}
	return best, found
}
