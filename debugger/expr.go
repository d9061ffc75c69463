package debugger

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"toyvm/image"
	"toyvm/isa"
)

// Expressions name addresses and values, with C's operators:
//
//	a || b   a && b                       (1 or 0)
//	a == b   a != b   a < b   a <= b   a > b   a >= b
//	a + b    a - b
//	a * b    a / b    a % b
//	-a   !a   ~a   *a (the word at address a, of the current process)
//	( a )
//
// A term is a number (decimal, 0x hex, 0o octal, 0b binary, 'c' a
// character), a label or .equ name of the program, a register (r0-r15,
// sp, fp, pc, psw) standing for its value, or a variable ($_exitcode).
// Values are 32-bit words; division, remainder and the comparisons
// take them as signed, as C does with int. Examples: start,
// numbuf+4, sp+8, *(fp+8), r1 == 3 && *counter > 10.

// eval returns the value of the expression text, or an error saying why
// it has none.
func (s *Session) eval(text string) (uint32, error) {
	if strings.TrimSpace(text) == "" {
		return 0, fmt.Errorf("missing address or value")
	}
	p := &parser{s: s, toks: tokenize(text)}
	v, err := p.or()
	if err == nil && p.pos < len(p.toks) {
		err = fmt.Errorf("%q is not expected there", p.toks[p.pos])
	}
	if err != nil {
		return 0, fmt.Errorf("bad expression %q: %w", strings.TrimSpace(text), err)
	}
	return v, nil
}

// tokenize splits an expression into its tokens: names and numbers
// (letters, digits, _ . $), character literals, and operators.
func tokenize(text string) []string {
	var toks []string
	for i := 0; i < len(text); {
		c := text[i]
		switch {
		case c == ' ' || c == '\t':
			i++
		case c == '\'' && i+2 < len(text) && text[i+2] == '\'':
			toks, i = append(toks, text[i:i+3]), i+3
		case isWordByte(c):
			j := i
			for j < len(text) && isWordByte(text[j]) {
				j++
			}
			toks, i = append(toks, text[i:j]), j
		case i+1 < len(text) && slices.Contains([]string{"==", "!=", "<=", ">=", "&&", "||"}, text[i:i+2]):
			toks, i = append(toks, text[i:i+2]), i+2
		default:
			toks, i = append(toks, text[i:i+1]), i+1
		}
	}
	return toks
}

