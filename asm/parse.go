package asm

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/alecthomas/participle/v2"
	"github.com/alecthomas/participle/v2/lexer"

	"toyvm/isa"
)

// line is one parsed source line: an optional label and an optional
// statement. A line whose statement has an error keeps its label.
type line struct {
	label *label
	stmt  *statement
}

// label is a label definition, "name:".
type label struct {
	pos  Pos
	name string
}

// statement is an instruction or a directive with its arguments.
type statement struct {
	pos  Pos
	name string // lower case
	args []*arg
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
	pos  Pos
	text string // as written
	kind argKind
	mode isa.Mode // argMode
	reg  isa.Reg  // argMode, modes 0 to 5
	expr *expr    // argBare, and modes 5 to 7
	str  []byte   // argString, decoded
}

// lineReader converts the participle tree of one line, collecting errors.
type lineReader struct {
	file string
	line int
	text string
	errs *ErrorList
	bad  bool // an error was found in the statement
}

// parseSource splits src into lines and parses each one on its own, so
// that a mistake on one line stops nothing else. Errors go to errs.
func parseSource(file string, src []byte, errs *ErrorList) []*line {
	// A byte-order mark, which some editors write, is not part of the
	// first line: columns count from after it, as the editor shows them.
	texts := strings.Split(strings.TrimPrefix(string(src), "\ufeff"), "\n")
	lines := make([]*line, 0, len(texts))
	for i, text := range texts {
		r := &lineReader{file: file, line: i + 1, text: strings.TrimSuffix(text, "\r"), errs: errs}
		lines = append(lines, r.parse())
	}
	return lines
}

// parse returns the line, or only its label after a syntax error.
func (r *lineReader) parse() *line {
	ast, err := lineParser.ParseString(r.file, r.text)
	if err != nil {
		r.syntaxError(err)
		return &line{label: r.salvageLabel()}
	}
	out := &line{}
	if ast.Label != nil {
		out.label = &label{pos: r.pos(ast.Label.Pos), name: ast.Label.Name}
	}
	if ast.Stmt != nil {
		st := r.statement(ast.Stmt)
		if !r.bad {
			out.stmt = st
		}
	}
	return out
}

// syntaxError reports a participle error at its position.
func (r *lineReader) syntaxError(err error) {
	var perr participle.Error
	if !errors.As(err, &perr) {
		r.errorf(Pos{r.file, r.line, 1}, "syntax error: %v", err)
		return
	}
	r.errorf(r.pos(perr.Position()), "syntax error: %s", expectations.Replace(perr.Message()))
}

// expectations rewrites participle's grammar terms in its messages.
var expectations = strings.NewReplacer(
	`unexpected token "<EOF>"`, "unexpected end of line",
	"unexpected token", "unexpected",
	"(<number> | <char> | <name>)", "a value",
	"<name>", "a name", "<number>", "a number", "<char>", "a character",
	"<eof>", "the end of the line")

// salvageLabel returns the label at the start of a line that failed to
// parse, so that references to it are not reported as undefined too.
func (r *lineReader) salvageLabel() *label {
	ast, err := labelParser.ParseString(r.file, r.text, participle.AllowTrailing(true))
	if err != nil {
		return nil
	}
	return &label{pos: r.pos(ast.Pos), name: ast.Name}
}

func (r *lineReader) pos(p lexer.Position) Pos { return Pos{r.file, r.line, p.Column} }

func (r *lineReader) errorf(pos Pos, format string, args ...any) {
	r.errs.Add(pos, format, args...)
	r.bad = true
}

func (r *lineReader) slice(from, to lexer.Position) string {
	if from.Offset < 0 || to.Offset > len(r.text) || from.Offset > to.Offset {
		return ""
	}
	return strings.TrimSpace(r.text[from.Offset:to.Offset])
}

func (r *lineReader) statement(ast *stmtAST) *statement {
	st := &statement{pos: r.pos(ast.Pos), name: strings.ToLower(ast.Name)}
	for _, a := range ast.Args {
		st.args = append(st.args, r.arg(a))
	}
	return st
}

