package asm

import (
	"bufio"
	"encoding/hex"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"toyvm/image"
	"toyvm/isa"
)

func sampleImage(t *testing.T) *image.Image {
	t.Helper()
	img, err := LoadFile("testdata/sample.s")
	require.NoError(t, err)
	return img
}

func TestDisassemblyListsLabelsInstructionsAndData(t *testing.T) {
	golden(t, "sample.disasm", Disassemble(sampleImage(t)))
}

func TestDisassemblyGoesOnAfterIllegalBytes(t *testing.T) {
	img := &image.Image{Entry: 0x1000, Segments: []image.Segment{{Name: "text", Addr: 0x1000, Size: 8, Perm: image.PermR | image.PermX,
		Data: []byte{0xff, 0x01, 0x10, 0x81, 0x10, 0x01}}}}
	assert.Equal(t, `entry 0x00001000

segment text 0x00001000-0x00001008 r-x (8 bytes)
  00001000  ff                                .byte 0xff ; illegal
  00001001  01                                nop
  00001002  10                                .byte 0x10 ; illegal
  00001003  81                                .byte 0x81 ; illegal
  00001004  10                                .byte 0x10 ; truncated
  00001005  01                                nop
  00001006                                    .space 2
`, Disassemble(img))
}

// TestEveryInstructionTextReassemblesToItsBytes reads isa's golden round
// trips: the text the disassembler prints for an instruction at
// isa.TextBase must assemble back to the same bytes.
func TestEveryInstructionTextReassemblesToItsBytes(t *testing.T) {
	f, err := os.Open("../isa/testdata/roundtrip.golden")
	require.NoError(t, err)
	defer f.Close()
	sc := bufio.NewScanner(f)
	n := 0
	for sc.Scan() {
		hexText, src, ok := strings.Cut(sc.Text(), "\t")
		require.True(t, ok)
		want, err := hex.DecodeString(strings.ReplaceAll(hexText, " ", ""))
		require.NoError(t, err)
		img, err := Assemble("golden.s", []byte(src))
		require.NoError(t, err, src)
		assert.Equal(t, want, text(img), src)
		n++
	}
	require.NoError(t, sc.Err())
	assert.Greater(t, n, len(isa.Ops))
}

func TestSymbolAtNamesTheFirstLabelAtAnAddress(t *testing.T) {
	img := mustAssemble(t, ".equ four, 0x1000\na:\nb: nop")
	assert.Equal(t, "a", img.SymbolAt(0x1000), "labels only, not .equ names")
	assert.Equal(t, "", img.SymbolAt(0x1001))
}