// isWordByte reports whether c may be part of a name or a number.
func isWordByte(c byte) bool {
	return c == '_' || c == '.' || c == '$' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

// parser evaluates tokens by recursive descent, one level of precedence
// a method.
type parser struct {
	s    *Session
	toks []string
	pos  int
}

// peek returns the next token, "" at the end.
func (p *parser) peek() string {
	if p.pos < len(p.toks) {
		return p.toks[p.pos]
	}
	return ""
}

// binary parses operands with next, joined by the operators of ops,
// left to right, and combines them with apply.
func (p *parser) binary(next func() (uint32, error), ops []string, apply func(op string, a, b uint32) (uint32, error)) (uint32, error) {
	v, err := next()
	for err == nil && slices.Contains(ops, p.peek()) {
		op := p.peek()
		p.pos++
		var w uint32
		if w, err = next(); err == nil {
			v, err = apply(op, v, w)
		}
	}
	return v, err
}

func (p *parser) or() (uint32, error) {
	return p.binary(p.and, []string{"||"}, func(_ string, a, b uint32) (uint32, error) { return truth(a != 0 || b != 0), nil })
}

func (p *parser) and() (uint32, error) {
	return p.binary(p.compare, []string{"&&"}, func(_ string, a, b uint32) (uint32, error) { return truth(a != 0 && b != 0), nil })
}

func (p *parser) compare() (uint32, error) {
	return p.binary(p.sum, []string{"==", "!=", "<", "<=", ">", ">="}, func(op string, a, b uint32) (uint32, error) {
		x, y := int32(a), int32(b)
		return truth(map[string]bool{"==": x == y, "!=": x != y, "<": x < y, "<=": x <= y, ">": x > y, ">=": x >= y}[op]), nil
	})
}

func (p *parser) sum() (uint32, error) {
	return p.binary(p.product, []string{"+", "-"}, func(op string, a, b uint32) (uint32, error) {
		if op == "-" {
			return a - b, nil
		}
		return a + b, nil
	})
}

func (p *parser) product() (uint32, error) {
	return p.binary(p.unary, []string{"*", "/", "%"}, func(op string, a, b uint32) (uint32, error) {
		switch {
		case op == "*":
			return a * b, nil
		case b == 0:
			return 0, fmt.Errorf("division by zero")
		case op == "/":
			return uint32(int32(a) / int32(b)), nil
		}
		return uint32(int32(a) % int32(b)), nil
	})
}

// unary parses - ! ~ and * (the word at an address) before a term.
func (p *parser) unary() (uint32, error) {
	op := p.peek()
	if !slices.Contains([]string{"-", "!", "~", "*"}, op) {
		return p.primary()
	}
	p.pos++
	v, err := p.unary()
	if err != nil {
		return 0, err
	}
	switch op {
	case "-":
		return -v, nil
	case "!":
		return truth(v == 0), nil
	case "~":
		return ^v, nil
	}
	return p.s.deref(v)
}

// primary parses a parenthesized expression or a term.
func (p *parser) primary() (uint32, error) {
	t := p.peek()
	switch t {
	case "":
		return 0, fmt.Errorf("a term is missing")
	case "(":
		p.pos++
		v, err := p.or()
		if err == nil && p.peek() != ")" {
			err = fmt.Errorf("a ) is missing")
		}
		p.pos++
		return v, err
	}
	p.pos++
	return p.s.termValue(t)
}

// truth returns 1 for true, 0 for false.
func truth(b bool) uint32 {
	if b {
		return 1
	}
	return 0
}

// deref returns the word at va in the current process's memory, or an
// error when its page is not present (the debugger never faults a page
// in).
func (s *Session) deref(va uint32) (uint32, error) {
	p := s.current()
	if p == nil {
		return 0, fmt.Errorf("no process is running")
	}
	if v, ok := s.virtWord(p, va); ok {
		return v, nil
	}
	return 0, fmt.Errorf("*0x%08x: %s", va, s.wordState(p, va).word())
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
	case t[0] == '\'' && len(t) == 3 && t[2] == '\'':
		return uint32(t[1]), nil
	case t[0] == '\'':
		return 0, fmt.Errorf("%q is not a character: write one between quotes, 'a'", t)
	case t[0] == '$':
		return s.variable(t)
	case !isWordByte(t[0]):
		return 0, fmt.Errorf("%q is not expected there", t)
	}
	if r, ok := parseReg(t); ok {
		return s.reg(r), nil
	}
	if v, ok := s.symbol(t); ok {
		return v, nil
	}
	return 0, s.unknownName(t)
}

// variable returns the value of a debugger variable: $N, a value print
// showed ($ the last), $_exitcode, the exit status of the program once
// it has exited, or a register as gdb names it ($pc, $sp, $r1).
func (s *Session) variable(name string) (uint32, error) {
	if v, ok := s.historyValue(name); ok {
		return v, nil
	}
	if r, ok := parseReg(name[1:]); ok {
		return s.reg(r), nil
	}
	if name == "$_exitcode" {
		if st, done := s.k.ExitStatus(); done {
			return uint32(st), nil
		}
		return 0, fmt.Errorf("$_exitcode: the program has not exited")
	}
	return 0, fmt.Errorf("no variable %s (there are $_exitcode, the registers as $pc, $sp, $r1, and $1, $2, ... the values print showed, $ the last)", name)
}

// historyValue returns the value print showed as $N ($ the last).
func (s *Session) historyValue(name string) (uint32, bool) {
	if name == "$" && len(s.history) > 0 {
		return s.history[len(s.history)-1], true
	}
	n, err := strconv.Atoi(name[1:])
	if err != nil || n < 1 || n > len(s.history) {
		return 0, false
	}
	return s.history[n-1], true
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

// reg returns the value of a register as parseReg numbers it; pc and fp
// are the selected frame's (frame, up, down).
func (s *Session) reg(r int) uint32 {
	c := s.k.CPU
	if f, ok := s.selectedFrame(); ok {
		switch r {
		case regPC:
			return f.PC
		case int(isa.FP):
			return f.FP
		}
	}
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
