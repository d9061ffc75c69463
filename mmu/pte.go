package mmu

import (
	"fmt"
	"strings"

	"toyvm/isa"
)

// PageSize is the size of a page and of a frame.
const PageSize = isa.PageSize

// Geometry of a virtual address: 10 bits directory index, 10 bits table
// index, 12 bits offset.
const (
	OffsetBits = 12
	IndexBits  = 10
	Entries    = 1 << IndexBits // entries in a page directory or a page table
	EntrySize  = 4              // bytes per entry
	offsetMask = PageSize - 1
)

// VAddr is a virtual address.
type VAddr uint32

// String returns the address as eight hex digits, e.g. "0x00001000".
func (v VAddr) String() string { return fmt.Sprintf("0x%08x", uint32(v)) }

// Dir returns the page-directory index: the top 10 bits.
func (v VAddr) Dir() uint32 { return uint32(v) >> (OffsetBits + IndexBits) }

// Table returns the page-table index: the middle 10 bits.
func (v VAddr) Table() uint32 { return uint32(v) >> OffsetBits & (Entries - 1) }

// Offset returns the offset in the page: the low 12 bits.
func (v VAddr) Offset() uint32 { return uint32(v) & offsetMask }

// VPN returns the virtual page number: the top 20 bits.
func (v VAddr) VPN() uint32 { return uint32(v) >> OffsetBits }

// PageOf returns the address of the page that directory entry dir and
// table entry table map: the inverse of Dir and Table.
func PageOf(dir, table uint32) VAddr { return VAddr(dir<<(OffsetBits+IndexBits) | table<<OffsetBits) }

// Bits are the flag bits of a PTE or a PDE, below the frame number.
type Bits uint32

// The flag bits of the entries (docs/isa.md section 9). A PDE uses only P, W and U.
const (
	V  Bits = 1 << 0  // valid: the mapping is legal
	P  Bits = 1 << 1  // present in memory (in a PDE: the page table exists)
	W  Bits = 1 << 2  // writable
	U  Bits = 1 << 3  // user accessible
	A  Bits = 1 << 4  // accessed, set by the hardware on the first access
	D  Bits = 1 << 5  // dirty, set by the hardware on the first write
	K0 Bits = 1 << 9  // free for the kernel
	K1 Bits = 1 << 10 // free for the kernel
	K2 Bits = 1 << 11 // free for the kernel

	bitsMask = Bits(offsetMask)
)

var hwBitNames = [...]struct {
	bit  Bits
	name string
}{{V, "V"}, {P, "P"}, {W, "W"}, {U, "U"}, {A, "A"}, {D, "D"}}

var kernelBitNames = [...]struct {
	bit  Bits
	name string
}{{K0, "K0"}, {K1, "K1"}, {K2, "K2"}}

// String names every bit: the six hardware bits always, as their letter
// or "-" when clear, then each kernel bit that is set, e.g. "V P W - A - K1".
func (b Bits) String() string {
	var s []string
	for _, n := range hwBitNames {
		s = append(s, letter(b&n.bit != 0, n.name))
	}
	for _, n := range kernelBitNames {
		if b&n.bit != 0 {
			s = append(s, n.name)
		}
	}
	return strings.Join(s, " ")
}

// letter returns name if set, else "-".
func letter(set bool, name string) string {
	if set {
		return name
	}
	return "-"
}

// PTE is a page-table entry: frame<<12 | Bits.
type PTE uint32

// NewPTE returns the entry mapping frame with the given bits.
func NewPTE(frame uint32, b Bits) PTE { return PTE(frame<<OffsetBits | uint32(b&bitsMask)) }

// Frame returns the entry's frame number.
func (e PTE) Frame() uint32 { return uint32(e) >> OffsetBits }

// Bits returns the entry's flag bits.
func (e PTE) Bits() Bits { return Bits(e) & bitsMask }

// Has reports whether every one of b is set.
func (e PTE) Has(b Bits) bool { return Bits(e)&b == b }

// With returns the entry with b set.
func (e PTE) With(b Bits) PTE { return e | PTE(b&bitsMask) }

// Without returns the entry with b clear.
func (e PTE) Without(b Bits) PTE { return e &^ PTE(b&bitsMask) }

// WithFrame returns the entry with its frame replaced by frame.
func (e PTE) WithFrame(frame uint32) PTE { return NewPTE(frame, e.Bits()) }

// String returns e.g. "frame 0x00012 V P W U A -".
func (e PTE) String() string { return fmt.Sprintf("frame 0x%05x %v", e.Frame(), e.Bits()) }

// PDE is a page-directory entry: the frame of a page table and the bits
// P (the table exists), W and U. The other bits are ignored.
type PDE uint32

// NewPDE returns the entry pointing at the page table in frame.
func NewPDE(frame uint32, b Bits) PDE { return PDE(NewPTE(frame, b)) }

// Frame returns the frame of the page table.
func (e PDE) Frame() uint32 { return uint32(e) >> OffsetBits }

// Bits returns the entry's flag bits.
func (e PDE) Bits() Bits { return Bits(e) & bitsMask }

// Has reports whether every one of b is set.
func (e PDE) Has(b Bits) bool { return Bits(e)&b == b }

// With returns the entry with b set.
func (e PDE) With(b Bits) PDE { return e | PDE(b&bitsMask) }

// Without returns the entry with b clear.
func (e PDE) Without(b Bits) PDE { return e &^ PDE(b&bitsMask) }

// String returns e.g. "table 0x00003 P W U", the bits as letters or "-".
func (e PDE) String() string {
	return fmt.Sprintf("table 0x%05x %s %s %s", e.Frame(),
		letter(e.Has(P), "P"), letter(e.Has(W), "W"), letter(e.Has(U), "U"))
}

// ReadPTE returns the PTE stored at a; it panics if a is outside memory.
func (p *Phys) ReadPTE(a PAddr) PTE { return PTE(p.Read32(a)) }

// WritePTE stores e at a; it panics if a is outside memory.
func (p *Phys) WritePTE(a PAddr, e PTE) { p.Write32(a, uint32(e)) }

// ReadPDE returns the PDE stored at a; it panics if a is outside memory.
func (p *Phys) ReadPDE(a PAddr) PDE { return PDE(p.Read32(a)) }

// WritePDE stores e at a; it panics if a is outside memory.
func (p *Phys) WritePDE(a PAddr, e PDE) { p.Write32(a, uint32(e)) }
