package asm

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"toyvm/isa"
)

// The messages for the mistakes students make most, in plain words: each
// says what was probably meant, rather than which token the grammar
// expected. asm/testdata/mistakes.s holds one of each, and
// mistakes.golden what the assembler says about it.

// instruction returns the instruction named name (in lower case), or
// nil for a directive or an unknown name.
func instruction(name string) *isa.Op {
	if strings.HasPrefix(name, ".") {
		return nil
	}
	return isa.ByName(name)
}

// known reports whether name is a mnemonic or a directive, in any case.
func known(name string) bool {
	n := strings.ToLower(name)
	return instruction(n) != nil || directives[n] != nil
}

// statementStart checks what follows a statement's name, before its
// arguments, for the mistakes that show there: a second label, a label
// without its colon, a comma, an .include without quotes, an operand of
// an instruction that takes none. It returns false after recording one.
func (p *parser) statementStart(name token) bool {
	next := p.peek()
	switch {
	case next.isPunct(':'):
		return p.fail(name, "one label a line: put %s: on a line of its own", name.text)
	case !known(name.text) && (next.kind == tokEnd && name.col == 1 || next.kind == tokName && known(next.text)):
		return p.fail(name, "%s", labelWithoutColon(name, next.kind == tokEnd))
	case next.kind == tokEnd:
		return true
	case next.isPunct(','):
		return p.fail(next, "%s is missing before this comma (or the comma is one too many)", p.argWord())
	case p.name == ".include" && next.kind != tokString:
		return p.fail(next, ".include takes a file name in double quotes: .include %q", p.rest(next))
	case p.op != nil && len(p.op.Operands) == 0:
		return p.fail(next, "%s takes no operands, but %q follows it (one statement a line; a comment starts with ;)",
			p.op.Name, p.rest(next))
	}
	return true
}

// labelWithoutColon is the message for an unknown name that stands alone
// at the start of its line, or before an instruction: most likely a
// label without its colon. A lone name one edit from a mnemonic is more
// likely that mnemonic, misspelt.
func labelWithoutColon(name token, alone bool) string {
	lower := strings.ToLower(name.text)
	if near := nearest(lower, mnemonics()); alone && near != "" && editDistance(lower, near) == 1 {
		return fmt.Sprintf("unknown instruction %q; did you mean %q? (or, for a label, %s:)", name.text, near, name.text)
	}
	return fmt.Sprintf("unknown instruction %q: a label needs a colon, %s:", name.text, name.text)
}

// afterArgMistake says what is wrong with t, found after a whole
// argument where a comma or the end of the line should be.
func (p *parser) afterArgMistake(t token) string {
	last := &p.args[len(p.args)-1]
	switch {
	case t.isPunct('-') && last.kind == argMode && last.mode == isa.ModeDeferred && !p.peekAt(1).isPunct('('):
		reg := strings.Trim(last.text, "()")
		return fmt.Sprintf("auto-decrement is written -(%s): the - goes before the parenthesis", reg)
	case t.kind == tokBad:
		return badCharMessage(t, p.peekAt(1))
	case p.op != nil && len(p.args) >= len(p.op.Operands):
		return fmt.Sprintf("%s takes %s, but %q follows them (one statement a line; a comment starts with ;)",
			p.op.Name, operandList(p.op), p.rest(t))
	case startsArg(t):
		return fmt.Sprintf("missing comma before %s: %ss are separated by commas", t.text, p.argNoun())
	}
	return fmt.Sprintf("%q cannot follow %s: %ss are separated by commas", t.text, last.text, p.argNoun())
}

// startsArg reports whether t can begin an argument.
func startsArg(t token) bool {
	switch t.kind {
	case tokName, tokNumber, tokChar, tokString:
		return true
	}
	return t.isPunct('#') || t.isPunct('@') || t.isPunct('(') || t.isPunct('-')
}

// argNoun returns what the statement's arguments are called: operands
// of an instruction, values of a directive.
func (p *parser) argNoun() string {
	if p.op != nil {
		return "operand"
	}
	return "value"
}

// argWord returns "an operand" or "a value".
func (p *parser) argWord() string {
	if p.op != nil {
		return "an operand"
	}
	return "a value"
}

// rest returns the line's text from t to the end of its statement.
func (p *parser) rest(t token) string {
	end := p.toks[len(p.toks)-1].col - 1
	return strings.TrimSpace(p.text[t.col-1 : end])
}

// operandMistake says what is wrong with an operand that starts with t,
// when the start shows it: "" if nothing does.
func (p *parser) operandMistake(t token) string {
	next, after := p.peekAt(1), p.peekAt(2)
	_, nextIsReg := parseRegister(next.text)
	nextIsReg = nextIsReg && next.kind == tokName && !after.isPunct('+') && !after.isPunct('-') && !after.isPunct('(')
	switch {
	case t.isPunct('+') && next.isPunct('('):
		return fmt.Sprintf("auto-increment is written (%s)+: the + goes after the parenthesis", after.text)
	case t.kind == tokBad:
		return badCharMessage(t, next)
	case t.isPunct('#') && (next.kind == tokEnd || next.isPunct(',')):
		return "a value is missing after #, as in #5"
	case t.isPunct('@') && (next.kind == tokEnd || next.isPunct(',')):
		return "an address is missing after @, as in @0x2000"
	case t.isPunct('#') && nextIsReg:
		return fmt.Sprintf("#%s: # comes before a value, and a register is not one: write %s for the register itself", next.text, next.text)
	case t.isPunct('@') && nextIsReg:
		return fmt.Sprintf("@%s: a register has no address: for the word at the address in %s, write (%s)", next.text, next.text, next.text)
	}
	return ""
}

