// Package mmu is toyvm's memory hardware: physical memory, the page-table
// format, the one page-table walk, the TLB and the translation of every
// access the CPU makes, following docs/isa.md section 9.
//
// Files:
//
//   - phys.go: PAddr and Phys, the emulated physical memory of 4 KiB frames.
//   - pte.go: Bits, PTE and PDE, the page-table entry formats, and VAddr
//     with its directory index, table index and offset.
//   - walk.go: Walk, THE one two-level page-table walk, and the check of
//     an access against it (INVALID, PROTECTION, NOT_PRESENT, in that order).
//   - tlb.go: the fully associative TLB with round-robin replacement and
//     ASID tags, the micro-TLB in front of it, TLBEntry and TLBStats.
//   - mmu.go: Config, MMU, cr3 and Translate, the hardware control flow of
//     an access: TLB hit, TLB miss, walk, refill, A and D bits.
//   - fault.go: Fault, what a failed translation reports.
//   - asid.go: InvalidateASID, dropping one page's entry of any address
//     space when ASIDs are on.
//
// # Counters
//
// Stats counts one TLB lookup, a hit or a miss, for each page an access
// touches. Every Translate is one lookup. The CPU keeps copies of a few
// translations the TLB holds (valid while Generation has not changed) and
// serves some accesses from them without calling Translate; it reports
// those lookups, all hits, with CountHits before a trap handler runs and
// before it returns to its caller. So Stats.Hits and Stats.Misses are
// exact, and do not depend on the CPU's buffering.
package mmu
