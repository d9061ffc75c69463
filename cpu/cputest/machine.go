// Package cputest is a small machine for tests: physical memory, page
// tables in it (the layout mmu.Phys.Walk reads), an MMU, a clock, a CPU
// and a recording kernel. The tests of package cpu and of the kernel's
// instruction backup share it.
//
// Files:
//
//   - machine.go: Machine, its page tables and memory access.
//   - asm.go: building instruction bytes from the isa table.
package cputest

import (
	"fmt"
	"maps"
	"slices"

	"toyvm/cpu"
	"toyvm/dev"
	"toyvm/isa"
	"toyvm/mmu"
)

// Frames is the size of a Machine's physical memory.
const Frames = 256

// UserPage is the PTE bits of an ordinary user data page.
const UserPage = mmu.V | mmu.P | mmu.W | mmu.U

// Trap is what the kernel saw when a trap entered it.
type Trap struct {
	Cause                       cpu.FaultCause
	FaultPC, FaultAddr, SavedPC uint32
	R                           [isa.NumRegs]uint32
	Log                         []cpu.LogEntry
}

// Machine is a machine with one address space.
type Machine struct {
	Phys  *mmu.Phys
	MMU   *mmu.MMU
	Clock *dev.Clock
	CPU   *cpu.CPU

	// OnTrap handles a trap after it is recorded; when nil, the machine
	// stops the CPU on every trap.
	OnTrap func(m *Machine, cause isa.Cause)
	Traps  []Trap

	dir   uint32            // frame of the page directory
	next  uint32            // next free frame
	pages map[uint32]uint32 // virtual page number -> frame, of mapped pages
}

// New returns a machine at the given help level, in user mode, with an
// empty address space and a 16-entry TLB.
func New(level cpu.Level) *Machine {
	m := &Machine{Phys: mmu.NewPhys(Frames), Clock: dev.NewClock(), next: 1,
		pages: map[uint32]uint32{}}
	m.MMU = mmu.New(m.Phys, mmu.Config{TLBSize: 16})
	m.dir = m.alloc()
	m.MMU.SetCR3(m.dir << 12)
	m.CPU = cpu.New(m.MMU, m.Clock, level, m)
	m.CPU.PSW = cpu.UserMode
	return m
}

// Trap records the trap and hands it to OnTrap, or stops the CPU.
func (m *Machine) Trap(c *cpu.CPU, cause isa.Cause) {
	m.Traps = append(m.Traps, Trap{Cause: c.Cause, FaultPC: c.FaultPC,
		FaultAddr: c.FaultAddr, SavedPC: c.SavedPC, R: c.R,
		Log: slices.Clone(c.BackupLog())})
	if m.OnTrap != nil {
		m.OnTrap(m, cause)
		return
	}
	c.Stop()
}

// alloc returns a free frame; it panics when memory is full.
func (m *Machine) alloc() uint32 {
	if int(m.next) >= m.Phys.Frames() {
		panic("cputest.alloc: physical memory is full")
	}
	m.next++
	return m.next - 1
}

// walk returns the walk of va in the machine's address space.
func (m *Machine) walk(va uint32) mmu.Walk { return m.Phys.Walk(m.MMU.CR3(), mmu.VAddr(va)) }

// Map maps the page of va with the PTE bits b (a new zeroed frame the
// first time, the same frame afterwards) and invalidates its TLB entry.
func (m *Machine) Map(va uint32, b mmu.Bits) {
	w := m.walk(va)
	if w.Level != mmu.LevelTable {
		m.Phys.WritePDE(w.PDEAddr, mmu.NewPDE(m.alloc(), mmu.P|mmu.W|mmu.U))
		w = m.walk(va)
	}
	vpn := va >> 12
	frame, ok := m.pages[vpn]
	if !ok {
		frame = m.alloc()
		m.pages[vpn] = frame
	}
	m.Phys.WritePTE(w.PTEAddr, mmu.NewPTE(frame, b))
	m.MMU.InvalidatePage(mmu.VAddr(va))
}

// MapRange maps every page that holds a byte of [va, va+n) (at least
// the page of va) with the bits b.
func (m *Machine) MapRange(va, n uint32, b mmu.Bits) {
	last := isa.PageDown(va + max(n, 1) - 1)
	for p := isa.PageDown(va); ; p += isa.PageSize {
		m.Map(p, b)
		if p == last {
			return
		}
	}
}

// PTE returns the page-table entry of va.
func (m *Machine) PTE(va uint32) mmu.PTE { return m.walk(va).PTE }

// paddr returns the physical address of va, which must be mapped.
func (m *Machine) paddr(va uint32) mmu.PAddr {
	frame, ok := m.pages[va>>12]
	if !ok {
		panic(fmt.Sprintf("cputest.paddr: %#x is not mapped", va))
	}
	return mmu.PAddr(frame<<12 | va&(isa.PageSize-1))
}

// Poke writes data at va, whatever the page's bits; every page must have
// been mapped.
func (m *Machine) Poke(va uint32, data ...byte) {
	for i, b := range data {
		m.Phys.Write8(m.paddr(va+uint32(i)), b)
	}
}

// Poke32 writes the little-endian word v at va.
func (m *Machine) Poke32(va, v uint32) {
	m.Poke(va, byte(v), byte(v>>8), byte(v>>16), byte(v>>24))
}

// Peek returns n bytes at va.
func (m *Machine) Peek(va uint32, n int) []byte {
	out := make([]byte, n)
	for i := range out {
		out[i] = m.Phys.Read8(m.paddr(va + uint32(i)))
	}
	return out
}

// Peek32 returns the little-endian word at va.
func (m *Machine) Peek32(va uint32) uint32 {
	b := m.Peek(va, 4)
	return uint32(b[0]) | uint32(b[1])<<8 | uint32(b[2])<<16 | uint32(b[3])<<24
}

// ReadText reads the byte at va as a kernel reads a process's text: ok
// is false if the page is not mapped or not present.
func (m *Machine) ReadText(va uint32) (byte, bool) {
	w := m.walk(va)
	if w.Check(isa.Read, false) != isa.CauseNone {
		return 0, false
	}
	return m.Phys.Read8(w.PAddr()), true
}

// Memory returns a copy of every mapped page's contents, by virtual page
// number.
func (m *Machine) Memory() map[uint32][]byte {
	out := map[uint32][]byte{}
	for _, vpn := range slices.Sorted(maps.Keys(m.pages)) {
		out[vpn] = slices.Clone(m.Phys.Frame(m.pages[vpn]))
	}
	return out
}

// Load maps the pages of code as user text (read, write and execute, so
// that the tests may break any of them) and writes it at va.
func (m *Machine) Load(va uint32, code []byte) {
	m.MapRange(va, uint32(len(code)), UserPage)
	m.Poke(va, code...)
}
