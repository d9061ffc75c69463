package asm

import (
	"strings"
	"unicode/utf8"
)

// tokenKind says what a token is.
type tokenKind uint8

const (
	tokEnd    tokenKind = iota // the end of the line, or the ; that starts a comment
	tokName                    // letters, digits, _ and ., not starting with a digit
	tokNumber                  // a digit, then letters, digits, _ and .: 42, 0x2a, 0b101, 0xZZ
	tokChar                    // a character literal as written, perhaps unterminated: 'a', '\n'
	tokString                  // a string literal as written, perhaps unterminated
	tokPunct                   // one of , : ( ) + - # @
	tokBad                     // any other character
)

// token is one token of a line: its kind, its text as written, and the
// column of its first byte (columns count bytes from 1).
type token struct {
	kind tokenKind
	text string
	col  int32
}

// isPunct reports whether t is the punctuation c.
func (t token) isPunct(c byte) bool { return t.kind == tokPunct && t.text[0] == c }

// punctuation is every character that is a token on its own.
const punctuation = ",:()+-#@"

// lexLine appends the tokens of one line (without its "\n") to toks and
// returns the slice; the last token is always a tokEnd. It never fails:
// a number with bad digits, an unterminated string or a stray character
// is still a token, and the parser says what is wrong with it.
func lexLine(text string, toks []token) []token {
	i := 0
	for {
		for i < len(text) && (text[i] == ' ' || text[i] == '\t' || text[i] == '\r') {
			i++
		}
		if i == len(text) || text[i] == ';' {
			return append(toks, token{kind: tokEnd, col: int32(i + 1)})
		}
		kind, n := scanToken(text[i:])
		toks = append(toks, token{kind: kind, text: text[i : i+n], col: int32(i + 1)})
		i += n
	}
}

// scanToken returns the kind and the length of the token that starts s,
// which is not empty and starts with neither a space nor a ;.
func scanToken(s string) (tokenKind, int) {
	switch c := s[0]; {
	case c == '"':
		return tokString, quotedLen(s)
	case c == '\'':
		return tokChar, quotedLen(s)
	case c >= '0' && c <= '9':
		return tokNumber, nameLen(s)
	case isNameByte(c):
		return tokName, nameLen(s)
	case strings.IndexByte(punctuation, c) >= 0:
		return tokPunct, 1
	}
	_, n := utf8.DecodeRuneInString(s) // a whole character, so that a message can show it
	return tokBad, n
}

// nameLen returns the length of the run of name bytes that starts s.
func nameLen(s string) int {
	n := 0
	for n < len(s) && isNameByte(s[n]) {
		n++
	}
	return n
}

// isNameByte reports whether c may appear in a name (or a number).
func isNameByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '.'
}

// quotedLen returns the length of the string or character literal that
// starts s, up to and including its closing quote (the same as its
// opening one), stepping over escapes; a literal with no closing quote
// runs to the end of the line, ; included.
func quotedLen(s string) int {
	for i := 1; i < len(s); i++ {
		switch s[i] {
		case '\\':
			i++
		case s[0]:
			return i + 1
		}
	}
	return len(s)
}
