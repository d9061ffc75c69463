package asm

import (
	"encoding/binary"
	"fmt"
	"sort"
	"strings"
)

// directive is one assembler directive: size works out its size in pass
// 1 (and does what it does at once: switch sections, define a name);
// emit writes its bytes in pass 2.
type directive struct {
	emits bool // stores bytes in the image (not .space or .align)
	size  func(a *assembler, st *statement) (uint32, bool)
	emit  func(a *assembler, it *item)
}

// directives are the directives of docs/isa.md section 11, by lower-case
// name. The table is filled in init: .include reads lines, whose
// statements are looked up in it, and Go refuses a variable whose value
// refers to itself.
var directives map[string]*directive

func init() {
	directives = map[string]*directive{
		".text":    {size: sizeSection(textSection)},
		".data":    {size: sizeSection(dataSection)},
		".word":    {emits: true, size: sizeValues(4), emit: emitWords},
		".byte":    {emits: true, size: sizeValues(1), emit: emitBytes},
		".ascii":   {emits: true, size: sizeString(0), emit: emitString},
		".asciz":   {emits: true, size: sizeString(1), emit: emitString},
		".space":   {size: sizeSpace},
		".align":   {size: sizeAlign},
		".equ":     {size: sizeEqu},
		".include": {size: sizeInclude},
	}
}

