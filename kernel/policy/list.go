package policy

import "fmt"

// pageList is a doubly linked list of distinct pages, with insertion,
// removal and lookup by page in O(1). FIFO and LRU keep their order in
// one; clock and enhanced second chance use one as their ring.
//
// The nodes live in one slice and removed nodes are recycled through a
// free chain, so that a list that stays the same size allocates nothing.
// Nodes are named by their index; node 0 is the sentinel, whose next is
// the front and whose prev is the back, and index 0 also means "none".
type pageList struct {
	owner string // the policy, for panic messages
	nodes []listNode
	free  int32 // first recycled node, 0 if none
	at    map[Page]int32
}

type listNode struct {
	page       Page
	prev, next int32 // for a recycled node, next chains the free nodes
}

// newPageList returns an empty list; owner names its user in panics.
func newPageList(owner string) *pageList {
	return &pageList{owner: owner, nodes: make([]listNode, 1), at: make(map[Page]int32)}
}

// len returns the number of pages in the list.
func (l *pageList) len() int { return len(l.at) }

// node returns the node holding p, or panics if p is not in the list.
func (l *pageList) node(p Page) int32 {
	n, ok := l.at[p]
	if !ok {
		panic(fmt.Sprintf("policy.%s: page %v is not resident", l.owner, p))
	}
	return n
}

// page returns the page held by node n.
func (l *pageList) page(n int32) Page { return l.nodes[n].page }

// front returns the first node, 0 if the list is empty.
func (l *pageList) front() int32 { return l.nodes[0].next }

// next returns the node after n, 0 after the back.
func (l *pageList) next(n int32) int32 { return l.nodes[n].next }

// ringNext returns the node after n when the list is seen as a ring (the
// front follows the back), 0 if the list is empty.
func (l *pageList) ringNext(n int32) int32 {
	if next := l.nodes[n].next; next != 0 {
		return next
	}
	return l.nodes[0].next
}

// pushBack appends p and returns its node.
func (l *pageList) pushBack(p Page) int32 { return l.insertBefore(0, p) }

// insertBefore inserts p before node at (0: at the back) and returns its
// node; it panics if p is already in the list.
func (l *pageList) insertBefore(at int32, p Page) int32 {
	if _, dup := l.at[p]; dup {
		panic(fmt.Sprintf("policy.%s: page %v is already resident", l.owner, p))
	}
	n := l.newNode(p)
	prev := l.nodes[at].prev
	l.nodes[n].prev, l.nodes[n].next = prev, at
	l.nodes[prev].next, l.nodes[at].prev = n, n
	l.at[p] = n
	return n
}

// newNode returns an unlinked node holding p, recycled if one is free.
func (l *pageList) newNode(p Page) int32 {
	if n := l.free; n != 0 {
		l.free = l.nodes[n].next
		l.nodes[n] = listNode{page: p}
		return n
	}
	l.nodes = append(l.nodes, listNode{page: p})
	return int32(len(l.nodes) - 1)
}

// remove unlinks node n, forgets its page and recycles the node.
func (l *pageList) remove(n int32) {
	nd := l.nodes[n]
	l.nodes[nd.prev].next, l.nodes[nd.next].prev = nd.next, nd.prev
	delete(l.at, nd.page)
	l.nodes[n] = listNode{next: l.free}
	l.free = n
}

// moveToBack moves node n to the back of the list.
func (l *pageList) moveToBack(n int32) {
	nd := l.nodes[n]
	l.nodes[nd.prev].next, l.nodes[nd.next].prev = nd.next, nd.prev
	back := l.nodes[0].prev
	l.nodes[n].prev, l.nodes[n].next = back, 0
	l.nodes[back].next, l.nodes[0].prev = n, n
}

// firstEvictable removes and returns the first page from the front for
// which evictable is true; false if there is none.
func (l *pageList) firstEvictable(evictable func(Page) bool) (Page, bool) {
	for n := l.front(); n != 0; n = l.next(n) {
		if p := l.page(n); evictable(p) {
			l.remove(n)
			return p, true
		}
	}
	return 0, false
}
