package isa

// The user address space (docs/isa.md section 10), shared by the assembler
// (which places text and data) and the kernel (which maps them).
const (
	// PageSize is the size of a page and of a frame.
	PageSize = 4096
	// TextBase is where a program's text starts; page 0 is never mapped.
	TextBase = 0x1000
	// MmapBase is where mmap and shared memory are placed, upwards.
	MmapBase = 0x40000000
	// StackTop is the first address above the stack; no user access at
	// or above it ever succeeds.
	StackTop = 0x80000000
	// StackMax is how far the stack may grow down from StackTop.
	StackMax = 1 << 20
)

// PageUp rounds a up to the next multiple of PageSize.
func PageUp(a uint32) uint32 { return (a + PageSize - 1) &^ (PageSize - 1) }

// PageDown rounds a down to a multiple of PageSize.
func PageDown(a uint32) uint32 { return a &^ (PageSize - 1) }