// registerMistake says what is wrong with t, found inside parentheses
// where a register should be.
func registerMistake(t token) string {
	switch {
	case t.isPunct(')'):
		return "empty parentheses: a register goes inside, as in (r1) or 4(r1)"
	case t.kind == tokName && looksLikeRegister(t.text):
		return fmt.Sprintf("%s is not a register: the registers are r0-r15, sp and fp", t.text)
	case t.kind == tokName || t.kind == tokNumber:
		return fmt.Sprintf("parentheses hold a register (r0-r15, sp, fp), not %s: for the word at address %s, write @%s",
			t.text, t.text, t.text)
	case t.kind == tokBad:
		return badCharMessage(t, token{})
	}
	return fmt.Sprintf("%s where a register (r0-r15, sp, fp) should be", found(t))
}

// closeMistake says what is wrong with after, found after the register
// reg where a ) should be.
func closeMistake(reg, after token) string {
	switch {
	case after.isPunct('+'):
		return fmt.Sprintf("the + of auto-increment goes after the parenthesis: (%s)+", reg.text)
	case after.isPunct('-'):
		return fmt.Sprintf("auto-decrement is written -(%s): the - goes before the parenthesis", reg.text)
	}
	return fmt.Sprintf("missing ) after %s", reg.text)
}

// valueMistake says what is wrong with t, found where a value (a number,
// a character or a name) should be; next is the token after it.
func valueMistake(t, next token) string {
	switch {
	case t.kind == tokBad:
		return badCharMessage(t, next)
	case t.kind == tokString:
		return fmt.Sprintf("a string cannot be a value: %s (a character takes single quotes, as in 'a')", t.text)
	}
	return fmt.Sprintf("%s where a value should be", found(t))
}

// lineStartMistake says what is wrong with t, which starts a line (after
// its label, if any) but is not a name.
func lineStartMistake(t, next token) string {
	switch {
	case t.kind == tokNumber && next.isPunct(':'):
		return fmt.Sprintf("a label cannot start with a digit: %s", t.text)
	case t.isPunct(':'):
		return "a colon needs a label's name before it"
	case t.kind == tokBad:
		return badCharMessage(t, next)
	}
	return fmt.Sprintf("a line starts with a label, an instruction or a directive, not %s", t.text)
}

// found describes t for a message: `found ","`, or the end of the line.
func found(t token) string {
	if t.kind == tokEnd {
		return "the line ends"
	}
	return fmt.Sprintf("found %q", t.text)
}

// badCharMessage says what a character that toyvm's syntax does not use
// may have been meant as; next is the token after it.
func badCharMessage(t, next token) string {
	after := ""
	if next.col == t.col+int32(len(t.text)) && (next.kind == tokName || next.kind == tokNumber) {
		after = next.text
	}
	switch t.text {
	case "$":
		return "$ is not toyvm syntax: an immediate value is written with #, as in #" + or(after, "5")
	case "%":
		return "% is not toyvm syntax: a register is written without it, as in " + or(after, "r1")
	case "&":
		return "& is not toyvm syntax: the address of a label is written with #, as in #" + or(after, "label")
	case "[", "]":
		return "toyvm writes memory operands with parentheses, not brackets: (r1) for the word at the address in r1, 4(r1) with a displacement"
	case "*", "/", "|", "^", "~", "<", ">", "!", "?":
		return "toyvm's expressions only add and subtract: there is no " + t.text
	case "=":
		return "= is not toyvm syntax: .equ NAME, VALUE gives a name a value"
	case `\`:
		return `a \ belongs only in a string or a character, as in '\n'`
	case "`":
		return "` is not toyvm syntax: strings take double quotes, characters single ones"
	case "\u201c", "\u201d", "\u2018", "\u2019":
		return t.text + ` is a typographic quote: use a plain " or '`
	}
	return oddCharMessage(t.text)
}

// oddCharMessage is badCharMessage's for a character with no hint of its
// own.
func oddCharMessage(c string) string {
	r, _ := utf8.DecodeRuneInString(c)
	switch {
	case r < 0x20 || r == 0x7f:
		return fmt.Sprintf("unexpected control character 0x%02x", r)
	case r >= 0x80:
		return c + " cannot stand outside a string or a comment: names are ASCII letters, digits, _ and ."
	}
	return c + " is not toyvm syntax"
}

// or returns s, or alt if s is empty.
func or(s, alt string) string {
	if s == "" {
		return alt
	}
	return s
}
