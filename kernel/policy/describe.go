package policy

import "fmt"

// Describer is implemented by a policy that can say where each resident
// page stands in its order: the debugger's frames view shows it.
type Describer interface {
	// Describe returns, for each resident page, its place as the
	// policy sees it; place 0 is the next to be considered for eviction.
	Describe() map[Page]string
}

// describeFrom lists the pages of l from node start onwards (round the
// ring if ring is set), naming each by what and its place.
func describeFrom(l *pageList, start int32, ring bool, what string) map[Page]string {
	out := make(map[Page]string, l.len())
	n := start
	for i := 0; i < l.len() && n != 0; i++ {
		out[l.page(n)] = fmt.Sprintf("%s %d", what, i)
		if ring {
			n = l.ringNext(n)
		} else {
			n = l.next(n)
		}
	}
	return out
}

// Describe gives each page its place in the queue, 0 the oldest.
func (f *FIFO) Describe() map[Page]string {
	return describeFrom(f.queue, f.queue.front(), false, "queue")
}

// Describe gives each page its place in the order of use, 0 the least
// recently used.
func (l *LRU) Describe() map[Page]string {
	return describeFrom(l.order, l.order.front(), false, "recency")
}

// Describe gives each page its distance ahead of the hand, 0 under it.
func (c *Clock) Describe() map[Page]string {
	return describeFrom(c.ring.pages, c.ring.hand, true, "hand+")
}

// Describe gives each page its distance ahead of the hand, 0 under it.
func (e *ESC) Describe() map[Page]string {
	return describeFrom(e.ring.pages, e.ring.hand, true, "hand+")
}

// Describe says only that each page is resident: random keeps no order.
func (r *Random) Describe() map[Page]string {
	out := make(map[Page]string, len(r.pages))
	for _, p := range r.pages {
		out[p] = "resident"
	}
	return out
}
