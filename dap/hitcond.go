package dap

import (
	"fmt"
	"strconv"
	"strings"
)

// hitCondition says which hits of a breakpoint stop the guest, counting
// from 1: "N" or ">= N" from the Nth on (gdb's ignore N-1), "> N",
// "== N", "< N", "<= N", or "% N" every Nth.
type hitCondition struct {
	op string // "" for none: every hit
	n  int
}

// hitOps are the operators of a hit condition, the longest first.
var hitOps = []string{">=", "<=", "==", ">", "<", "%"}

// parseHitCondition returns the hit condition text says ("" for none),
// or an error saying what it should be.
func parseHitCondition(text string) (hitCondition, error) {
	text = strings.TrimSpace(text)
	if text == "" {
		return hitCondition{}, nil
	}
	h, count := hitCondition{op: ">="}, text
	for _, op := range hitOps {
		if rest, ok := strings.CutPrefix(text, op); ok {
			h.op, count = op, strings.TrimSpace(rest)
			break
		}
	}
	n, err := strconv.Atoi(count)
	if err != nil || n < 0 || (h.op == "%" && n == 0) {
		return hitCondition{}, fmt.Errorf("bad hit condition %q: a count N, or >= N, > N, == N, < N, <= N, %% N", clip(text))
	}
	h.n = n
	return h, nil
}

// accepts reports whether the guest stops on hit number hits.
func (h hitCondition) accepts(hits int) bool {
	switch h.op {
	case ">=":
		return hits >= h.n
	case ">":
		return hits > h.n
	case "==":
		return hits == h.n
	case "<":
		return hits < h.n
	case "<=":
		return hits <= h.n
	case "%":
		return hits%h.n == 0
	}
	return true
}
