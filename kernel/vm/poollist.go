package vm

// poolList is the free pool's order: a doubly linked list threaded
// through two arrays indexed by frame number, so that putting a frame in,
// reclaiming one from the middle and taking the oldest are all O(1)
// whatever the size of memory.
type poolList struct {
	next, prev []uint32 // 0 ends the list: frame 0 is never in it
	head, tail uint32
	len        int
}

func newPoolList(frames int) poolList {
	return poolList{next: make([]uint32, frames), prev: make([]uint32, frames)}
}

func (l *poolList) pushBack(f uint32) {
	l.prev[f], l.next[f] = l.tail, 0
	if l.tail == 0 {
		l.head = f
	} else {
		l.next[l.tail] = f
	}
	l.tail = f
	l.len++
}

func (l *poolList) remove(f uint32) {
	p, n := l.prev[f], l.next[f]
	if p == 0 {
		l.head = n
	} else {
		l.next[p] = n
	}
	if n == 0 {
		l.tail = p
	} else {
		l.prev[n] = p
	}
	l.prev[f], l.next[f] = 0, 0
	l.len--
}

// front returns the oldest frame; ok is false when the list is empty.
func (l *poolList) front() (uint32, bool) { return l.head, l.head != 0 }
