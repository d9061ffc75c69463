package mmu

import (
	"fmt"

	"toyvm/isa"
)

// Level says how far a walk got.
type Level uint8

const (
	// LevelDirectory: the walk read the directory entry and stopped
	// there, because its P bit is clear (there is no page table).
	LevelDirectory Level = iota + 1
	// LevelTable: the walk read the directory entry and the page-table
	// entry.
	LevelTable
)

func (l Level) String() string {
	switch l {
	case LevelDirectory:
		return "directory"
	case LevelTable:
		return "table"
	}
	return fmt.Sprintf("level(%d)", uint8(l))
}

// Walk is the result of a page-table walk for one virtual address: the
// address and value of each entry read, and the level that stopped it.
// PTEAddr and PTE are zero when Level is LevelDirectory.
type Walk struct {
	VA      VAddr
	PDEAddr PAddr
	PDE     PDE
	PTEAddr PAddr
	PTE     PTE
	Level   Level
}

// DirBase returns the physical address of the page directory that cr3
// names: cr3 without its low 12 bits (the ASID).
func DirBase(cr3 uint32) PAddr { return PAddr(cr3 &^ offsetMask) }

// EntryAddr returns the physical address of entry index of the page
// directory or page table at base.
func EntryAddr(base PAddr, index uint32) PAddr { return base + PAddr(index*EntrySize) }

// Walk is THE one page-table walk: the hardware translation and the
// kernel both use it. It reads the directory entry of va in the
// directory at cr3 and, if that names a page table, the table entry.
// It neither checks nor changes any bit. It panics if cr3 or a PDE
// points outside memory, which only a kernel bug can cause.
func (p *Phys) Walk(cr3 uint32, va VAddr) Walk {
	w := Walk{VA: va, PDEAddr: EntryAddr(DirBase(cr3), va.Dir())}
	w.PDE = p.ReadPDE(w.PDEAddr)
	w.Level = LevelDirectory
	if !w.PDE.Has(P) {
		return w
	}
	w.PTEAddr = EntryAddr(PAddr(w.PDE.Frame()<<OffsetBits), va.Table())
	w.PTE = p.ReadPTE(w.PTEAddr)
	w.Level = LevelTable
	return w
}

// Valid reports whether the walk found a legal mapping: a page table
// and a PTE with V set.
func (w Walk) Valid() bool { return w.Level == LevelTable && w.PTE.Has(V) }

// Writable reports whether both the PDE and the PTE allow writing.
func (w Walk) Writable() bool { return w.PDE.Has(W) && w.PTE.Has(W) }

// UserOK reports whether both the PDE and the PTE allow user access.
func (w Walk) UserOK() bool { return w.PDE.Has(U) && w.PTE.Has(U) }

// PAddr returns the physical address va maps to; it is meaningful only
// when Check returns isa.CauseNone.
func (w Walk) PAddr() PAddr { return PAddr(w.PTE.Frame()<<OffsetBits | w.VA.Offset()) }

// Check returns the fault that access acc in the given mode takes on this
// walk, in the hardware's order (docs/isa.md section 9): INVALID (no page table or V clear), then
// PROTECTION (U or W, of the PDE or the PTE, forbids it), then
// NOT_PRESENT (P clear). It returns isa.CauseNone when the access is
// allowed.
func (w Walk) Check(acc isa.Access, user bool) isa.Cause {
	switch {
	case !w.Valid():
		return isa.Invalid
	case !allows(w.Writable(), w.UserOK(), acc, user):
		return isa.Protection
	case !w.PTE.Has(P):
		return isa.NotPresent
	}
	return isa.CauseNone
}

// allows reports whether a page with the given W and U permissions allows
// access acc in the given mode. Supervisor accesses ignore U but not W; a
// fetch is a read.
func allows(writable, userOK bool, acc isa.Access, user bool) bool {
	return (userOK || !user) && (writable || acc != isa.Write)
}

// String shows the walk level by level, as the debugger's pt command
// prints it, e.g.
// "va 0x00001000: pde[0] at 0x00002000 = table 0x00003 P W U; pte[1] at 0x00003004 = frame 0x00012 V P - U A -".
func (w Walk) String() string {
	s := fmt.Sprintf("va %v: pde[%d] at %v = %v", w.VA, w.VA.Dir(), w.PDEAddr, w.PDE)
	if w.Level != LevelTable {
		return s + "; no page table"
	}
	return s + fmt.Sprintf("; pte[%d] at %v = %v", w.VA.Table(), w.PTEAddr, w.PTE)
}
