package asm

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"toyvm/isa"
)

// The grammar of one source line (docs/isa.md section 11), which parser
// follows by recursive descent, one function a rule:
//
//	line    = [ name ":" ] [ name [ arg { "," arg } ] ]
//	arg     = string | operand
//	operand = "#" expr | "@" "(" reg ")" "+" | "@" expr | "-" "(" reg ")"
//	        | "(" reg ")" [ "+" ] | reg | expr [ "(" reg ")" ]
//	expr    = term { ("+" | "-") term }
//	term    = [ "-" ] ( number | char | name )
//
// It is deliberately loose about names: any name may stand where a
// mnemonic or a directive does, and pass 1 checks it, so that a mistake
// gets a message that says what was meant.

// label is a label definition, "name:".
type label struct {
	at   loc
	name string
}

// statement is an instruction or a directive with its arguments.
type statement struct {
	at   loc
	name string // lower case
	args []arg
}

// argKind says how an argument was written.
type argKind uint8

const (
	argMode   argKind = iota // an operand with an explicit mode, or a register
	argBare                  // an expression alone: a label, a name or a number
	argString                // a string literal
)

// arg is one argument of a statement.
type arg struct {
	at   loc
	text string // as written
	kind argKind
	mode isa.Mode // argMode
	reg  isa.Reg  // argMode, modes 0 to 5
	expr expr     // argBare, and modes 5 to 7
	str  []byte   // argString, decoded
}

// lineError is the first mistake found on a line, at a column.
type lineError struct {
	col int32
	msg string
}

// parser reads the tokens of one line. At the first mistake it records a
// lineError, in words that say what was probably meant (mistakes.go),
// and gives up on the rest of the line (whose label, if it has one, is
// still defined, so that uses of it are not reported as well).
type parser struct {
	text  string  // the line
	toks  []token // its tokens, from lexLine: the last one is a tokEnd
	next  int     // the index of the next token
	line  int32   // the line's number in reading order
	args  []arg   // the arguments read so far, in a buffer reused from line to line
	terms []term  // the terms of the expression being read, likewise
	err   *lineError

	name string  // the statement's name, in lower case
	op   *isa.Op // its instruction, nil for a directive or an unknown name
}

// parseLine returns the line's label and statement, either of which may
// be nil; the statement is nil too after a mistake (p.err).
func (p *parser) parseLine() (*label, *statement) {
	lab := p.label()
	if p.peek().kind == tokEnd {
		return lab, nil
	}
	st := p.statement()
	if p.err != nil {
		return lab, nil
	}
	return lab, st
}

// peek returns the next token (the tokEnd at the end of the line).
func (p *parser) peek() token { return p.toks[p.next] }

// peekAt returns the token k places after the next one (or the tokEnd).
func (p *parser) peekAt(k int) token { return p.toks[min(p.next+k, len(p.toks)-1)] }

// advance consumes the next token and returns it; it stays on the tokEnd.
func (p *parser) advance() token {
	t := p.toks[p.next]
	if t.kind != tokEnd {
		p.next++
	}
	return t
}

// loc returns the place of token t.
func (p *parser) loc(t token) loc { return loc{line: p.line, col: t.col} }

// fail records a mistake at t, unless one is recorded already; it
// returns false, for the parsing functions to return.
func (p *parser) fail(t token, format string, args ...any) bool {
	if p.err == nil {
		p.err = &lineError{col: t.col, msg: fmt.Sprintf(format, args...)}
	}
	return false
}

// label reads "name:" at the start of the line, if it is there.
func (p *parser) label() *label {
	t := p.peek()
	if t.kind != tokName || !p.peekAt(1).isPunct(':') {
		return nil
	}
	p.next += 2
	return &label{at: p.loc(t), name: t.text}
}

// statement reads a mnemonic or a directive and its arguments.
func (p *parser) statement() *statement {
	t := p.advance()
	if t.kind != tokName {
		p.fail(t, "%s", lineStartMistake(t, p.peek()))
		return nil
	}
	p.name = strings.ToLower(t.text)
	p.op = instruction(p.name)
	if !p.statementStart(t) {
		return nil
	}
	for p.peek().kind != tokEnd {
		if !p.arg() || !p.argEnds() {
			return nil
		}
	}
	// The arguments are in the reused buffer: place copies what it keeps.
	return &statement{at: p.loc(t), name: p.name, args: p.args}
}

