package asm

import (
	"github.com/alecthomas/participle/v2"
	"github.com/alecthomas/participle/v2/lexer"
)

// The grammar of one source line (docs/isa.md section 11), as participle
// structs. It is deliberately loose: it accepts any name where a
// mnemonic, a register or a directive may stand, and parse.go checks the
// names, so that a mistake gets a message that says what was meant
// rather than "unexpected token".
//
//	line    = [ name ":" ] [ name [ arg { "," arg } ] ]
//	arg     = string | operand
//	operand = "#" expr | "@" "(" name ")" "+" | "@" expr | "-" "(" name ")"
//	        | "(" name ")" [ "+" ] | expr [ "(" name ")" ]
//	expr    = term { ("+" | "-") term }
//	term    = [ "-" ] ( number | char | name )

// lineLexer splits a line into tokens. Strings and characters are matched
// even when unterminated or badly escaped (literal.go decodes them with a
// precise message), and any other character becomes a Bad token that the
// parser refuses, so the lexer itself never fails.
var lineLexer = lexer.MustSimple([]lexer.SimpleRule{
	{Name: "Comment", Pattern: `;[^\n]*`},
	{Name: "String", Pattern: `"(\\.?|[^"\\\n])*"?`},
	{Name: "Char", Pattern: `'(\\.?|[^'\\\n])*'?`},
	{Name: "Number", Pattern: `[0-9][0-9A-Za-z_]*`},
	{Name: "Name", Pattern: `[A-Za-z_.][A-Za-z0-9_.]*`},
	{Name: "Punct", Pattern: `[,:()+\-#@]`},
	{Name: "Space", Pattern: `[ \t\r]+`},
	{Name: "Bad", Pattern: `.`},
})

// lineAST is one source line.
type lineAST struct {
	Label *labelAST `parser:"@@?"`
	Stmt  *stmtAST  `parser:"@@?"`
}

// labelAST is "name:".
type labelAST struct {
	Pos  lexer.Position
	Name string `parser:"@Name ':'"`
}

// stmtAST is an instruction or a directive with its arguments.
type stmtAST struct {
	Pos  lexer.Position
	Name string    `parser:"@Name"`
	Args []*argAST `parser:"( @@ ( ',' @@ )* )?"`
}

// argAST is a string (for .ascii and .asciz) or an operand.
type argAST struct {
	Pos     lexer.Position
	EndPos  lexer.Position
	String  *string     `parser:"  @String"`
	Operand *operandAST `parser:"| @@"`
}

// operandAST is one of the eight addressing modes of docs/isa.md section 3,
// or a bare expression (a label, a register, or a directive's value).
type operandAST struct {
	Pos        lexer.Position
	Imm        *exprAST `parser:"  '#' @@"`
	AutoIncDef *regAST  `parser:"| '@' '(' @@ ')' '+'"`
	Abs        *exprAST `parser:"| '@' @@"`
	AutoDec    *regAST  `parser:"| '-' '(' @@ ')'"`
	Deferred   *regAST  `parser:"| '(' @@ ')'"`
	AutoInc    bool     `parser:"  @'+'?"`
	Expr       *exprAST `parser:"| @@"`
	Base       *regAST  `parser:"  ( '(' @@ ')' )?"`
}

// regAST is the name inside parentheses, which must be a register.
type regAST struct {
	Pos  lexer.Position
	Name string `parser:"@Name"`
}

// exprAST is a term, then terms added or subtracted.
type exprAST struct {
	Pos    lexer.Position
	EndPos lexer.Position
	First  *termAST   `parser:"@@"`
	Rest   []*restAST `parser:"@@*"`
}

// restAST is "+ term" or "- term".
type restAST struct {
	Op   string   `parser:"@( '+' | '-' )"`
	Term *termAST `parser:"@@"`
}

// termAST is a number, a character or a name, with an optional minus.
type termAST struct {
	Pos    lexer.Position
	Neg    bool    `parser:"@'-'?"`
	Number *string `parser:"( @Number"`
	Char   *string `parser:"| @Char"`
	Name   *string `parser:"| @Name )"`
}

// lineParser parses one line; labelParser recovers the label of a line
// that has a syntax error, so that the rest of the file still sees it.
var (
	lineParser = participle.MustBuild[lineAST](
		participle.Lexer(lineLexer),
		participle.Elide("Comment", "Space"),
		participle.UseLookahead(3))
	labelParser = participle.MustBuild[labelAST](
		participle.Lexer(lineLexer),
		participle.Elide("Comment", "Space"))
)
