package asm

import (
	"fmt"
	"strconv"
	"strings"
)

// expr is an expression of docs/isa.md section 11: terms added together
// modulo 2^32. Each term is a number or a name (a label or an .equ name).
// An expression lies on one line: it keeps the place of its start, and
// each term only its column.
type expr struct {
	at    loc
	terms []term
}

// term is one number or name of an expression, possibly negated.
type term struct {
	col   int32
	neg   bool   // subtracted
	name  string // a label or .equ name; "" for a number
	value uint32 // the number when name is ""
}

// termLoc returns the place of term t of e.
func (e *expr) termLoc(t term) loc { return loc{line: e.at.line, col: t.col} }

// isConst reports whether e names no symbol.
func (e *expr) isConst() bool {
	for _, t := range e.terms {
		if t.name != "" {
			return false
		}
	}
	return true
}

// singleName returns the name when e is nothing but one name.
func (e *expr) singleName() (string, bool) {
	if len(e.terms) != 1 || e.terms[0].neg || e.terms[0].name == "" {
		return "", false
	}
	return e.terms[0].name, true
}

// sum adds the terms of e, with lookup giving each name's value. It
// returns false if lookup fails for a name; with all it still looks up
// the names that follow (so that each undefined one is reported), else
// it stops at the first failure.
func (e *expr) sum(lookup func(t term) (uint32, bool), all bool) (uint32, bool) {
	var total uint32
	ok := true
	for _, t := range e.terms {
		v := t.value
		if t.name != "" {
			var found bool
			v, found = lookup(t)
			ok = ok && found
		}
		if !ok && !all {
			return 0, false
		}
		if t.neg {
			v = -v
		}
		total += v
	}
	return total, ok
}

// parseNumber returns the value of a number token: decimal, 0x hex or
// 0b binary. It returns an error that names the digits allowed, for bad
// digits, or for a value that does not fit in 32 bits.
func parseNumber(s string) (uint32, error) {
	digits, base, kind := s, 10, "decimal"
	if len(s) >= 2 && s[0] == '0' {
		switch s[1] {
		case 'x', 'X':
			digits, base, kind = s[2:], 16, "hexadecimal"
		case 'b', 'B':
			digits, base, kind = s[2:], 2, "binary"
		}
	}
	v, err := strconv.ParseUint(digits, base, 64)
	switch {
	case digits == "":
		return 0, fmt.Errorf("bad number %q: %s digits must follow %s", s, kind, s)
	case err != nil && v == 0 || strings.ContainsAny(digits, "_+-"):
		return 0, fmt.Errorf("bad %s number %q: %s", kind, s, digitRule(base, digits))
	case err != nil || v > 0xFFFFFFFF:
		return 0, fmt.Errorf("number %s does not fit in 32 bits", s)
	}
	return uint32(v), nil
}

// digitRule says which digits a number of base may have, for one whose
// digits are not all so.
func digitRule(base int, digits string) string {
	switch {
	case base == 16:
		return "its digits are 0-9 and a-f"
	case base == 2:
		return "its digits are 0 and 1"
	case strings.Contains(digits, "."):
		return "toyvm's numbers are whole numbers"
	}
	return "its digits are 0-9 (0x starts a hexadecimal number, and a name cannot start with a digit)"
}

// literalError is a mistake inside a string or character literal, at a
// byte offset from the literal's opening quote.
type literalError struct {
	at  int
	msg string
}

// unquote decodes a string or character token (quote is " or ')
// with the escapes \n \t \0 \\ \' \". It returns the bytes, or a
// literalError for a bad escape or a missing closing quote.
func unquote(tok string, quote byte) ([]byte, *literalError) {
	var out []byte
	for i := 1; i < len(tok); i++ {
		c := tok[i]
		switch {
		case c == quote && i == len(tok)-1:
			return out, nil
		case c == '\\':
			b, err := unescape(tok, i)
			if err != nil {
				return nil, err
			}
			out = append(out, b)
			i++
		default:
			out = append(out, c)
		}
	}
	return nil, &literalError{0, fmt.Sprintf("unterminated %s: it needs a closing %c on the same line", literalKind(quote), quote)}
}

// unescape decodes the escape whose backslash is at tok[i].
func unescape(tok string, i int) (byte, *literalError) {
	if i+1 >= len(tok) {
		return 0, &literalError{i, "unterminated escape at the end of the line"}
	}
	switch c := tok[i+1]; c {
	case 'n':
		return '\n', nil
	case 't':
		return '\t', nil
	case '0':
		return 0, nil
	case '\\', '\'', '"':
		return c, nil
	default:
		return 0, &literalError{i, fmt.Sprintf(`bad escape \%c: use \n, \t, \0, \\, \' or \"`, c)}
	}
}

// literalKind names what a literal with quote is: "string" or
// "character".
func literalKind(quote byte) string {
	if quote == '"' {
		return "string"
	}
	return "character"
}