// argEnds consumes the comma after an argument, which must be followed
// by another argument, or finds the end of the line.
func (p *parser) argEnds() bool {
	switch t := p.peek(); {
	case t.kind == tokEnd:
		return true
	case !t.isPunct(','):
		return p.fail(t, "%s", p.afterArgMistake(t))
	}
	p.advance()
	switch t := p.peek(); {
	case t.kind == tokEnd:
		return p.fail(t, "%s is missing after the last comma", p.argWord())
	case t.isPunct(','):
		return p.fail(t, "two commas in a row: %s is missing between them", p.argWord())
	}
	return true
}

// arg reads a string or an operand and adds it to p.args.
func (p *parser) arg() bool {
	first := p.peek()
	ar := arg{at: p.loc(first)}
	ok := true
	if first.kind == tokString {
		p.advance()
		ar.kind = argString
		ar.str, ok = p.literal(first, '"')
	} else {
		ok = p.operand(&ar)
	}
	ar.text = p.textSince(first)
	p.args = append(p.args, ar)
	return ok
}

// textSince returns the line's text from token first to the last token
// consumed.
func (p *parser) textSince(first token) string {
	last := p.toks[max(p.next-1, 0)]
	end := int(last.col) - 1 + len(last.text)
	if end < int(first.col)-1 {
		return ""
	}
	return p.text[first.col-1 : end]
}

// operand reads one of the eight addressing modes of docs/isa.md
// section 3, or a bare expression.
func (p *parser) operand(ar *arg) bool {
	ar.kind = argMode
	t := p.peek()
	if msg := p.operandMistake(t); msg != "" {
		return p.fail(t, "%s", msg)
	}
	switch {
	case t.isPunct('#'):
		p.advance()
		ar.mode = isa.ModeImm
		return p.expr(&ar.expr)
	case t.isPunct('@') && p.peekAt(1).isPunct('('):
		p.next += 2
		ar.mode = isa.ModeAutoIncDeferred
		return p.register(&ar.reg) && p.autoIncDeferredEnds()
	case t.isPunct('@'):
		p.advance()
		ar.mode = isa.ModeAbs
		return p.expr(&ar.expr)
	case t.isPunct('-') && p.peekAt(1).isPunct('('):
		p.next += 2
		ar.mode = isa.ModeAutoDec
		return p.register(&ar.reg)
	case t.isPunct('('):
		return p.deferred(ar)
	}
	return p.registerOrExpr(ar)
}

// autoIncDeferredEnds consumes the + that ends "@(reg)+".
func (p *parser) autoIncDeferredEnds() bool {
	if t := p.peek(); !t.isPunct('+') {
		reg := p.toks[p.next-2].text
		return p.fail(t, "@(%s) needs its +: @(%s)+ takes the address kept at %s and steps %s on; "+
			"for the word at the address in %s, write (%s)", reg, reg, reg, reg, reg, reg)
	}
	p.advance()
	return true
}

// deferred reads "(reg)" or "(reg)+".
func (p *parser) deferred(ar *arg) bool {
	p.advance()
	if !p.register(&ar.reg) {
		return false
	}
	ar.mode = isa.ModeDeferred
	if p.peek().isPunct('+') {
		p.advance()
		ar.mode = isa.ModeAutoInc
	}
	return true
}

// registerOrExpr reads a register alone, or an expression with perhaps a
// register in parentheses after it (a displacement).
func (p *parser) registerOrExpr(ar *arg) bool {
	t, after := p.peek(), p.peekAt(1)
	if reg, ok := parseRegister(t.text); ok && t.kind == tokName &&
		!after.isPunct('+') && !after.isPunct('-') && !after.isPunct('(') {
		p.advance()
		ar.mode, ar.reg = isa.ModeReg, reg
		return true
	}
	if !p.expr(&ar.expr) {
		return false
	}
	if !p.peek().isPunct('(') {
		ar.kind = argBare
		return true
	}
	if p.peekAt(1).isPunct(')') && (p.name == "call" || p.name == "jmp") {
		return p.fail(p.peek(), "%s takes no parentheses after its target: write %s %s", p.name, p.name, p.textSince(t))
	}
	p.advance()
	ar.mode = isa.ModeDisp
	return p.register(&ar.reg)
}

