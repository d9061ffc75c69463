package policy

// FIFO evicts the page that has been resident longest: the first in is
// the first out. References to a resident page change nothing, which is
// why FIFO can suffer Belady's anomaly (more frames, more misses).
type FIFO struct {
	queue *pageList // front: the oldest page
}

// NewFIFO returns an empty FIFO policy.
func NewFIFO() *FIFO { return &FIFO{queue: newPageList("FIFO")} }

// Name returns "fifo".
func (f *FIFO) Name() string { return "fifo" }

// Insert queues p behind every other resident page.
func (f *FIFO) Insert(p Page) { f.queue.pushBack(p) }

// Touch checks that p is resident and otherwise does nothing: FIFO
// ignores references.
func (f *FIFO) Touch(p Page) { f.queue.node(p) }

// Remove takes p out of the queue.
func (f *FIFO) Remove(p Page) { f.queue.remove(f.queue.node(p)) }

// Victim evicts the oldest evictable page; false if none is evictable.
func (f *FIFO) Victim(_ Bits, evictable func(Page) bool) (Page, bool) {
	return f.queue.firstEvictable(evictable)
}
