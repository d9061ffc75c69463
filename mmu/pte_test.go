package mmu

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestVAddrSplitsTenTenTwelve(t *testing.T) {
	va := VAddr(0x12345678)
	assert.Equal(t, uint32(0x048), va.Dir())
	assert.Equal(t, uint32(0x345), va.Table())
	assert.Equal(t, uint32(0x678), va.Offset())
	assert.Equal(t, uint32(0x12345), va.VPN())
	assert.Equal(t, "0x12345678", va.String())
	assert.Equal(t, "0x00003004", PAddr(0x3004).String())
}

func TestPTEStringNamesEveryBit(t *testing.T) {
	assert.Equal(t, "frame 0x00012 V P W U A -", NewPTE(0x12, V|P|W|U|A).String())
	assert.Equal(t, "frame 0xfffff - - - - - D", NewPTE(0xFFFFF, D).String())
	assert.Equal(t, "frame 0x00000 V - - - - - K0 K2", NewPTE(0, V|K0|K2).String())
	assert.Equal(t, "frame 0x00001 V P W U A D K0 K1 K2", NewPTE(1, V|P|W|U|A|D|K0|K1|K2).String())
}

func TestAPTEKeepsItsFrameAndItsBitsApart(t *testing.T) {
	e := NewPTE(0x12, V|P)
	assert.Equal(t, uint32(0x12), e.Frame())
	assert.True(t, e.Has(V|P))
	assert.False(t, e.Has(V|W))
	e = e.With(W | D).Without(P)
	assert.Equal(t, V|W|D, e.Bits())
	assert.Equal(t, PTE(0x34<<12)|PTE(V|W|D), e.WithFrame(0x34))
	assert.Equal(t, uint32(0x34), NewPTE(0x34, Bits(0xFFFFFFFF)).Frame(), "bits never spill into the frame")
}

func TestPDEStringNamesItsBits(t *testing.T) {
	assert.Equal(t, "table 0x00003 P W U", NewPDE(3, P|W|U).String())
	assert.Equal(t, "table 0x00003 P - -", NewPDE(3, P|A).String())
	e := NewPDE(7, P).With(W).Without(P)
	assert.Equal(t, uint32(7), e.Frame())
	assert.Equal(t, W, e.Bits())
	assert.True(t, e.Has(W))
}

func TestPhysStoresTypedEntries(t *testing.T) {
	p := NewPhys(1)
	p.WritePTE(8, NewPTE(5, V))
	p.WritePDE(12, NewPDE(6, P))
	assert.Equal(t, NewPTE(5, V), p.ReadPTE(8))
	assert.Equal(t, NewPDE(6, P), p.ReadPDE(12))
}
