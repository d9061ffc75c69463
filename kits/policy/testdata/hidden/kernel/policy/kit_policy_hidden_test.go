package policy

// The hidden tests of the policy kit: clock and LRU against small models
// written the obvious way, on many random reference strings.

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/stretchr/testify/require"
)

// kitModelClock is second chance on a slice: the hand at index hand.
type kitModelClock struct {
	ring []Page
	hand int
}

func (m *kitModelClock) insert(p Page) {
	m.ring = slices.Insert(m.ring, m.hand, p)
	m.hand = (m.hand + 1) % len(m.ring)
}

func (m *kitModelClock) victim(ref map[Page]bool) Page {
	for {
		p := m.ring[m.hand]
		if !ref[p] {
			m.ring = slices.Delete(m.ring, m.hand, m.hand+1)
			if len(m.ring) > 0 {
				m.hand %= len(m.ring)
			} else {
				m.hand = 0
			}
			return p
		}
		delete(ref, p)
		m.hand = (m.hand + 1) % len(m.ring)
	}
}

// kitRandomRefs returns n references to pages 0..pages-1, some hot.
func kitRandomRefs(r *rand.Rand, n, pages int) []Ref {
	refs := make([]Ref, n)
	for i := range refs {
		p := r.IntN(pages)
		if r.IntN(3) == 0 {
			p = r.IntN(3) // a few hot pages
		}
		refs[i] = Ref{Page: uint32(p)}
	}
	return refs
}

func TestKitPolicyHiddenClockMatchesAModelOnRandomStrings(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for trial := 0; trial < 200; trial++ {
		frames, refs := 1+r.IntN(6), kitRandomRefs(r, 200, 12)
		c, err := New("clock", 1)
		require.NoError(t, err)
		bits := kitBits{}
		var model kitModelClock
		modelRef := map[Page]bool{}
		resident := map[Page]bool{}
		for i, ref := range refs {
			pg := Page(ref.Page)
			bits[pg], modelRef[pg] = true, true
			if resident[pg] {
				c.Touch(pg)
				continue
			}
			if len(resident) == frames {
				v, ok := c.Victim(bits, kitAll)
				require.True(t, ok)
				require.Equal(t, model.victim(modelRef), v, "trial %d, reference %d", trial, i)
				delete(resident, v)
				delete(bits, v)
				delete(modelRef, v)
			}
			c.Insert(pg)
			model.insert(pg)
			resident[pg] = true
		}
	}
}

func TestKitPolicyHiddenLRUMatchesAModelOnRandomStrings(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for trial := 0; trial < 200; trial++ {
		frames, refs := 1+r.IntN(6), kitRandomRefs(r, 200, 12)
		l, err := New("lru", 1)
		require.NoError(t, err)
		var order []Page // least recently used first
		for i, ref := range refs {
			pg := Page(ref.Page)
			if at := slices.Index(order, pg); at >= 0 {
				l.Touch(pg)
				order = append(slices.Delete(order, at, at+1), pg)
				continue
			}
			if len(order) == frames {
				v, ok := l.Victim(kitBits{}, kitAll)
				require.True(t, ok)
				require.Equal(t, order[0], v, "trial %d, reference %d", trial, i)
				order = order[1:]
			}
			l.Insert(pg)
			order = append(order, pg)
		}
	}
}
