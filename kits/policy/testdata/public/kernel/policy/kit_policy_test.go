package policy

// The public tests of the policy kit (kits/policy/README.md): clock and
// LRU, driven directly through the Policy interface, then through the
// simulator that `toyvm policy` runs.

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// kitBits is a Bits over a set of referenced pages.
type kitBits map[Page]bool

func (b kitBits) Referenced(p Page) bool { return b[p] }
func (b kitBits) ClearReferenced(p Page) { delete(b, p) }
func (b kitBits) Dirty(Page) bool        { return false }

func kitAll(Page) bool { return true }

// kitFilled returns the policy called name holding pages 1..n, inserted
// in that order.
func kitFilled(t *testing.T, name string, n int) Policy {
	t.Helper()
	p, err := New(name, 1)
	require.NoError(t, err)
	for i := 1; i <= n; i++ {
		p.Insert(Page(i))
	}
	return p
}

// kitVictim asks p for a victim among every page, failing if none.
func kitVictim(t *testing.T, p Policy, b Bits) Page {
	t.Helper()
	v, ok := p.Victim(b, kitAll)
	require.True(t, ok, "a victim")
	return v
}

func TestKitPolicyClockGivesAReferencedPageASecondChance(t *testing.T) {
	c := kitFilled(t, "clock", 4)
	bits := kitBits{1: true, 3: true}
	assert.Equal(t, Page(2), kitVictim(t, c, bits), "1 is referenced: its bit is cleared, the hand moves on to 2")
	assert.False(t, bits[1], "1 lost its reference bit")
	assert.True(t, bits[3], "the hand stopped before reaching 3")
	assert.Equal(t, Page(4), kitVictim(t, c, bits), "3 gets its second chance too")
	assert.Equal(t, Page(1), kitVictim(t, c, bits), "the hand came round to 1, not referenced any more")
	assert.Equal(t, Page(3), kitVictim(t, c, bits))
}

func TestKitPolicyClockPassesOverPagesThatAreNotEvictable(t *testing.T) {
	c := kitFilled(t, "clock", 3)
	locked := func(p Page) bool { return p != 1 }
	v, ok := c.Victim(kitBits{}, locked)
	require.True(t, ok)
	assert.Equal(t, Page(2), v, "1 is locked: passed over, its bit untouched")
	v, ok = c.Victim(kitBits{}, locked)
	require.True(t, ok)
	assert.Equal(t, Page(3), v)
}

func TestKitPolicyClockInsertsANewPageJustBehindTheHand(t *testing.T) {
	c := kitFilled(t, "clock", 3)
	assert.Equal(t, Page(1), kitVictim(t, c, kitBits{}), "the hand now stands at 2")
	c.Insert(Page(9)) // just behind the hand: the last it reaches
	assert.Equal(t, Page(2), kitVictim(t, c, kitBits{}))
	assert.Equal(t, Page(3), kitVictim(t, c, kitBits{}))
	assert.Equal(t, Page(9), kitVictim(t, c, kitBits{}))
}

func TestKitPolicyClockForgetsARemovedPage(t *testing.T) {
	c := kitFilled(t, "clock", 3)
	c.Remove(Page(1)) // under the hand: it moves on
	c.Touch(Page(2))  // a resident page: nothing happens
	assert.Equal(t, Page(2), kitVictim(t, c, kitBits{}))
	assert.Equal(t, Page(3), kitVictim(t, c, kitBits{}))
	_, ok := c.Victim(kitBits{}, kitAll)
	assert.False(t, ok, "empty")
}

func TestKitPolicyLRUEvictsTheLeastRecentlyUsedPage(t *testing.T) {
	l := kitFilled(t, "lru", 4)
	l.Touch(Page(1))
	l.Touch(Page(3))
	assert.Equal(t, Page(2), kitVictim(t, l, kitBits{}))
	assert.Equal(t, Page(4), kitVictim(t, l, kitBits{}))
	l.Insert(Page(5))
	l.Touch(Page(1))
	assert.Equal(t, Page(3), kitVictim(t, l, kitBits{}), "3 was touched before 5 came in and 1 was touched again")
	l.Remove(Page(5))
	assert.Equal(t, Page(1), kitVictim(t, l, kitBits{}))
}

func TestKitPolicyLRUPassesOverPagesThatAreNotEvictable(t *testing.T) {
	l := kitFilled(t, "lru", 3)
	v, ok := l.Victim(kitBits{}, func(p Page) bool { return p == 3 })
	require.True(t, ok)
	assert.Equal(t, Page(3), v)
	v, ok = l.Victim(kitBits{}, kitAll)
	require.True(t, ok)
	assert.Equal(t, Page(1), v, "1 and 2 stay in their order")
}

func TestKitPolicyNoVictimWhenNothingIsEvictable(t *testing.T) {
	for _, name := range []string{"clock", "lru"} {
		p := kitFilled(t, name, 3)
		_, ok := p.Victim(kitBits{1: true}, func(Page) bool { return false })
		assert.False(t, ok, name)
		_, ok = kitFilled(t, name, 0).Victim(kitBits{}, kitAll)
		assert.False(t, ok, name+", empty")
	}
}

// kitTextbook is the reference string of the textbooks' examples.
var kitTextbook = []Ref{{Page: 7}, {Page: 0}, {Page: 1}, {Page: 2}, {Page: 0}, {Page: 3}, {Page: 0},
	{Page: 4}, {Page: 2}, {Page: 3}, {Page: 0}, {Page: 3}, {Page: 2}, {Page: 1}, {Page: 2}, {Page: 0},
	{Page: 1}, {Page: 7}, {Page: 0}, {Page: 1}}

func TestKitPolicyTheTextbookReferenceString(t *testing.T) {
	for name, misses := range map[string]int{"lru": 12, "clock": 14} {
		r, err := Simulate(name, 3, kitTextbook, 1)
		require.NoError(t, err)
		assert.Equal(t, misses, r.Misses, "%s with 3 frames", name)
		assert.Equal(t, len(kitTextbook)-misses, r.Hits, name)
	}
}
