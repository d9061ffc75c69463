package policy

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// refs builds a read-only reference string.
func refs(pages ...uint32) []Ref {
	out := make([]Ref, len(pages))
	for i, p := range pages {
		out[i] = Ref{Page: p}
	}
	return out
}

var (
	belady       = refs(1, 2, 3, 4, 1, 2, 5, 1, 2, 3, 4, 5)
	ostepBook    = refs(0, 1, 2, 0, 1, 3, 0, 3, 1, 2, 1)
	silberschatz = refs(7, 0, 1, 2, 0, 3, 0, 4, 2, 3, 0, 3, 2, 1, 2, 0, 1, 7, 0, 1)
)

// TestSimulateCountsHitsAndMissesLikeTheTextbooks checks counts worked
// out by hand (and, for the classic strings, printed in the books).
func TestSimulateCountsHitsAndMissesLikeTheTextbooks(t *testing.T) {
	for _, c := range []struct {
		name   string
		policy string
		frames int
		refs   []Ref
		misses int
	}{
		{"Belady's anomaly, 3 frames", "fifo", 3, belady, 9},
		{"Belady's anomaly, 4 frames", "fifo", 4, belady, 10},
		{"Belady string, LRU 3", "lru", 3, belady, 10},
		{"Belady string, LRU 4", "lru", 4, belady, 8},
		{"Belady string, OPT 3", "opt", 3, belady, 7},
		{"Belady string, OPT 4", "opt", 4, belady, 6},
		{"Belady string, clock 3 (every page referenced: FIFO)", "clock", 3, belady, 9},
		{"OSTEP figure 22.1, OPT", "opt", 3, ostepBook, 5},
		{"OSTEP figure 22.2, FIFO", "fifo", 3, ostepBook, 7},
		{"OSTEP figure 22.5, LRU", "lru", 3, ostepBook, 5},
		{"Silberschatz, FIFO", "fifo", 3, silberschatz, 15},
		{"Silberschatz, LRU", "lru", 3, silberschatz, 12},
		{"Silberschatz, OPT", "opt", 3, silberschatz, 9},
		{"one frame: only repeats hit", "lru", 1, refs(1, 1, 2, 2, 1), 3},
		{"more frames than pages: compulsory misses only", "fifo", 8, ostepBook, 4},
		{"empty string", "opt", 3, nil, 0},
	} {
		res, err := Simulate(c.policy, c.frames, c.refs, 1)
		require.NoError(t, err, c.name)
		assert.Equal(t, c.misses, res.Misses, c.name)
		assert.Equal(t, len(c.refs)-c.misses, res.Hits, c.name)
		assert.Len(t, res.Steps, len(c.refs), c.name)
	}
}

func TestSimulateRecordsEachStepAndWritesBackDirtyVictims(t *testing.T) {
	for _, name := range SimulatedNames() {
		res, err := Simulate(name, 1, []Ref{{1, true}, {1, false}, {2, false}, {3, false}}, 1)
		require.NoError(t, err)
		assert.Equal(t, []Step{
			{Ref: Ref{1, true}},
			{Ref: Ref{1, false}, Hit: true},
			{Ref: Ref{2, false}, Evicted: true, Victim: 1, Dirty: true},
			{Ref: Ref{3, false}, Evicted: true, Victim: 2},
		}, res.Steps, name)
		assert.Equal(t, Result{Hits: 1, Misses: 3, Evictions: 2, Writebacks: 1, Steps: res.Steps}, res, name)
	}
}

func TestSimulateOPTBreaksTiesByTheLowestPageNumber(t *testing.T) {
	res, err := Simulate("opt", 3, refs(5, 3, 4, 9), 1)
	require.NoError(t, err)
	assert.Equal(t, Page(3), res.Steps[3].Victim, "3, 4 and 5 are never used again")
}

func TestSimulateESCWritesBackLessThanClockWhenCleanPagesAreColdToo(t *testing.T) {
	// Pages 0-3 are written once, 10-13 read once; then new pages stream in.
	var rs []Ref
	for p := uint32(0); p < 4; p++ {
		rs = append(rs, Ref{p, true}, Ref{p + 10, false})
	}
	for p := uint32(20); p < 24; p++ {
		rs = append(rs, Ref{p, false})
	}
	clock, err := Simulate("clock", 8, rs, 1)
	require.NoError(t, err)
	esc, err := Simulate("esc", 8, rs, 1)
	require.NoError(t, err)
	assert.Equal(t, 2, clock.Writebacks)
	assert.Equal(t, 0, esc.Writebacks)
}

func TestSimulateRejectsAnUnknownPolicyAndTooFewFrames(t *testing.T) {
	_, err := Simulate("no-such-policy", 3, belady, 1)
	assert.EqualError(t, err, `unknown replacement policy "no-such-policy" (known: `+strings.Join(SimulatedNames(), ", ")+")")
	for _, frames := range []int{0, -1} {
		_, err = Simulate("fifo", frames, belady, 1)
		assert.ErrorContains(t, err, "at least 1 frame is needed")
	}
}

