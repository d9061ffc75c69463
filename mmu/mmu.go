package mmu

import (
	"fmt"

	"toyvm/isa"
)

// Config chooses the MMU's run options (flags of `toyvm run`).
type Config struct {
	TLBSize        int  // TLB entries, 1 to MaxTLBSize (--tlb)
	ASID           bool // tag TLB entries with the ASID in cr3's low 12 bits (--asid)
	SoftwareRefill bool // a TLB miss is a TLB_MISS fault; the hardware never walks (--tlb-refill sw)
	SoftwareDirty  bool // the hardware never sets A or D (--dirty sw)
}

// MaxTLBSize is the largest TLB Config accepts.
const MaxTLBSize = 4096

// Validate returns an error naming the bad option, or nil.
func (c Config) Validate() error {
	if c.TLBSize < 1 || c.TLBSize > MaxTLBSize {
		return fmt.Errorf("TLB size %d: want 1 to %d entries", c.TLBSize, MaxTLBSize)
	}
	return nil
}

// MMU translates the CPU's virtual addresses through the TLB and the page
// tables in physical memory.
type MMU struct {
	tlb     tlb
	phys    *Phys
	cfg     Config
	hwAD    bool // the hardware sets A and D: neither SoftwareDirty nor SoftwareRefill
	cr3     uint32
	asid    uint16
	stats   TLBStats
	fault   Fault
	faulted bool

	// OnWalk, if set, is told of each hardware walk: the PTE it found
	// (before it sets A or D) and CauseNone when it goes into the TLB, or
	// the fault the walk takes instead. A kernel traces TLB refills with it. It must
	// not use the MMU.
	OnWalk func(va VAddr, pte PTE, fault isa.Cause)
}

// New returns an MMU over p with an empty TLB and cr3 = 0. It panics if
// cfg is not valid: the caller checks a user's options with Validate.
func New(p *Phys, cfg Config) *MMU {
	if err := cfg.Validate(); err != nil {
		panic("mmu.New: " + err.Error())
	}
	return &MMU{tlb: newTLB(cfg.TLBSize), phys: p, cfg: cfg,
		hwAD: !cfg.SoftwareDirty && !cfg.SoftwareRefill}
}

// Phys returns the physical memory the MMU walks.
func (m *MMU) Phys() *Phys { return m.phys }

// Config returns the options the MMU was made with.
func (m *MMU) Config() Config { return m.cfg }

// CR3 returns the cr3 register.
func (m *MMU) CR3() uint32 { return m.cr3 }

// ASID returns the current address-space id: cr3's low 12 bits when ASIDs
// are on, else 0.
func (m *MMU) ASID() uint16 { return m.asid }

// SetCR3 writes cr3: the physical address of a page directory, plus the
// ASID in the low 12 bits when ASIDs are on. Without ASIDs it flushes the
// TLB; with them the entries of every ASID survive.
func (m *MMU) SetCR3(v uint32) {
	m.cr3 = v
	if !m.cfg.ASID {
		m.FlushTLB()
		return
	}
	m.asid = uint16(v & offsetMask)
	m.tlb.clearMicro()
}

// FlushTLB empties the whole TLB, every ASID.
func (m *MMU) FlushTLB() {
	m.stats.Flushes++
	m.tlb.flush()
}

// InvalidatePage empties the TLB entry of va's page in the current ASID,
// if there is one.
func (m *MMU) InvalidatePage(va VAddr) { m.tlb.invalidate(tlbKey(va.VPN(), m.asid)) }

// InsertTLB writes an entry for va's page in the current ASID, as a
// software-refill kernel does after a TLB_MISS: frame, W, U and D come
// from pte (the kernel combines the PDE's W and U into it). The hardware
// knows no PTE behind such an entry, so it never sets A or D for it: a
// kernel that must see the first write to a clean page inserts the entry
// without W until it has set D (as MIPS does), and takes the write's
// PROTECTION fault. It panics unless pte has V and P.
func (m *MMU) InsertTLB(va VAddr, pte PTE) {
	if !pte.Has(V | P) {
		panic(fmt.Sprintf("mmu.InsertTLB: %v for %v is not valid and present", pte, va))
	}
	m.tlb.insert(tlbKey(va.VPN(), m.asid),
		slot{frame: pte.Frame(), w: pte.Has(W), u: pte.Has(U), d: pte.Has(D)})
}

// TLBEntries returns a copy of the TLB's entries, in slot order.
func (m *MMU) TLBEntries() []TLBEntry { return m.tlb.entries() }

// Stats returns the TLB counters.
func (m *MMU) Stats() TLBStats { return m.stats }

// CountHits adds n TLB hits to the counters: lookups that the CPU served
// from its own copies of translations the TLB holds (its prefetch buffer
// and data page caches), each of which would have been a hit with no
// other effect. The CPU reports them in batches, before any trap handler
// runs and before Run or Step returns, so Stats is exact whenever the
// kernel or a user can read it.
func (m *MMU) CountHits(n uint64) { m.stats.Hits += n }

