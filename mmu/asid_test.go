package mmu

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"toyvm/isa"
)

func TestInvalidateASIDDropsTheEntryOfAnAddressSpaceThatIsNotLoaded(t *testing.T) {
	m := New(NewPhys(64), Config{TLBSize: 8, ASID: true})
	m.SetCR3(0x3000 | 5)
	m.InsertTLB(0x1000, NewPTE(7, V|P|U|W|D))
	m.SetCR3(0x4000 | 6)
	m.InvalidateASID(5, 0x1000)
	m.SetCR3(0x3000 | 5)
	_, ok := m.Translate(0x1000, isa.Read, true)
	assert.False(t, ok, "the entry of ASID 5 is gone: the access walks, and finds no table")
}