func TestSimulateIsDeterministicForASeed(t *testing.T) {
	rs := randomRefs(rand.New(rand.NewPCG(1, 2)), 500, 40)
	for _, name := range SimulatedNames() {
		a, err := Simulate(name, 10, rs, 9)
		require.NoError(t, err)
		b, _ := Simulate(name, 10, rs, 9)
		assert.Equal(t, a, b, name)
	}
}

// ostepModel replays refs the way OSTEP's paging-policy.py does, with a
// plain list as memory: a miss appends the page, a full memory first
// removes a victim; FIFO and LRU evict the list's head, and LRU moves a
// hit page to the tail; OPT evicts the page whose next use is furthest,
// breaking ties by the page furthest along the list. It is slow and
// obviously right, to check Simulate against; it returns the misses.
func ostepModel(policy string, frames int, refs []Ref) int {
	var memory []uint32
	misses := 0
	for i, r := range refs {
		if k := slices.Index(memory, r.Page); k >= 0 {
			if policy == "lru" {
				memory = append(slices.Delete(memory, k, k+1), r.Page)
			}
			continue
		}
		misses++
		if len(memory) == frames {
			k := 0
			if policy == "opt" {
				k = furthest(memory, refs[i+1:])
			}
			memory = slices.Delete(memory, k, k+1)
		}
		memory = append(memory, r.Page)
	}
	return misses
}

// furthest returns the index in memory of the page whose next use in
// future is furthest (never: furthest of all), the last such on ties.
func furthest(memory []uint32, future []Ref) int {
	best, bestWhen := 0, -1
	for k, p := range memory {
		when := slices.IndexFunc(future, func(r Ref) bool { return r.Page == p })
		if when < 0 {
			when = len(future)
		}
		if when >= bestWhen {
			best, bestWhen = k, when
		}
	}
	return best
}

// randomRefs returns n references to pages below maxPage, a third of
// them writes.
func randomRefs(rng *rand.Rand, n, maxPage int) []Ref {
	out := make([]Ref, n)
	for i := range out {
		out[i] = Ref{Page: uint32(rng.IntN(maxPage)), Write: rng.IntN(3) == 0}
	}
	return out
}

// eachRandomCase calls f with 400 random reference strings and frame
// counts, the same every run.
func eachRandomCase(f func(refs []Ref, frames int)) {
	rng := rand.New(rand.NewPCG(2024, 3))
	for range 400 {
		f(randomRefs(rng, rng.IntN(80), 1+rng.IntN(12)), 1+rng.IntN(8))
	}
}

func TestSimulateMatchesOSTEPForFIFOLRUAndOPTOnRandomStrings(t *testing.T) {
	eachRandomCase(func(rs []Ref, frames int) {
		for _, name := range []string{"fifo", "lru", "opt"} {
			res, err := Simulate(name, frames, rs, 1)
			require.NoError(t, err)
			require.Equal(t, ostepModel(name, frames, rs), res.Misses, "%s, %d frames, %v", name, frames, rs)
		}
	})
}

func TestOPTNeverMissesMoreThanAnyPolicy(t *testing.T) {
	eachRandomCase(func(rs []Ref, frames int) {
		best, err := Simulate("opt", frames, rs, 1)
		require.NoError(t, err)
		for _, name := range Names() {
			res, err := Simulate(name, frames, rs, 5)
			require.NoError(t, err)
			require.LessOrEqual(t, best.Misses, res.Misses, "%s, %d frames, %v", name, frames, rs)
		}
	})
}

func TestLRUAndOPTNeverMissMoreWithMoreFrames(t *testing.T) {
	eachRandomCase(func(rs []Ref, frames int) {
		for _, name := range []string{"lru", "opt"} {
			fewer, err := Simulate(name, frames, rs, 1)
			require.NoError(t, err)
			more, err := Simulate(name, frames+1, rs, 1)
			require.NoError(t, err)
			require.LessOrEqual(t, more.Misses, fewer.Misses, "%s, %d frames, %v", name, frames, rs)
		}
	})
}

func TestEveryPolicyEvictsOnlyWhenMemoryIsFull(t *testing.T) {
	eachRandomCase(func(rs []Ref, frames int) {
		for _, name := range SimulatedNames() {
			res, err := Simulate(name, frames, rs, 3)
			require.NoError(t, err)
			require.Equal(t, len(rs), res.Hits+res.Misses, name)
			require.Equal(t, max(0, res.Misses-frames), res.Evictions, name)
			require.LessOrEqual(t, res.Writebacks, res.Evictions, name)
		}
	})
}
