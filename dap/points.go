package dap

import (
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"

	godap "github.com/google/go-dap"

	"toyvm/debugger"
)

// breakpoint is one of the client's breakpoints: where it is, when it
// stops the guest, and what the client was told of it.
type breakpoint struct {
	id     int
	addr   uint32
	cond   string       // stop only when this expression is not 0 ("": always)
	hit    hitCondition // stop only on the hits it accepts
	log    string       // a log point's message, said instead of stopping ("": none)
	set    bool         // it was set: the client's breakpoint is verified
	client godap.Breakpoint
}

// same reports whether b and o are one breakpoint, set again.
func (b *breakpoint) same(o *breakpoint) bool {
	return b.set && o.set && b.addr == o.addr && b.cond == o.cond && b.hit == o.hit && b.log == o.log
}

// breakpoints are the client's breakpoints, in groups that each
// set...Breakpoints request replaces whole (a source file's, the
// functions', the instructions'), and the debugger's breakpoints under
// them: one at each address, shared by the client's there.
type breakpoints struct {
	groups map[string][]*breakpoint
	points map[uint32]int // the debugger's breakpoint at each address
	hits   map[int]int    // the hits of each of the client's breakpoints
	nextID int
}

func newBreakpoints() *breakpoints {
	return &breakpoints{groups: map[string][]*breakpoint{}, points: map[uint32]int{}, hits: map[int]int{}}
}

// replace makes fresh the breakpoints of group, in place of those set
// before, and returns them as the client is to be told.
func (b *breakpoints) replace(dbg *debugger.Session, group string, fresh []*breakpoint) []godap.Breakpoint {
	gone := b.number(fresh, b.groups[group])
	for _, o := range gone {
		delete(b.hits, o.id)
	}
	out := make([]godap.Breakpoint, 0, len(fresh))
	var kept []*breakpoint
	for _, n := range fresh {
		out = append(out, n.client)
		if n.set {
			kept = append(kept, n)
		}
	}
	b.groups[group] = kept
	b.sync(dbg)
	return out
}

// number gives each of fresh its number: a breakpoint set again as it
// was in old keeps its own (and so its hits), the others get new ones.
// It returns those of old that are gone.
func (b *breakpoints) number(fresh, old []*breakpoint) (gone []*breakpoint) {
	old = slices.Clone(old)
	for _, n := range fresh {
		if i := slices.IndexFunc(old, n.same); i >= 0 {
			n.id = old[i].id
			old = slices.Delete(old, i, i+1)
		} else {
			b.nextID++
			n.id = b.nextID
		}
		n.client.Id = n.id
	}
	return old
}

// sync sets the debugger's breakpoints where the client's are, and
// deletes those where none is left. One deleted by the user (the
// console's delete) is set again.
func (b *breakpoints) sync(dbg *debugger.Session) {
	want := map[uint32]bool{}
	for _, group := range b.groups {
		for _, bp := range group {
			want[bp.addr] = true
		}
	}
	for addr, id := range b.points {
		if !want[addr] {
			dbg.DeleteBreakpoint(id) // an error: the user deleted it already
			delete(b.points, addr)
		}
	}
	for _, addr := range slices.Sorted(maps.Keys(want)) {
		if id, ok := b.points[addr]; !ok || !dbg.HasPoint(id) {
			b.points[addr] = dbg.SetBreakpoint(addr)
		}
	}
}

// at returns the client's breakpoints at addr, in the order of their
// numbers.
func (b *breakpoints) at(addr uint32) []*breakpoint {
	var out []*breakpoint
	for _, group := range b.groups {
		for _, bp := range group {
			if bp.addr == addr {
				out = append(out, bp)
			}
		}
	}
	slices.SortFunc(out, func(x, y *breakpoint) int { return x.id - y.id })
	return out
}

// verdict is what reaching a breakpoint decides.
type verdict struct {
	stop bool
	ids  []int  // the client's breakpoints that stop the guest
	note string // a condition that could not be evaluated
}

// reach decides whether the guest, standing at the debugger's breakpoint
// point, stops there: a breakpoint that is not the client's (the
// console's break) stops it; the client's there each judge, counting
// their hits in hits and saying log messages through say (nil: not at
// all).
func (b *breakpoints) reach(dbg *debugger.Session, point int, hits map[int]int, say func(string)) verdict {
	addr := dbg.PC()
	if id, ok := b.points[addr]; !ok || id != point {
		return verdict{stop: true}
	}
	var v verdict
	for _, bp := range b.at(addr) {
		stop, note := bp.judge(dbg, hits, say)
		if stop {
			v.stop, v.ids = true, append(v.ids, bp.id)
		}
		if note != "" {
			v.note = note
		}
	}
	return v
}

// judge decides whether bp stops the guest now. When its condition
// holds, it counts a hit in hits, and stops the guest if its hit
// condition accepts the count; a log point says its message through say
// instead (nil: says nothing). A condition that cannot be evaluated
// stops the guest, as in gdb, with a note saying why.
func (bp *breakpoint) judge(dbg *debugger.Session, hits map[int]int, say func(string)) (stop bool, note string) {
	holds, err := bp.holds(dbg)
	switch {
	case err != nil:
		return true, fmt.Sprintf("error in the condition of breakpoint %d: %v", bp.id, err)
	case !holds:
		return false, ""
	}
	if hits[bp.id]++; !bp.hit.accepts(hits[bp.id]) {
		return false, ""
	}
	if bp.log == "" {
		return true, ""
	}
	if say != nil {
		say(logText(dbg, bp.log))
	}
	return false, ""
}

// holds reports whether bp's condition holds now, or the error that
// keeps it from being evaluated.
func (bp *breakpoint) holds(dbg *debugger.Session) (bool, error) {
	if bp.cond == "" {
		return true, nil
	}
	v, err := dbg.Eval(bp.cond)
	return v != 0, err
}

// logPart is an expression in a log point's message: {EXPR}.
var logPart = regexp.MustCompile(`\{[^{}]*\}`)

// logText returns a log point's message with each {EXPR} replaced by its
// value (in decimal, as a signed word), or by why it has none.
func logText(dbg *debugger.Session, message string) string {
	return logPart.ReplaceAllStringFunc(message, func(part string) string {
		expr := strings.TrimSpace(part[1 : len(part)-1])
		v, err := dbg.Eval(expr)
		if err != nil {
			return fmt.Sprintf("{%s: %v}", expr, err)
		}
		return fmt.Sprint(int32(v))
	})
}
