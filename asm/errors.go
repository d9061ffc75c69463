package asm

import (
	"fmt"
	"sort"
	"strings"
)

// Pos is a position in a source file: 1-based line and column.
type Pos struct {
	File string
	Line int
	Col  int
}

// String returns "file.s:12:7".
func (p Pos) String() string { return fmt.Sprintf("%s:%d:%d", p.File, p.Line, p.Col) }

// loc is a place in the program's source, in 8 bytes: the number of its
// line, counted in the order the assembler reads the lines, and its
// column. Pass 1 keeps one for every statement, argument and symbol until
// pass 2, so it is kept small; the assembler turns it into a Pos (with
// the file's name) only for a message or the line table.
type loc struct{ line, col int32 }

// before reports whether l comes before m in reading order.
func (l loc) before(m loc) bool {
	if l.line != m.line {
		return l.line < m.line
	}
	return l.col < m.col
}

// Error is one assembly error at a position. An error in an included
// file also says where that file was included from.
type Error struct {
	Pos      Pos
	Msg      string
	Included []Pos // the .include that reads Pos's file, then the one that reads that one's...
	order    loc   // where the error lies in reading order, to sort by
}

// Error returns "file.s:12:7: message", followed for an error in an
// included file by a line "\tincluded from main.s:3:10" for each include
// that leads to it, innermost first.
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.Pos.String() + ": " + e.Msg)
	for _, p := range e.Included {
		b.WriteString("\n\tincluded from " + p.String())
	}
	return b.String()
}

// ErrorList is every error found in a program, sorted by position once
// assembly is over.
type ErrorList []*Error

// Sort orders the errors as their lines are read; errors at the same
// place keep the order they were found in.
func (l ErrorList) Sort() {
	sort.SliceStable(l, func(i, j int) bool { return l[i].order.before(l[j].order) })
}

// Error returns the errors one a line.
func (l ErrorList) Error() string {
	lines := make([]string, len(l))
	for i, e := range l {
		lines[i] = e.Error()
	}
	return strings.Join(lines, "\n")
}

// Err returns the sorted list as an error, or nil if it is empty.
func (l ErrorList) Err() error {
	if len(l) == 0 {
		return nil
	}
	l.Sort()
	return l
}