// directiveNames returns the directive names, sorted.
func directiveNames() []string {
	names := make([]string, 0, len(directives))
	for n := range directives {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// wantArgs reports a directive given other than n arguments.
func (a *assembler) wantArgs(st *statement, n int, what string) bool {
	if len(st.args) == n {
		return true
	}
	a.errorf(st.at, "%s takes %s, found %d argument%s", st.name, what, len(st.args), plural(len(st.args)))
	return false
}

// valueArg reports an argument that is not a plain expression.
func (a *assembler) valueArg(st *statement, ar *arg) bool {
	switch {
	case ar.kind == argBare:
		return true
	case ar.kind == argString:
		a.errorf(ar.at, "%s takes values, not a string: for the bytes of %s, write .ascii %s", st.name, ar.text, ar.text)
	default:
		a.errorf(ar.at, "%s takes values (numbers, labels, .equ names), not %s", st.name, ar.text)
	}
	return false
}

// sizeSection returns the size function of .text or .data, which switch
// to sec and take no arguments.
func sizeSection(sec section) func(a *assembler, st *statement) (uint32, bool) {
	return func(a *assembler, st *statement) (uint32, bool) {
		if !a.wantArgs(st, 0, "no arguments") {
			return 0, false
		}
		a.sec = sec
		return 0, true
	}
}

// sizeValues sizes .word and .byte: one or more values of width bytes.
func sizeValues(width uint32) func(a *assembler, st *statement) (uint32, bool) {
	return func(a *assembler, st *statement) (uint32, bool) {
		if len(st.args) == 0 {
			a.errorf(st.at, "%s takes one or more values", st.name)
			return 0, false
		}
		ok := true
		for i := range st.args {
			ok = a.valueArg(st, &st.args[i]) && ok
		}
		return width * uint32(len(st.args)), ok
	}
}

// emitWords writes .word values, little-endian.
func emitWords(a *assembler, it *item) {
	var out []byte
	for _, ar := range it.args {
		v, _ := a.eval(&ar.expr)
		out = binary.LittleEndian.AppendUint32(out, v)
	}
	a.write(it, out)
}

// emitBytes writes .byte values, which must lie in -128..255.
func emitBytes(a *assembler, it *item) {
	var out []byte
	for _, ar := range it.args {
		v, ok := a.eval(&ar.expr)
		if ok && (int32(v) < -128 || int32(v) > 255) {
			a.errorf(ar.at, ".byte value %s is out of range -128..255", valueNote(ar.text, v))
		}
		out = append(out, byte(v))
	}
	a.write(it, out)
}

// sizeString sizes .ascii (zero 0) and .asciz (zero 1, for the NUL).
func sizeString(zero uint32) func(a *assembler, st *statement) (uint32, bool) {
	return func(a *assembler, st *statement) (uint32, bool) {
		if !a.wantArgs(st, 1, "one string") {
			return 0, false
		}
		if ar := &st.args[0]; ar.kind != argString {
			a.errorf(ar.at, "%s takes a string in double quotes, %s", st.name, notAString(ar))
			return 0, false
		}
		return uint32(len(st.args[0].str)) + zero, true
	}
}

// notAString says how to write as a string what was given instead of
// one: a character in single quotes, or a bare word.
func notAString(ar *arg) string {
	if len(ar.expr.terms) == 1 && strings.HasPrefix(ar.text, "'") && len(ar.text) >= 3 {
		inner := strings.ReplaceAll(ar.text[1:len(ar.text)-1], `"`, `\"`)
		return fmt.Sprintf(`not %s: write "%s" (%s is one character, a number)`, ar.text, inner, ar.text)
	}
	if name, ok := ar.expr.singleName(); ok && ar.kind == argBare {
		return fmt.Sprintf("not %s: write %q", name, name)
	}
	return "not " + ar.text
}

// emitString writes the bytes of .ascii or .asciz (and its NUL).
func emitString(a *assembler, it *item) {
	out := append([]byte(nil), it.args[0].str...)
	for uint32(len(out)) < it.size {
		out = append(out, 0)
	}
	a.write(it, out)
}

// sizeSpace sizes .space n: n zero bytes.
func sizeSpace(a *assembler, st *statement) (uint32, bool) {
	if !a.wantArgs(st, 1, "one size") || !a.valueArg(st, &st.args[0]) {
		return 0, false
	}
	n, ok := a.constant(&st.args[0].expr, "the size of .space")
	switch {
	case ok && int32(n) < 0:
		a.errorf(st.args[0].at, ".space %d: a size cannot be negative", int32(n))
		return 0, false
	case ok && n > maxSection:
		a.errorf(st.args[0].at, ".space %d is larger than a section may be (%d MiB)", n, maxSection>>20)
		return 0, false
	}
	return n, ok
}

// sizeAlign sizes .align n: zero bytes up to a multiple of n, a power
// of two up to the page size (sections start on page boundaries, so an
// offset so aligned is an address so aligned).
func sizeAlign(a *assembler, st *statement) (uint32, bool) {
	if !a.wantArgs(st, 1, "one alignment") || !a.valueArg(st, &st.args[0]) {
		return 0, false
	}
	n, ok := a.constant(&st.args[0].expr, "the alignment of .align")
	if !ok {
		return 0, false
	}
	if n == 0 || n&(n-1) != 0 || n > 4096 {
		a.errorf(st.args[0].at, ".align %d: the alignment must be a power of two from 1 to 4096", n)
		return 0, false
	}
	return uint32(-a.size[a.sec]) & (n - 1), true
}

// sizeEqu defines the name of .equ name, value; its value is worked out
// when it is first needed.
func sizeEqu(a *assembler, st *statement) (uint32, bool) {
	if !a.wantArgs(st, 2, "a name and a value") {
		return 0, false
	}
	name, value := &st.args[0], &st.args[1]
	if !a.valueArg(st, value) {
		return 0, false
	}
	n, ok := "", name.kind == argBare
	if ok {
		n, ok = name.expr.singleName()
	}
	if !ok {
		a.errorf(name.at, ".equ needs a name first, not %s", name.text)
		return 0, false
	}
	a.defineEqu(n, name.at, value.expr)
	return 0, true
}

// valueNote returns the text of a value, with its value if that is not
// what was written: "x+300 (= 301)".
func valueNote(text string, v uint32) string {
	if d := fmt.Sprint(int32(v)); d != text {
		return text + " (= " + d + ")"
	}
	return text
}

// sizeInclude reads the file that .include "name" names, where the
// .include stands (source.go): its lines are placed before the next line
// of this file is read.
func sizeInclude(a *assembler, st *statement) (uint32, bool) {
	if !a.wantArgs(st, 1, "one file name") {
		return 0, false
	}
	ar := &st.args[0]
	if ar.kind != argString {
		a.errorf(ar.at, ".include takes a file name in double quotes, not %s", ar.text)
		return 0, false
	}
	// The included file's lines reuse the parser's buffers, which hold
	// st: take what is needed of it first.
	name, at := string(ar.str), ar.at
	a.include(name, at)
	return 0, true
}
