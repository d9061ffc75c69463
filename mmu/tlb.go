package mmu

import (
	"fmt"

	"toyvm/isa"
)

// TLBEntry is one TLB entry as the debugger and the tests see it. W and U
// are the permissions the hardware checks on a hit (those of the PDE and
// the PTE combined); D says whether the PTE is known to be dirty.
type TLBEntry struct {
	Valid   bool
	ASID    uint16
	VPN     uint32
	Frame   uint32
	W, U, D bool
}

// String returns e.g. "valid asid 0x001 vpn 0x00001 frame 0x00012 W U -",
// or "invalid" for an empty entry.
func (e TLBEntry) String() string {
	if !e.Valid {
		return "invalid"
	}
	return fmt.Sprintf("valid asid 0x%03x vpn 0x%05x frame 0x%05x %s %s %s", e.ASID, e.VPN,
		e.Frame, letter(e.W, "W"), letter(e.U, "U"), letter(e.D, "D"))
}

// TLBStats counts what the TLB did. Every lookup counts exactly one hit
// or one miss: a translation through Translate is one lookup, and so is
// each lookup the CPU served from its own copy of a TLB entry and reported
// with CountHits (see doc.go). Walks counts the hardware page walks;
// Flushes counts whole-TLB flushes (FlushTLB and cr3 writes without
// ASIDs).
type TLBStats struct {
	Hits, Misses, Walks, Flushes uint64
}

// slot is one entry of the associative TLB, apart from its key.
type slot struct {
	frame   uint32
	w, u, d bool
	trackD  bool  // the hardware sets D at pteAddr on the first write
	pteAddr PAddr // where the walk found the PTE
}

// validKey marks a used slot's key, so that the zero key is an empty slot.
const validKey = 1 << 63

// tlbKey returns the key a slot for page vpn of address space asid holds.
func tlbKey(vpn uint32, asid uint16) uint64 {
	return validKey | uint64(asid)<<32 | uint64(vpn)
}

// microEntry remembers a page recently translated for one access kind in
// one mode, and only when that access is allowed without any more work.
type microEntry struct {
	tag  uint32 // vpn | microValid, or 0 when empty
	base PAddr  // physical address of the frame
}

// microValid marks a used micro-TLB tag (a vpn has only 20 bits).
const microValid = 1 << 31

// The micro-TLB is direct mapped: for each mode and access kind (read,
// write, fetch, and one unused) it has microWays slots, chosen by the low
// bits of the page number, so that text, data and stack pages rarely
// evict one another.
const (
	microWays  = 8
	microSlots = 2 * 4 * microWays
)

// microIndex returns the micro-TLB slot of page vpn for an access kind in
// a mode. The final mask lets the compiler drop the bounds check.
func microIndex(vpn uint32, acc isa.Access, user bool) uint {
	i := uint(acc)*microWays + uint(vpn%microWays)
	if user {
		i += microSlots / 2
	}
	return i % microSlots
}

// tlb is the fully associative TLB, with round-robin replacement, and a
// micro-TLB in front of it. Every change to the TLB clears the micro-TLB,
// so the micro-TLB never holds a translation the TLB does not. keys[i] is
// the key of slots[i]; the keys are kept apart so that a lookup scans one
// small array. gen counts the changes (every clearMicro), so that a CPU
// that keeps copies of translations can tell they are still the TLB's.
type tlb struct {
	micro [microSlots]microEntry
	keys  []uint64
	slots []slot
	next  int    // the slot the next insertion replaces
	gen   uint64 // incremented by every change to the TLB
}

// newTLB returns an empty TLB of n entries.
func newTLB(n int) tlb { return tlb{keys: make([]uint64, n), slots: make([]slot, n)} }

// lookup returns the index of the slot holding key, or -1.
func (t *tlb) lookup(key uint64) int {
	for i, k := range t.keys {
		if k == key {
			return i
		}
	}
	return -1
}

// insert puts s into the TLB under key and returns its index: in place of
// the slot with the same key if there is one, else in the next slot
// round-robin.
func (t *tlb) insert(key uint64, s slot) int {
	t.clearMicro()
	i := t.lookup(key)
	if i < 0 {
		i = t.next
		t.next = (t.next + 1) % len(t.slots)
	}
	t.keys[i], t.slots[i] = key, s
	return i
}

// invalidate empties the slot holding key, if any.
func (t *tlb) invalidate(key uint64) {
	t.clearMicro()
	if i := t.lookup(key); i >= 0 {
		t.keys[i], t.slots[i] = 0, slot{}
	}
}

// flush empties every slot and restarts the round-robin at slot 0.
func (t *tlb) flush() {
	t.clearMicro()
	clear(t.keys)
	clear(t.slots)
	t.next = 0
}

// clearMicro empties the micro-TLB. Every change to the TLB goes
// through it, so it also counts the change in gen.
func (t *tlb) clearMicro() {
	t.micro = [microSlots]microEntry{}
	t.gen++
}

// fillMicro remembers that access kind acc in the given mode to page
// vpn goes to frame base without any more checks.
func (t *tlb) fillMicro(vpn uint32, acc isa.Access, user bool, base PAddr) {
	t.micro[microIndex(vpn, acc, user)] = microEntry{tag: vpn | microValid, base: base}
}

// entry returns slot i as the debugger sees it.
func (t *tlb) entry(i int) TLBEntry {
	k, s := t.keys[i], &t.slots[i]
	return TLBEntry{Valid: k != 0, ASID: uint16(k >> 32), VPN: uint32(k),
		Frame: s.frame, W: s.w, U: s.u, D: s.d}
}

// entries returns a copy of every slot, in slot order.
func (t *tlb) entries() []TLBEntry {
	out := make([]TLBEntry, len(t.slots))
	for i := range out {
		out[i] = t.entry(i)
	}
	return out
}
