// Package vm holds the kernel's memory objects, each self-contained and
// each a seam of the fault path (docs/architecture.md): what a frame
// holds, the page tables in emulated physical memory, the backing
// objects and their page caches, the regions of an address space, and
// the swap area. The kernel (package kernel) drives them: the fault path,
// the paging daemon and the disk's interrupts live there, not here.
//
// Files:
//
//   - frame.go, poollist.go: FrameTable, every frame's state (free,
//     kernel, mapped, pool, busy), owner, page and lock count; the free
//     list and the free pool in the order frames entered it.
//   - check.go: the frame table's own consistency (Lists), for --check.
//   - pagetable.go: PageTable: Reserve, Set, Map, Unmap, Clear, built on
//     mmu's one walk.
//   - object.go: Object (a backing object and its page cache), Page, the
//     Source of a page's first contents (zeros, the image), ImageStore.
//   - region.go: Region and Prot.
//   - space.go: AddressSpace: the regions of a process and the page
//     table that maps them.
//   - swap.go: Swap, the swap area (slots on a store, one bit each in
//     use), its static and dynamic layouts.
package vm
