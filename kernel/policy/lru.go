package policy

// LRU evicts the least recently used page: the one whose last insertion
// or touch is oldest. Every touch moves a page to the most recent end.
//
// In the simulator every hit is a touch, so LRU is exact; in the kernel
// the touches are samples of the A bits, so LRU is an approximation.
type LRU struct {
	order *pageList // front: least recently used; back: most recently used
}

// NewLRU returns an empty LRU policy.
func NewLRU() *LRU { return &LRU{order: newPageList("LRU")} }

// Name returns "lru".
func (l *LRU) Name() string { return "lru" }

// Insert records p as the most recently used page.
func (l *LRU) Insert(p Page) {
	// kit:policy begin
	l.order.pushBack(p)
	// kit:policy end
}

// Touch makes p the most recently used page.
func (l *LRU) Touch(p Page) {
	// kit:policy begin
	l.order.moveToBack(l.order.node(p))
	// kit:policy end
}

// Remove forgets p.
func (l *LRU) Remove(p Page) {
	// kit:policy begin
	l.order.remove(l.order.node(p))
	// kit:policy end
}

// Victim evicts the least recently used evictable page; false if none is
// evictable.
func (l *LRU) Victim(_ Bits, evictable func(Page) bool) (Page, bool) {
	// kit:policy begin
	return l.order.firstEvictable(evictable)
	// kit:policy end
}
