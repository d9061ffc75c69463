package asm

import (
	"fmt"
	"strings"

	"toyvm/isa"
)

// unknownName returns the message for a mnemonic or directive that does
// not exist, suggesting the nearest known one if it is close enough, or
// else where the known ones are listed.
func unknownName(name string) string {
	kind, known, where := "instruction", mnemonics(), "docs/isa.md section 4 lists the instructions"
	if name != "" && name[0] == '.' {
		kind, known = "directive", directiveNames()
		where = "the directives are " + strings.Join(known, ", ")
	}
	msg := fmt.Sprintf("unknown %s %q", kind, name)
	if near := nearest(name, known); near != "" {
		return msg + fmt.Sprintf("; did you mean %q?", near)
	}
	return msg + ": " + where
}

// mnemonics returns every instruction name, in table order.
func mnemonics() []string {
	names := make([]string, len(isa.Ops))
	for i := range isa.Ops {
		names[i] = isa.Ops[i].Name
	}
	return names
}

// nearest returns the candidate closest to word by edit distance, the
// first in order on a tie, or "" if none is within 2 edits (and closer
// than the length of word).
func nearest(word string, candidates []string) string {
	best, bestDist := "", 3
	for _, c := range candidates {
		if d := editDistance(word, c); d < bestDist && d < len(word) {
			best, bestDist = c, d
		}
	}
	return best
}

// editDistance returns the number of single-byte insertions, deletions,
// substitutions and swaps of adjacent bytes that turn a into b (the
// optimal string alignment distance, so "mvo" is 1 from "mov").
func editDistance(a, b string) int {
	d := make([][]int, len(a)+1)
	for i := range d {
		d[i] = make([]int, len(b)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(a); i++ {
		for j := 1; j <= len(b); j++ {
			d[i][j] = editStep(d, a, b, i, j)
		}
	}
	return d[len(a)][len(b)]
}

// editStep returns the distance of a[:i] to b[:j] from the smaller ones.
func editStep(d [][]int, a, b string, i, j int) int {
	cost := 1
	if a[i-1] == b[j-1] {
		cost = 0
	}
	best := min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
	if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
		best = min(best, d[i-2][j-2]+1)
	}
	return best
}
