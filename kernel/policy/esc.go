package policy

// ESC is the enhanced second-chance algorithm, the clock refined by the
// dirty bit: evicting a dirty page costs a write to swap, so clean pages
// go first. Each page is in one of four classes, by (referenced, dirty):
//
//	(0, 0) not recently used, clean: the best victim
//	(0, 1) not recently used, dirty: must be written back first
//	(1, 0) recently used, clean
//	(1, 1) recently used, dirty: the worst victim
//
// The hand sweeps the ring in up to four laps, starting where it stopped:
//
//  1. look for (0, 0), changing nothing;
//  2. look for (0, 1), clearing the reference bit of each page it passes;
//  3. look for (0, 0) again (the cleared pages are now candidates);
//  4. look for (0, 1) again, which now must succeed.
//
// Pages that are not evictable are passed over untouched. Like Clock, a
// new page goes just behind the hand and Touch changes nothing.
//
// Cost: unlike Clock, ESC is not amortised O(1). When no page is
// (0, 0), the first lap is a full sweep that changes nothing, and the
// second stops at the first (0, 1) page; with many cold dirty pages that
// nobody writes back, every Victim sweeps the whole ring (see
// BenchmarkPolicyInsertVictim). The kernel's paging daemon, which writes
// dirty pages back, keeps (0, 0) pages available.
type ESC struct {
	ring ring
}

// NewESC returns an empty enhanced second-chance policy.
func NewESC() *ESC { return &ESC{ring: newRing("ESC")} }

// Name returns "esc".
func (e *ESC) Name() string { return "esc" }

// Insert places p just behind the hand.
func (e *ESC) Insert(p Page) { e.ring.insert(p) }

// Touch checks that p is resident and otherwise does nothing.
func (e *ESC) Touch(p Page) { e.ring.pages.node(p) }

// Remove takes p off the ring.
func (e *ESC) Remove(p Page) { e.ring.remove(e.ring.pages.node(p)) }

// Victim evicts the first page the four laps find (see ESC) and leaves
// the hand just past it; false if no page is evictable.
func (e *ESC) Victim(b Bits, evictable func(Page) bool) (Page, bool) {
	for lap := 0; lap < 4; lap++ {
		if p, ok := e.lap(b, evictable, lap%2 == 1); ok {
			return p, true
		}
	}
	return 0, false
}

// lap moves the hand once round the ring looking for an unreferenced
// evictable page that is clean or, if dirtyToo, dirty; if dirtyToo it
// also clears the reference bit of each evictable page it passes. It
// evicts the page found and returns it, or false.
func (e *ESC) lap(b Bits, evictable func(Page) bool, dirtyToo bool) (Page, bool) {
	r := &e.ring
	for steps := r.pages.len(); steps > 0; steps-- {
		p := r.pages.page(r.hand)
		if evictable(p) {
			referenced := b.Referenced(p)
			if !referenced && (dirtyToo || !b.Dirty(p)) {
				r.remove(r.hand)
				return p, true
			}
			if referenced && dirtyToo {
				b.ClearReferenced(p)
			}
		}
		r.advance()
	}
	return 0, false
}