// Generation returns a number that changes whenever the TLB's contents
// change: an insertion (by a walk or InsertTLB), an invalidation, a flush
// or an ASID switch. A CPU that keeps a copy of a translation compares it
// with the generation it saw when it made the copy: while it has not
// changed, the copy is exactly what a lookup would find.
func (m *MMU) Generation() uint64 { return m.tlb.gen }

// LastFault returns a copy of the fault of the last failed Translate, or
// nil if none has failed yet.
func (m *MMU) LastFault() *Fault {
	if !m.faulted {
		return nil
	}
	f := m.fault
	return &f
}

// Translate returns the physical address of an access acc to va in user or
// supervisor mode, following docs/isa.md section 9. It returns false when the
// access faults; LastFault then describes the fault. It allocates nothing.
// The micro-TLB answers repeated accesses to recent pages here; anything
// else goes to translateTLB.
func (m *MMU) Translate(va VAddr, acc isa.Access, user bool) (PAddr, bool) {
	vpn := va.VPN()
	if e := &m.tlb.micro[microIndex(vpn, acc, user)]; e.tag == vpn|microValid {
		m.stats.Hits++
		return e.base | PAddr(uint32(va)&offsetMask), true
	}
	return m.translateTLB(va, acc, user)
}

// translateTLB looks va up in the associative TLB: on a hit it uses the
// entry, on a miss it walks the page tables, or faults with TLB_MISS when
// the TLB is refilled by software.
func (m *MMU) translateTLB(va VAddr, acc isa.Access, user bool) (PAddr, bool) {
	if i := m.tlb.lookup(tlbKey(va.VPN(), m.asid)); i >= 0 {
		m.stats.Hits++
		return m.use(i, va, acc, user)
	}
	m.stats.Misses++
	if m.cfg.SoftwareRefill {
		return m.fail(isa.TLBMiss, va, acc, user)
	}
	return m.refill(va, acc, user)
}

// refill walks the page tables for va; if the access is allowed it sets A
// (and D on a write) in the PTE, inserts the translation into the TLB and
// retries the access on it; otherwise it faults with the walk's cause.
func (m *MMU) refill(va VAddr, acc isa.Access, user bool) (PAddr, bool) {
	m.stats.Walks++
	w := m.phys.Walk(m.cr3, va)
	c := w.Check(acc, user)
	if m.OnWalk != nil {
		m.OnWalk(va, w.PTE, c)
	}
	if c != isa.CauseNone {
		return m.fail(c, va, acc, user)
	}
	if m.hwAD {
		w.PTE = m.markAccessed(w, acc)
	}
	i := m.tlb.insert(tlbKey(va.VPN(), m.asid), slot{frame: w.PTE.Frame(),
		w: w.Writable(), u: w.UserOK(), d: w.PTE.Has(D), trackD: m.hwAD, pteAddr: w.PTEAddr})
	return m.use(i, va, acc, user)
}

// markAccessed sets A, and D on a write, in the PTE the walk w found, and
// returns the new PTE. It writes memory only if a bit changes.
func (m *MMU) markAccessed(w Walk, acc isa.Access) PTE {
	pte := w.PTE.With(A)
	if acc == isa.Write {
		pte = pte.With(D)
	}
	if pte != w.PTE {
		m.phys.WritePTE(w.PTEAddr, pte)
	}
	return pte
}

// use makes the access through TLB slot i: PROTECTION if the entry does
// not allow it; on the first write through an entry whose D is clear, the
// hardware sets D in the PTE (unless A and D are the software's job).
// The same access to the page then needs no more work, so it goes into
// the micro-TLB.
func (m *MMU) use(i int, va VAddr, acc isa.Access, user bool) (PAddr, bool) {
	s := &m.tlb.slots[i]
	if !allows(s.w, s.u, acc, user) {
		return m.fail(isa.Protection, va, acc, user)
	}
	if acc == isa.Write && !s.d && s.trackD {
		m.setDirty(s)
	}
	m.tlb.fillMicro(va.VPN(), acc, user, PAddr(s.frame<<OffsetBits))
	return PAddr(s.frame<<OffsetBits | va.Offset()), true
}

// setDirty sets D in the PTE behind TLB slot s, in memory and in s.
func (m *MMU) setDirty(s *slot) {
	m.phys.WritePTE(s.pteAddr, m.phys.ReadPTE(s.pteAddr).With(D))
	s.d = true
}

// fail records a fault and returns the failed result of Translate.
func (m *MMU) fail(c isa.Cause, va VAddr, acc isa.Access, user bool) (PAddr, bool) {
	m.fault = Fault{Cause: c, Access: acc, Addr: va, User: user}
	m.faulted = true
	return 0, false
}
