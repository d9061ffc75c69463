package policy

import (
	"fmt"
	"math/rand/v2"
)

// Random evicts a page chosen at random. The choice comes from the
// policy's own generator (PCG, seeded by New's seed), so that a run is
// reproducible: the same seed and the same calls give the same victims.
//
// When the page drawn is not evictable, the next evictable one after it
// (in the policy's internal order) is taken instead.
type Random struct {
	pages []Page       // the resident pages, in no meaningful order
	at    map[Page]int // index of each resident page in pages
	rng   *rand.Rand
}

// NewRandom returns an empty random policy whose choices derive from seed.
func NewRandom(seed uint64) *Random {
	return &Random{at: make(map[Page]int), rng: rand.New(rand.NewPCG(seed, 0x746f79766d))}
}

// Name returns "random".
func (r *Random) Name() string { return "random" }

// Insert adds p to the resident pages; it panics if p is already one.
func (r *Random) Insert(p Page) {
	if _, dup := r.at[p]; dup {
		panic(fmt.Sprintf("policy.Random: page %v is already resident", p))
	}
	r.at[p] = len(r.pages)
	r.pages = append(r.pages, p)
}

// Touch checks that p is resident and otherwise does nothing.
func (r *Random) Touch(p Page) { r.index(p) }

// Remove forgets p.
func (r *Random) Remove(p Page) { r.removeAt(r.index(p)) }

// Victim evicts a random evictable page; false if none is evictable.
func (r *Random) Victim(_ Bits, evictable func(Page) bool) (Page, bool) {
	n := len(r.pages)
	if n == 0 {
		return 0, false
	}
	start := r.rng.IntN(n)
	for k := 0; k < n; k++ {
		i := (start + k) % n
		if p := r.pages[i]; evictable(p) {
			r.removeAt(i)
			return p, true
		}
	}
	return 0, false
}

// index returns where p is in pages, or panics if p is not resident.
func (r *Random) index(p Page) int {
	i, ok := r.at[p]
	if !ok {
		panic(fmt.Sprintf("policy.Random: page %v is not resident", p))
	}
	return i
}

// removeAt forgets pages[i], moving the last page into its place.
func (r *Random) removeAt(i int) {
	p, last := r.pages[i], r.pages[len(r.pages)-1]
	r.pages[i] = last
	r.at[last] = i
	r.pages = r.pages[:len(r.pages)-1]
	delete(r.at, p)
}
