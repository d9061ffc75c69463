package mmu

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestPhysWordsAreLittleEndianAtAnyAlignment(t *testing.T) {
	p := NewPhys(2)
	p.Write32(0xFFE, 0x11223344) // spans the two frames
	p.Write8(0x1002, 0x55)
	assert.Equal(t, uint8(0x55), p.Frame(1)[2])
	assert.Equal(t, uint8(0x44), p.Read8(0xFFE))
	assert.Equal(t, uint8(0x11), p.Read8(0x1001))
	assert.Equal(t, uint32(0x11223344), p.Read32(0xFFE))
	assert.Equal(t, byte(0x22), p.Frame(1)[0])
}

func TestPhysFrameSharesMemory(t *testing.T) {
	p := NewPhys(3)
	f := p.Frame(2)
	require.Len(t, f, PageSize)
	f[5] = 0xAB
	assert.Equal(t, uint8(0xAB), p.Read8(2*PageSize+5))
	assert.Equal(t, PageSize, cap(f), "appending must not spill into the next frame")
}

func TestPhysAccessOutsideMemoryPanicsNamingTheMethod(t *testing.T) {
	p := NewPhys(1)
	assert.NotPanics(t, func() { p.Read32(PageSize - 4) })
	assert.PanicsWithError(t, "mmu.Phys.Read32: address 0x00000ffd outside memory (1 frames)",
		func() { p.Read32(PageSize - 3) })
	assert.Panics(t, func() { p.Write32(0xFFFFFFFF, 0) })
	assert.Panics(t, func() { p.Read8(PageSize) })
	assert.Panics(t, func() { p.Write8(PageSize, 0) })
	assert.Panics(t, func() { p.Frame(1) })
}

func TestPhysSizeIsBounded(t *testing.T) {
	assert.Equal(t, 4, NewPhys(4).Frames())
	assert.Equal(t, 4*PageSize, NewPhys(4).Size())
	assert.Panics(t, func() { NewPhys(0) })
	assert.Panics(t, func() { NewPhys(MaxFrames + 1) })
}

func TestPhysContainsChecksEveryByte(t *testing.T) {
	p := NewPhys(1)
	assert.True(t, p.Contains(0, PageSize))
	assert.False(t, p.Contains(1, PageSize))
	assert.False(t, p.Contains(0xFFFFFFFF, 2))
	assert.False(t, p.Contains(0, -1))
}