// register reads the name of a register and the ) after it; the ( is
// read.
func (p *parser) register(reg *isa.Reg) bool {
	t := p.advance()
	r, ok := parseRegister(t.text)
	if !ok || t.kind != tokName {
		return p.fail(t, "%s", registerMistake(t))
	}
	*reg = r
	if after := p.peek(); !after.isPunct(')') {
		return p.fail(after, "%s", closeMistake(t, after))
	}
	p.advance()
	return true
}

// expr reads a term, then terms added or subtracted.
func (p *parser) expr(e *expr) bool {
	e.at = p.loc(p.peek())
	p.terms = p.terms[:0]
	ok := p.term(false)
	for t := p.peek(); ok && (t.isPunct('+') || t.isPunct('-')); t = p.peek() {
		p.advance()
		ok = p.term(t.isPunct('-'))
	}
	e.terms = slices.Clone(p.terms) // exactly as long as needed: pass 1 may keep it
	return ok
}

// term reads a number, a character or a name, perhaps negated, and adds
// it to p.terms; sub is true after a "-" operator.
func (p *parser) term(sub bool) bool {
	t := p.advance()
	tm := term{col: t.col, neg: sub}
	if t.isPunct('-') {
		tm.neg = !sub
		t = p.advance()
	}
	ok := true
	switch t.kind {
	case tokNumber:
		tm.value, ok = p.number(t)
	case tokChar:
		tm.value, ok = p.char(t)
	case tokName:
		tm.name = t.text
		if _, isReg := parseRegister(t.text); isReg {
			ok = p.fail(t, "register %s cannot be used in an expression", t.text)
		}
	default:
		ok = p.fail(t, "%s", valueMistake(t, p.peek()))
	}
	p.terms = append(p.terms, tm)
	return ok
}

// number returns the value of a number token.
func (p *parser) number(t token) (uint32, bool) {
	v, err := parseNumber(t.text)
	if err != nil {
		return 0, p.fail(t, "%v", err)
	}
	return v, true
}

// char returns the value of a character literal, which holds one byte.
func (p *parser) char(t token) (uint32, bool) {
	b, ok := p.literal(t, '\'')
	switch {
	case !ok:
		return 0, false
	case len(b) > 1:
		return 0, p.fail(t, "character %s must hold exactly one byte (a string takes double quotes: %q)", t.text, b)
	case len(b) == 0:
		return 0, p.fail(t, "character %s is empty: it must hold exactly one byte", t.text)
	}
	return uint32(b[0]), true
}

// literal decodes a string or character token.
func (p *parser) literal(t token, quote byte) ([]byte, bool) {
	b, err := unquote(t.text, quote)
	if err != nil {
		t.col += int32(err.at)
		return nil, p.fail(t, "%s", err.msg)
	}
	return b, true
}

// parseRegister recognises r0-r15, sp and fp in any case: the names
// reserved for registers. Any other name (r16, r01, rx) is an ordinary
// name; ok is false for it.
func parseRegister(name string) (reg isa.Reg, ok bool) {
	n := strings.ToLower(name)
	switch n {
	case "sp":
		return isa.SP, true
	case "fp":
		return isa.FP, true
	}
	if len(n) < 2 || n[0] != 'r' || strings.Trim(n[1:], "0123456789") != "" || (len(n) > 2 && n[1] == '0') {
		return 0, false
	}
	v, err := strconv.Atoi(n[1:])
	if err != nil || v >= isa.NumRegs {
		return 0, false
	}
	return isa.Reg(v), true
}

// looksLikeRegister reports whether name has a register's form, r and a
// number, without being one (r16): an undefined one is most likely a
// mistaken register.
func looksLikeRegister(name string) bool {
	n := strings.ToLower(name)
	_, ok := parseRegister(n)
	return !ok && len(n) >= 2 && n[0] == 'r' && strings.Trim(n[1:], "0123456789") == ""
}
