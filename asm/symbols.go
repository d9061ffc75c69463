package asm

import (
	"fmt"
	"strings"

	"toyvm/image"
)

// equState is how far an .equ's value has been worked out.
type equState uint8

const (
	equUnresolved equState = iota
	equResolving           // on the stack of resolve: meeting it again is a cycle
	equResolved
	equFailed // an error was reported
)

// symbol is a label (a section and an offset, known in pass 1) or an
// .equ name (an expression). An .equ whose expression holds only numbers
// and .equ names already valued gets its value at its own line, in pass
// 1; any other is worked out after pass 1, when it is first needed.
type symbol struct {
	name  string
	kind  image.SymKind
	at    loc
	sec   section
	off   uint32
	expr  expr
	state equState
	value uint32
}

// symtab is the symbol table: every symbol in definition order, and an
// index of them by name.
type symtab struct {
	all    []*symbol
	byName map[string]*symbol
}

// defineLabel defines a label at the current position.
func (a *assembler) defineLabel(l *label) {
	if _, isReg := parseRegister(l.name); isReg {
		a.errorf(l.at, "label %q is a register name", l.name)
		return
	}
	a.define(&symbol{name: l.name, kind: image.SymLabel, at: l.at, sec: a.sec, off: uint32(a.size[a.sec])})
}

// defineEqu defines an .equ name, valuing it at once if it can be.
func (a *assembler) defineEqu(name string, at loc, e expr) {
	s := &symbol{name: name, kind: image.SymEqu, at: at, expr: e}
	if v, ok := e.sum(a.knownEqu, false); ok {
		s.state, s.value = equResolved, v
	}
	a.define(s)
}

// define adds a symbol, refusing a second definition of its name.
func (a *assembler) define(s *symbol) {
	if old := a.syms.byName[s.name]; old != nil {
		a.errorf(s.at, "duplicate %s %q: first defined at %s", s.kind, s.name, a.pos(old.at))
		return
	}
	a.syms.byName[s.name] = s
	a.syms.all = append(a.syms.all, s)
}

// knownEqu returns the value of the name in t if it is an .equ that
// already has one; it reports nothing.
func (a *assembler) knownEqu(t term) (uint32, bool) {
	s := a.syms.byName[t.name]
	if s == nil || s.kind != image.SymEqu || s.state != equResolved {
		return 0, false
	}
	return s.value, true
}

// constant returns the value of e in pass 1, where it may only use
// numbers and .equ names already valued; what names the value in the
// error reported otherwise.
func (a *assembler) constant(e *expr, what string) (uint32, bool) {
	v, ok := e.sum(a.knownEqu, false)
	if !ok {
		a.errorf(e.at, "%s must be a constant: a number, or an .equ of numbers defined above", what)
	}
	return v, ok
}

// eval returns the value of e with every symbol known (after pass 1),
// reporting each undefined name; false if the value is unknown.
func (a *assembler) eval(e *expr) (uint32, bool) {
	return e.sum(func(t term) (uint32, bool) { return a.lookup(e, t) }, true)
}

// lookup returns the value of the name in term t of e, reporting it if it
// is undefined; false if its value is unknown.
func (a *assembler) lookup(e *expr, t term) (uint32, bool) {
	s := a.syms.byName[t.name]
	switch {
	case s == nil:
		a.errorf(e.termLoc(t), "undefined label %q%s", t.name, a.undefinedHint(t.name))
		return 0, false
	case s.kind == image.SymEqu:
		return a.equValue(s)
	}
	return a.base[s.sec] + s.off, true
}

// Suggestions for undefined names are looked for only in a program of at
// most maxSuggestFrom names, and for its first maxSuggestions undefined
// names: past that, comparing every undefined name with every name would
// cost more than the assembly.
const (
	maxSuggestFrom = 10_000
	maxSuggestions = 100
)

// undefinedHint returns what to add to the message for an undefined
// name: a reminder of the registers for one shaped like a register, or
// the nearest defined name ("" if there is none near).
func (a *assembler) undefinedHint(name string) string {
	if looksLikeRegister(name) {
		return " (the registers are r0-r15, sp and fp)"
	}
	if len(a.syms.all) > maxSuggestFrom || a.suggestions >= maxSuggestions {
		return ""
	}
	a.suggestions++
	names := make([]string, len(a.syms.all))
	for i, s := range a.syms.all {
		names[i] = s.name
	}
	near := nearest(name, names)
	switch {
	case near == "":
		return ""
	case strings.EqualFold(near, name):
		return fmt.Sprintf("; did you mean %q? (names are case-sensitive)", near)
	}
	return fmt.Sprintf("; did you mean %q?", near)
}

// equValue returns the value of an .equ name, working it out (with
// resolve) on first use; false if it has none, an error having been
// reported.
func (a *assembler) equValue(s *symbol) (uint32, bool) {
	if s.state == equUnresolved {
		a.resolve(s)
	}
	return s.value, s.state == equResolved
}

// equFrame is an .equ on resolve's stack, and the index of the next term
// of its expression to look at.
type equFrame struct {
	sym  *symbol
	next int
}

// resolve works out the value of root and of every .equ it depends on,
// depth first, with an explicit stack rather than recursion: a chain of
// .equ names may be a million deep, and each is worked out once. An .equ
// met again while it is on the stack depends on itself: that is reported
// at its definition, and it fails.
func (a *assembler) resolve(root *symbol) {
	root.state = equResolving
	stack := []equFrame{{sym: root}}
	for len(stack) > 0 {
		top := &stack[len(stack)-1]
		if dep := a.nextUnresolved(top); dep != nil {
			dep.state = equResolving
			stack = append(stack, equFrame{sym: dep})
			continue
		}
		stack = stack[:len(stack)-1]
		a.settle(top.sym)
	}
}

// nextUnresolved returns the next .equ named in f's expression that is
// not yet worked out, reporting each cycle it finds on the way; nil when
// every name is settled.
func (a *assembler) nextUnresolved(f *equFrame) *symbol {
	for ; f.next < len(f.sym.expr.terms); f.next++ {
		dep := a.syms.byName[f.sym.expr.terms[f.next].name]
		switch {
		case dep == nil || dep.kind != image.SymEqu:
		case dep.state == equUnresolved:
			return dep
		case dep.state == equResolving:
			a.errorf(dep.at, ".equ %s depends on itself", dep.name)
			dep.state = equFailed
		}
	}
	return nil
}

// settle sums the expression of s, every .equ in it being settled, unless
// s failed already (it is part of a cycle).
func (a *assembler) settle(s *symbol) {
	if s.state != equResolving {
		return
	}
	v, ok := a.eval(&s.expr)
	s.state, s.value = equFailed, v
	if ok {
		s.state = equResolved
	}
}

// symbols returns the symbol table in definition order.
func (a *assembler) symbols() []image.Symbol {
	if len(a.syms.all) == 0 {
		return nil
	}
	out := make([]image.Symbol, 0, len(a.syms.all))
	for _, s := range a.syms.all {
		v := s.value
		if s.kind == image.SymLabel {
			v = a.base[s.sec] + s.off
		}
		out = append(out, image.Symbol{Name: s.name, Value: v, Kind: s.kind})
	}
	return out
}
