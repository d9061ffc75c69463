package policy

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// testBits is a Bits over two sets, for tests and benchmarks.
type testBits struct {
	referenced, dirty map[Page]bool
}

func newTestBits() *testBits {
	return &testBits{referenced: map[Page]bool{}, dirty: map[Page]bool{}}
}

func (b *testBits) Referenced(p Page) bool { return b.referenced[p] }
func (b *testBits) ClearReferenced(p Page) { delete(b.referenced, p) }
func (b *testBits) Dirty(p Page) bool      { return b.dirty[p] }

func all(Page) bool { return true }

// fill returns the policy called name with pages 1..n inserted in order.
func fill(t *testing.T, name string, n int) Policy {
	t.Helper()
	p, err := New(name, 1)
	require.NoError(t, err)
	for i := 1; i <= n; i++ {
		p.Insert(Page(i))
	}
	return p
}

// victims drains p, returning its victims in order.
func victims(p Policy, b Bits) []Page {
	var out []Page
	for {
		v, ok := p.Victim(b, all)
		if !ok {
			return out
		}
		out = append(out, v)
	}
}

func TestNewKnowsEveryNameAndEachPolicyReportsIt(t *testing.T) {
	assert.Subset(t, Names(), []string{"fifo", "clock", "lru", "random"}, "the specification's four")
	for _, name := range Names() {
		p, err := New(name, 7)
		require.NoError(t, err)
		assert.Equal(t, name, p.Name())
	}
}

func TestNewRejectsAnUnknownNameListingTheKnownOnes(t *testing.T) {
	_, err := New("no-such-policy", 1)
	require.EqualError(t, err, `unknown replacement policy "no-such-policy" (known: `+strings.Join(Names(), ", ")+")")
	_, err = New("opt", 1)
	assert.Error(t, err, "opt needs the future: only Simulate knows it")
}

func TestEveryPolicyEvictsEachResidentPageExactlyOnce(t *testing.T) {
	for _, name := range Names() {
		got := victims(fill(t, name, 50), newTestBits())
		assert.ElementsMatch(t, pagesFrom(1, 50), got, name)
	}
}

func TestEveryPolicyReportsNoVictimWhenEmpty(t *testing.T) {
	for _, name := range Names() {
		_, ok := fill(t, name, 0).Victim(newTestBits(), all)
		assert.False(t, ok, name)
	}
}

func TestEveryPolicySkipsPagesThatAreNotEvictable(t *testing.T) {
	for _, name := range Names() {
		p := fill(t, name, 10)
		b := newTestBits()
		b.referenced[3] = true
		v, ok := p.Victim(b, func(p Page) bool { return p == 3 || p == 7 })
		require.True(t, ok, name)
		assert.Contains(t, []Page{3, 7}, v, name)
	}
}

func TestEveryPolicyReportsNoVictimWhenNothingIsEvictable(t *testing.T) {
	for _, name := range Names() {
		p := fill(t, name, 10)
		_, ok := p.Victim(newTestBits(), func(Page) bool { return false })
		assert.False(t, ok, name)
		assert.Len(t, victims(p, newTestBits()), 10, "%s: a failed Victim forgets nothing", name)
	}
}

func TestEveryPolicyForgetsARemovedPage(t *testing.T) {
	for _, name := range Names() {
		p := fill(t, name, 5)
		p.Remove(1)
		p.Remove(3)
		p.Remove(5)
		assert.ElementsMatch(t, []Page{2, 4}, victims(p, newTestBits()), name)
		p.Insert(3) // a removed page may come back
		assert.Equal(t, []Page{3}, victims(p, newTestBits()), name)
	}
}

func TestEveryPolicyPanicsOnMisuseNamingItself(t *testing.T) {
	for _, name := range Names() {
		p := fill(t, name, 2)
		assert.PanicsWithValue(t, "policy."+typeName(p)+": page 2 is already resident", func() { p.Insert(2) }, name)
		assert.PanicsWithValue(t, "policy."+typeName(p)+": page 9 is not resident", func() { p.Touch(9) }, name)
		assert.PanicsWithValue(t, "policy."+typeName(p)+": page 9 is not resident", func() { p.Remove(9) }, name)
	}
}

func typeName(p Policy) string { return fmt.Sprintf("%T", p)[len("*policy."):] }

func TestFIFOEvictsInInsertionOrderIgnoringTouches(t *testing.T) {
	p := fill(t, "fifo", 4)
	p.Touch(1)
	p.Touch(2)
	assert.Equal(t, []Page{1, 2, 3, 4}, victims(p, newTestBits()))
}

