package mmu

import (
	"encoding/binary"
	"fmt"
)

// PAddr is a physical address.
type PAddr uint32

// String returns the address as eight hex digits, e.g. "0x00003004".
func (a PAddr) String() string { return fmt.Sprintf("0x%08x", uint32(a)) }

// MaxFrames is the most frames a 32-bit physical address can reach.
const MaxFrames = 1 << 20

// Phys is the emulated physical memory: a number of PageSize frames,
// little-endian. Only the kernel and the MMU address it directly, so an
// address outside memory is a kernel bug and panics.
type Phys struct {
	mem []byte
}

// NewPhys returns a zeroed physical memory of the given number of frames.
// It panics unless 1 <= frames <= MaxFrames (the command line checks the
// size a user gives before it gets here).
func NewPhys(frames int) *Phys {
	if frames < 1 || frames > MaxFrames {
		panic(fmt.Sprintf("mmu.NewPhys: %d frames, want 1 to %d", frames, MaxFrames))
	}
	return &Phys{mem: make([]byte, frames*PageSize)}
}

// Frames returns the number of frames in memory.
func (p *Phys) Frames() int { return len(p.mem) / PageSize }

// Size returns the size of memory in bytes.
func (p *Phys) Size() int { return len(p.mem) }

// Contains reports whether the n bytes from a all lie inside memory.
func (p *Phys) Contains(a PAddr, n int) bool {
	return n >= 0 && uint64(a)+uint64(n) <= uint64(len(p.mem))
}

// Read8 returns the byte at a; it panics if a is outside memory.
func (p *Phys) Read8(a PAddr) uint8 {
	if !p.Contains(a, 1) {
		panic(outsideMemory{"Read8", a, p.Frames()})
	}
	return p.mem[a]
}

// Write8 stores v at a; it panics if a is outside memory.
func (p *Phys) Write8(a PAddr, v uint8) {
	if !p.Contains(a, 1) {
		panic(outsideMemory{"Write8", a, p.Frames()})
	}
	p.mem[a] = v
}

// Read32 returns the little-endian word at a (any alignment); it panics
// if any of its four bytes is outside memory.
func (p *Phys) Read32(a PAddr) uint32 {
	if !p.Contains(a, 4) {
		panic(outsideMemory{"Read32", a, p.Frames()})
	}
	return binary.LittleEndian.Uint32(p.mem[a:])
}

// Write32 stores v little-endian at a (any alignment); it panics if any
// of its four bytes is outside memory.
func (p *Phys) Write32(a PAddr, v uint32) {
	if !p.Contains(a, 4) {
		panic(outsideMemory{"Write32", a, p.Frames()})
	}
	binary.LittleEndian.PutUint32(p.mem[a:], v)
}

// Frame returns frame n's PageSize bytes, shared with memory (writes to
// the slice are writes to memory); it panics if n is not a frame.
func (p *Phys) Frame(n uint32) []byte {
	if uint64(n) >= uint64(p.Frames()) {
		panic(fmt.Sprintf("mmu.Phys.Frame: frame %#x outside memory (%d frames)", n, p.Frames()))
	}
	start := int(n) * PageSize
	return p.mem[start : start+PageSize : start+PageSize]
}

// outsideMemory is the panic value of an access outside memory, which
// only a kernel bug can make. It is a plain value so that the accessors
// stay small enough to inline.
type outsideMemory struct {
	op     string
	addr   PAddr
	frames int
}

// Error returns e.g. "mmu.Phys.Read32: address 0x00001000 outside memory (1 frames)".
func (e outsideMemory) Error() string {
	return fmt.Sprintf("mmu.Phys.%s: address %v outside memory (%d frames)", e.op, e.addr, e.frames)
}