// arg converts one argument.
func (r *lineReader) arg(ast *argAST) *arg {
	a := &arg{pos: r.pos(ast.Pos), text: r.slice(ast.Pos, ast.EndPos)}
	if ast.String != nil {
		a.kind = argString
		a.str = r.literal(a.pos, *ast.String, '"')
		return a
	}
	r.operand(a, ast.Operand)
	return a
}

// operand fills in a's mode, register and expression from ast.
func (r *lineReader) operand(a *arg, ast *operandAST) {
	a.kind = argMode
	switch {
	case ast.Imm != nil:
		a.mode, a.expr = isa.ModeImm, r.expr(ast.Imm)
	case ast.AutoIncDef != nil:
		a.mode, a.reg = isa.ModeAutoIncDeferred, r.register(ast.AutoIncDef)
	case ast.Abs != nil:
		a.mode, a.expr = isa.ModeAbs, r.expr(ast.Abs)
	case ast.AutoDec != nil:
		a.mode, a.reg = isa.ModeAutoDec, r.register(ast.AutoDec)
	case ast.Deferred != nil && ast.AutoInc:
		a.mode, a.reg = isa.ModeAutoInc, r.register(ast.Deferred)
	case ast.Deferred != nil:
		a.mode, a.reg = isa.ModeDeferred, r.register(ast.Deferred)
	case ast.Base != nil:
		a.mode, a.reg, a.expr = isa.ModeDisp, r.register(ast.Base), r.expr(ast.Expr)
	default:
		r.bareOperand(a, ast.Expr)
	}
}

// bareOperand is an expression alone: a register, or a label or number.
func (r *lineReader) bareOperand(a *arg, ast *exprAST) {
	if t := ast.First; len(ast.Rest) == 0 && !t.Neg && t.Name != nil {
		if reg, ok := parseRegister(*t.Name); ok {
			a.mode, a.reg = isa.ModeReg, reg
			return
		}
	}
	a.kind, a.expr = argBare, r.expr(ast)
}

// register returns the register named inside parentheses.
func (r *lineReader) register(ast *regAST) isa.Reg {
	reg, ok := parseRegister(ast.Name)
	if !ok {
		r.errorf(r.pos(ast.Pos), "expected a register (r0-r15, sp, fp), found %q", ast.Name)
	}
	return reg
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

// expr converts an expression; a register inside one is an error.
func (r *lineReader) expr(ast *exprAST) *expr {
	e := &expr{pos: r.pos(ast.Pos), text: r.slice(ast.Pos, ast.EndPos)}
	e.terms = append(e.terms, r.term(ast.First, false))
	for _, rest := range ast.Rest {
		e.terms = append(e.terms, r.term(rest.Term, rest.Op == "-"))
	}
	return e
}

// term converts one term; sub is true after a "-" operator.
func (r *lineReader) term(ast *termAST, sub bool) term {
	t := term{pos: r.pos(ast.Pos), neg: sub != ast.Neg}
	switch {
	case ast.Number != nil:
		v, err := parseNumber(*ast.Number)
		if err != nil {
			r.errorf(t.pos, "%v", err)
		}
		t.value = v
	case ast.Char != nil:
		if b := r.literal(t.pos, *ast.Char, '\''); len(b) == 1 {
			t.value = uint32(b[0])
		}
	default:
		t.name = *ast.Name
		if _, isReg := parseRegister(t.name); isReg {
			r.errorf(t.pos, "register %s cannot be used in an expression", t.name)
		}
	}
	return t
}

// literal decodes a string or character token found at pos.
func (r *lineReader) literal(pos Pos, tok string, quote byte) []byte {
	b, err := unquote(tok, quote)
	if err == nil && quote == '\'' && len(b) != 1 {
		err = &literalError{0, fmt.Sprintf("character %s must hold exactly one byte", tok)}
	}
	if err != nil {
		pos.Col += err.at
		r.errorf(pos, "%s", err.msg)
		return nil
	}
	return b
}
