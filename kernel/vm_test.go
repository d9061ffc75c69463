package kernel

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"toyvm/kernel/vm"
	"toyvm/mmu"
)

// region returns a region of anonymous memory.
func region(name string, start, end uint32, prot vm.Prot) *vm.Region {
	return &vm.Region{Name: name, Start: mmu.VAddr(start), End: mmu.VAddr(end), Prot: prot,
		Object: vm.NewObject(name, vm.ZeroSource{}, true), Origin: mmu.VAddr(start), Floor: mmu.VAddr(start)}
}

// pagedIn pages in va of a fresh kernel's process whose only region is r,
// and returns the entry mapped.
func pagedIn(t *testing.T, softDirty bool, r *vm.Region, va mmu.VAddr) mmu.PTE {
	cfg := testConfig()
	cfg.SoftwareDirty = softDirty
	k, _, _ := newKernel(t, cfg)
	p := &Process{PID: 1}
	pt, err := vm.NewPageTable(k.Phys, k.Frames, 1)
	require.NoError(t, err)
	p.Space = &vm.AddressSpace{PT: pt, SoftDirty: softDirty}
	require.NoError(t, p.Space.AddRegion(r))
	require.Equal(t, ZeroFilled, k.getPage(p, r, va).how)
	return p.Space.PT.Lookup(va).PTE
}

func TestPageInOfAReadOnlyRegionLeavesWClear(t *testing.T) {
	pte := pagedIn(t, false, region("text", 0x1000, 0x2000, vm.ProtRead), 0x1000)
	assert.True(t, pte.Has(mmu.V|mmu.P|mmu.U))
	assert.False(t, pte.Has(mmu.W))
}

func TestPageInOfAWritableRegionSetsW(t *testing.T) {
	pte := pagedIn(t, false, region("data", 0x2000, 0x3000, vm.ProtRead|vm.ProtWrite), 0x2000)
	assert.True(t, pte.Has(mmu.V|mmu.P|mmu.U|mmu.W))
}

func TestPageInUnderSoftwareDirtyBitsMapsWritablePagesReadOnly(t *testing.T) {
	pte := pagedIn(t, true, region("data", 0x2000, 0x3000, vm.ProtRead|vm.ProtWrite), 0x2000)
	assert.True(t, pte.Has(mmu.V|mmu.P))
	assert.False(t, pte.Has(mmu.W), "the first write must trap")
}