func TestLRUEvictsTheLeastRecentlyTouchedPage(t *testing.T) {
	p := fill(t, "lru", 4)
	p.Touch(1)
	p.Touch(3)
	p.Touch(1)
	assert.Equal(t, []Page{2, 4, 3, 1}, victims(p, newTestBits()))
}

func TestClockGivesReferencedPagesASecondChance(t *testing.T) {
	p := fill(t, "clock", 4)
	b := newTestBits()
	b.referenced[1], b.referenced[3] = true, true
	v, _ := p.Victim(b, all)
	assert.Equal(t, Page(2), v)
	assert.False(t, b.referenced[1], "the hand cleared 1's bit as it passed")
	assert.True(t, b.referenced[3], "the hand stopped before 3")
	p.Insert(5) // just behind the hand, which is at 3: the ring is 3, 4, 1, 5
	assert.Equal(t, []Page{4, 1, 5}, take(p, b, 3), "3 gets its second chance; 5 is reached last")
}

// take returns the next n victims of p.
func take(p Policy, b Bits, n int) []Page {
	out := make([]Page, 0, n)
	for range n {
		v, _ := p.Victim(b, all)
		out = append(out, v)
	}
	return out
}

func TestClockDegradesToFIFOWhenEveryPageIsReferenced(t *testing.T) {
	p := fill(t, "clock", 4)
	b := newTestBits()
	for i := Page(1); i <= 4; i++ {
		b.referenced[i] = true
	}
	assert.Equal(t, []Page{1, 2, 3, 4}, victims(p, b))
}

func TestESCEvictsAnUnreferencedCleanPageBeforeAnUnreferencedDirtyOne(t *testing.T) {
	p := fill(t, "esc", 3)
	b := newTestBits()
	b.dirty[1], b.referenced[2] = true, true
	v, _ := p.Victim(b, all)
	assert.Equal(t, Page(3), v)
	assert.True(t, b.referenced[2], "the first lap changes no bit")
}

func TestESCClearsReferenceBitsOnlyWhileLookingForDirtyPages(t *testing.T) {
	p := fill(t, "esc", 4)
	b := newTestBits()
	b.referenced[1], b.dirty[1] = true, true // (1,1)
	b.referenced[2] = true                   // (1,0)
	b.dirty[3] = true                        // (0,1)
	b.referenced[4] = true                   // (1,0)
	v, _ := p.Victim(b, all)
	assert.Equal(t, Page(3), v, "no (0,0): the second lap takes the first (0,1)")
	assert.False(t, b.referenced[1] || b.referenced[2], "the second lap cleared the pages it passed")
	assert.True(t, b.referenced[4], "and stopped before 4")
	v, _ = p.Victim(b, all)
	assert.Equal(t, Page(2), v, "now 2 is (0,0); 4 (1,0) and 1 (0,1) are passed over")
}

func TestESCFindsAVictimWhenEveryPageIsReferencedAndDirty(t *testing.T) {
	p := fill(t, "esc", 3)
	b := newTestBits()
	for i := Page(1); i <= 3; i++ {
		b.referenced[i], b.dirty[i] = true, true
	}
	assert.Equal(t, []Page{1, 2, 3}, victims(p, b))
}

func TestRandomChoosesTheSameVictimsForTheSameSeed(t *testing.T) {
	draw := func(seed uint64) []Page {
		p := NewRandom(seed)
		for i := 1; i <= 100; i++ {
			p.Insert(Page(i))
		}
		return victims(p, newTestBits())
	}
	assert.Equal(t, draw(42), draw(42))
	assert.NotEqual(t, draw(42), draw(43))
	assert.NotEqual(t, pagesFrom(1, 100), draw(42), "not simply in order")
}

func TestPageAndRefAndStepPrintAsStudentsWriteThem(t *testing.T) {
	assert.Equal(t, "7", Page(7).String())
	assert.Equal(t, "3w", Ref{Page: 3, Write: true}.String())
	assert.Equal(t, "3", Ref{Page: 3}.String())
	assert.Equal(t, "hit", Step{Hit: true}.String())
	assert.Equal(t, "miss", Step{}.String())
	assert.Equal(t, "miss, evict 2", Step{Evicted: true, Victim: 2}.String())
	assert.Equal(t, "miss, evict 2 (dirty)", Step{Evicted: true, Victim: 2, Dirty: true}.String())
}

func pagesFrom(lo, hi int) []Page {
	var out []Page
	for i := lo; i <= hi; i++ {
		out = append(out, Page(i))
	}
	return out
}
