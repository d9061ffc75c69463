package mmu

import (
	"testing"

	"github.com/stretchr/testify/require"

	"toyvm/isa"
)

// testMem is physical memory with a trivial frame allocator, for building
// page tables in tests. Frame 0 is never handed out.
type testMem struct {
	t    testing.TB
	phys *Phys
	next uint32
}

func newTestMem(t testing.TB, frames int) *testMem {
	return &testMem{t: t, phys: NewPhys(frames), next: 1}
}

// alloc returns the next free frame.
func (tm *testMem) alloc() uint32 {
	require.Less(tm.t, int(tm.next), tm.phys.Frames(), "test memory is full")
	tm.next++
	return tm.next - 1
}

// space is one address space: a page directory in a testMem.
type space struct {
	mem *testMem
	dir uint32
}

func (tm *testMem) newSpace() *space { return &space{mem: tm, dir: tm.alloc()} }

// cr3 returns the cr3 value of the space with the given ASID.
func (s *space) cr3(asid uint32) uint32 { return s.dir<<OffsetBits | asid }

// mapPage maps va to a new frame with the PTE bits b, creating its page
// table (PDE P W U) if needed, and returns the frame.
func (s *space) mapPage(va VAddr, b Bits) uint32 {
	w := s.walk(va)
	if w.Level == LevelDirectory {
		s.mem.phys.WritePDE(w.PDEAddr, NewPDE(s.mem.alloc(), P|W|U))
		w = s.walk(va)
	}
	frame := s.mem.alloc()
	s.mem.phys.WritePTE(w.PTEAddr, NewPTE(frame, b))
	return frame
}

// setPDE rewrites the bits of va's directory entry, keeping its frame.
func (s *space) setPDE(va VAddr, b Bits) {
	w := s.walk(va)
	s.mem.phys.WritePDE(w.PDEAddr, NewPDE(w.PDE.Frame(), b))
}

// setPTE rewrites va's page-table entry, behind any TLB's back.
func (s *space) setPTE(va VAddr, e PTE) {
	w := s.walk(va)
	require.Equal(s.mem.t, LevelTable, w.Level)
	s.mem.phys.WritePTE(w.PTEAddr, e)
}

func (s *space) walk(va VAddr) Walk { return s.mem.phys.Walk(s.cr3(0), va) }

func (s *space) pte(va VAddr) PTE { return s.walk(va).PTE }

// newMMU returns an MMU with the given config over tm, with cr3 = s.
func newMMU(tm *testMem, s *space, cfg Config) *MMU {
	if cfg.TLBSize == 0 {
		cfg.TLBSize = 16
	}
	m := New(tm.phys, cfg)
	m.SetCR3(s.cr3(0))
	return m
}

// mustTranslate translates and requires success.
func mustTranslate(t *testing.T, m *MMU, va VAddr, acc isa.Access, user bool) PAddr {
	t.Helper()
	pa, ok := m.Translate(va, acc, user)
	require.True(t, ok, "translate %v %v: %v", va, acc, m.LastFault())
	return pa
}

// requireFault translates and requires the fault cause c.
func requireFault(t *testing.T, m *MMU, va VAddr, acc isa.Access, user bool, c isa.Cause) {
	t.Helper()
	_, ok := m.Translate(va, acc, user)
	require.False(t, ok, "translate %v %v succeeded", va, acc)
	require.Equal(t, &Fault{Cause: c, Access: acc, Addr: va, User: user}, m.LastFault())
}
