package policy

import (
	"fmt"
	"strconv"
)

// Ref is one page reference of a reference string.
type Ref struct {
	Page  uint32
	Write bool // the reference writes the page, making it dirty
}

// String returns the page number, with a "w" suffix for a write: "3w".
func (r Ref) String() string {
	s := strconv.FormatUint(uint64(r.Page), 10)
	if r.Write {
		s += "w"
	}
	return s
}

// Step is what happened at one reference.
type Step struct {
	Ref     Ref
	Hit     bool // the page was resident
	Evicted bool // a miss found memory full and evicted Victim
	Victim  Page
	Dirty   bool // the victim was dirty: it had to be written back
}

// String describes the step: "hit", "miss", "miss, evict 2" or
// "miss, evict 2 (dirty)".
func (s Step) String() string {
	switch {
	case s.Hit:
		return "hit"
	case !s.Evicted:
		return "miss"
	case s.Dirty:
		return fmt.Sprintf("miss, evict %v (dirty)", s.Victim)
	}
	return fmt.Sprintf("miss, evict %v", s.Victim)
}

// Result counts what a simulation did.
type Result struct {
	Hits, Misses int
	Evictions    int    // misses that found memory full
	Writebacks   int    // evictions of dirty pages
	Steps        []Step // one per reference, in order
}

// record adds one step to the result.
func (r *Result) record(s Step) {
	if s.Hit {
		r.Hits++
	} else {
		r.Misses++
	}
	if s.Evicted {
		r.Evictions++
	}
	if s.Dirty {
		r.Writebacks++
	}
	r.Steps = append(r.Steps, s)
}

// opt is the name of Belady's optimal policy, which only the simulator
// knows: it needs the whole reference string in advance.
const opt = "opt"

// SimulatedNames returns the names Simulate knows: every kernel policy,
// and "opt".
func SimulatedNames() []string { return append(Names(), opt) }

// Simulate replays refs through the policy called policyName with memory
// of frames pages, which starts empty; every miss counts, compulsory ones
// too. For a kernel policy it drives the same Policy code the kernel
// uses: each reference sets the page's reference bit (and its dirty bit
// if a write), a hit is a Touch, a miss with memory full asks for a
// Victim, and the missing page is then Inserted. "opt" is Belady's
// optimal policy (see opt.go). seed drives random choices.
//
// For the policies the OSTEP simulator paging-policy.py has (FIFO, LRU,
// OPT), the hits and misses equal its own on every reference string.
//
// It returns an error for an unknown policy (listing the known ones) or
// fewer than 1 frame.
func Simulate(policyName string, frames int, refs []Ref, seed uint64) (Result, error) {
	if frames < 1 {
		return Result{}, fmt.Errorf("at least 1 frame is needed, not %d", frames)
	}
	if policyName == opt {
		return simulateOPT(frames, refs), nil
	}
	p, err := New(policyName, seed)
	if err != nil {
		return Result{}, unknownPolicy(policyName, SimulatedNames())
	}
	return simulatePolicy(p, frames, refs), nil
}

// simulatePolicy replays refs through p with memory of frames pages.
func simulatePolicy(p Policy, frames int, refs []Ref) Result {
	bits := simBits{}
	var res Result
	for _, r := range refs {
		page := Page(r.Page)
		step := Step{Ref: r, Hit: bits.resident(page)}
		if step.Hit {
			p.Touch(page)
		} else {
			step = miss(p, bits, frames, step)
		}
		bits.reference(page, r.Write)
		res.record(step)
	}
	return res
}

// miss handles step's page missing: with memory full it evicts p's
// victim (a policy that finds none with every page evictable is broken,
// and miss panics), then inserts the page. It returns the step completed.
func miss(p Policy, bits simBits, frames int, step Step) Step {
	if len(bits) == frames {
		victim, ok := p.Victim(bits, everyPage)
		if !ok || !bits.resident(victim) {
			panic(fmt.Sprintf("policy.Simulate: %s gave no resident victim (%v, %v)", p.Name(), victim, ok))
		}
		step.Evicted, step.Victim, step.Dirty = true, victim, bits.Dirty(victim)
		delete(bits, victim)
	}
	page := Page(step.Ref.Page)
	bits[page] = pageBits{}
	p.Insert(page)
	return step
}

// everyPage is the simulator's evictable: no page is ever locked.
func everyPage(Page) bool { return true }

// simBits is the simulator's hardware: the bits of every resident page,
// and so also the set of resident pages.
type simBits map[Page]pageBits

type pageBits struct{ referenced, dirty bool }

// resident reports whether p is in memory.
func (b simBits) resident(p Page) bool {
	_, ok := b[p]
	return ok
}

// reference sets p's reference bit, and its dirty bit if write, as the
// MMU does on an access.
func (b simBits) reference(p Page, write bool) {
	e := b[p]
	e.referenced = true
	e.dirty = e.dirty || write
	b[p] = e
}

// Referenced reports p's reference bit.
func (b simBits) Referenced(p Page) bool { return b[p].referenced }

// ClearReferenced clears p's reference bit, if p is resident.
func (b simBits) ClearReferenced(p Page) {
	if e, ok := b[p]; ok {
		e.referenced = false
		b[p] = e
	}
}

// Dirty reports p's dirty bit.
func (b simBits) Dirty(p Page) bool { return b[p].dirty }
