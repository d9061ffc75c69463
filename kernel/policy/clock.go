package policy

// Clock is the second-chance algorithm: the resident pages stand on a
// ring, in the order they came in, and a hand sweeps it. A referenced
// page under the hand gets a second chance (its reference bit is cleared
// and the hand moves on); the first unreferenced one is the victim. A new
// page goes just behind the hand, so it is the last the hand reaches.
//
// Clock reads the reference bits only; Touch changes nothing.
type Clock struct {
	ring ring
}

// NewClock returns an empty clock policy.
func NewClock() *Clock { return &Clock{ring: newRing("Clock")} }

// Name returns "clock".
func (c *Clock) Name() string { return "clock" }

// Insert places p just behind the hand.
func (c *Clock) Insert(p Page) {
	// kit:policy begin
	c.ring.insert(p)
	// kit:policy end
}

// Touch checks that p is resident and otherwise does nothing: the
// reference bit carries the information.
func (c *Clock) Touch(p Page) {
	// kit:policy begin
	c.ring.pages.node(p)
	// kit:policy end
}

// Remove takes p off the ring.
func (c *Clock) Remove(p Page) {
	// kit:policy begin
	c.ring.remove(c.ring.pages.node(p))
	// kit:policy end
}

// Victim sweeps the hand from where it stopped: a referenced evictable
// page has its bit cleared, the first unreferenced evictable page is
// evicted and the hand stops just past it. Two laps are enough to find
// one; false if no page is evictable.
func (c *Clock) Victim(b Bits, evictable func(Page) bool) (Page, bool) {
	// kit:policy begin
	r := &c.ring
	for steps := 2 * r.pages.len(); steps > 0; steps-- {
		p := r.pages.page(r.hand)
		switch {
		case !evictable(p):
		case b.Referenced(p):
			b.ClearReferenced(p)
		default:
			r.remove(r.hand)
			return p, true
		}
		r.advance()
	}
	return 0, false
	// kit:policy end
}

// ring is the pages of a clock and its hand, the node the hand examines
// next (0 when the ring is empty). Clock and ESC share it.
type ring struct {
	pages *pageList
	hand  int32
}

// newRing returns an empty ring; owner names its user in panics.
func newRing(owner string) ring { return ring{pages: newPageList(owner)} }

// insert places p just behind the hand: the ring's order is the list's,
// read cyclically, so the node before the hand is the hand's last stop.
func (r *ring) insert(p Page) {
	if r.hand == 0 {
		r.hand = r.pages.pushBack(p)
		return
	}
	r.pages.insertBefore(r.hand, p)
}

// remove takes node n off the ring, moving the hand past it first.
func (r *ring) remove(n int32) {
	if r.hand == n {
		r.advance()
		if r.hand == n {
			r.hand = 0 // n was the only page
		}
	}
	r.pages.remove(n)
}

// advance moves the hand to the next page on the ring.
func (r *ring) advance() { r.hand = r.pages.ringNext(r.hand) }
