package policy

import "container/heap"

// simulateOPT replays refs through Belady's optimal policy with memory of
// frames pages: on a miss with memory full it evicts the resident page
// whose next use is furthest in the future, a page never used again
// first; among such pages, the lowest page number. No policy has fewer
// misses, but only a simulator can run it: it needs the future.
//
// The resident pages wait in a priority queue ordered by next use, so a
// reference costs O(log frames).
func simulateOPT(frames int, refs []Ref) Result {
	next := nextUses(refs)
	q := &optQueue{at: make(map[Page]int)}
	var res Result
	for i, r := range refs {
		page := Page(r.Page)
		step := Step{Ref: r}
		if k, ok := q.at[page]; ok {
			step.Hit = true
			q.entries[k].next = next[i]
			q.entries[k].dirty = q.entries[k].dirty || r.Write
			heap.Fix(q, k)
		} else {
			if q.Len() == frames {
				victim := heap.Pop(q).(optEntry)
				step.Evicted, step.Victim, step.Dirty = true, victim.page, victim.dirty
			}
			heap.Push(q, optEntry{page: page, next: next[i], dirty: r.Write})
		}
		res.record(step)
	}
	return res
}

// nextUses returns, for each position i of refs, the position of the next
// reference to the same page, or len(refs) if there is none.
func nextUses(refs []Ref) []int {
	next := make([]int, len(refs))
	seen := make(map[uint32]int)
	for i := len(refs) - 1; i >= 0; i-- {
		if j, ok := seen[refs[i].Page]; ok {
			next[i] = j
		} else {
			next[i] = len(refs)
		}
		seen[refs[i].Page] = i
	}
	return next
}

// optEntry is a resident page in OPT's queue.
type optEntry struct {
	page  Page
	next  int // position of the page's next reference, len(refs) if none
	dirty bool
}

// optQueue is a heap of the resident pages whose top is OPT's victim. It
// implements heap.Interface; at tracks where each page is in entries.
type optQueue struct {
	entries []optEntry
	at      map[Page]int
}

func (q *optQueue) Len() int { return len(q.entries) }

// Less orders the entries victim first: furthest next use, then lowest
// page number.
func (q *optQueue) Less(i, j int) bool {
	a, b := q.entries[i], q.entries[j]
	if a.next != b.next {
		return a.next > b.next
	}
	return a.page < b.page
}

func (q *optQueue) Swap(i, j int) {
	q.entries[i], q.entries[j] = q.entries[j], q.entries[i]
	q.at[q.entries[i].page] = i
	q.at[q.entries[j].page] = j
}

func (q *optQueue) Push(x any) {
	e := x.(optEntry)
	q.at[e.page] = len(q.entries)
	q.entries = append(q.entries, e)
}

func (q *optQueue) Pop() any {
	e := q.entries[len(q.entries)-1]
	q.entries = q.entries[:len(q.entries)-1]
	delete(q.at, e.page)
	return e
}
