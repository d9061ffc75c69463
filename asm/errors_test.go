package asm

import (
	"errors"
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestEveryMistakeInAFileIsReportedAtItsPosition(t *testing.T) {
	src, err := os.ReadFile("testdata/errors.s")
	require.NoError(t, err)
	_, err = Assemble("errors.s", src)
	require.Error(t, err)
	golden(t, "errors.golden", err.Error()+"\n")
}

func TestAssembleReturnsAnErrorListSortedByPosition(t *testing.T) {
	_, err := Assemble("t.s", []byte("br nowhere\nmvo r1\nmov 5, 6\n"))
	var list ErrorList
	require.True(t, errors.As(err, &list))
	require.Len(t, list, 4)
	assert.Equal(t, Pos{"t.s", 1, 4}, list[0].Pos)
	assert.Equal(t, Pos{"t.s", 2, 1}, list[1].Pos)
	assert.Equal(t, Pos{"t.s", 3, 5}, list[2].Pos)
	assert.Equal(t, Pos{"t.s", 3, 8}, list[3].Pos)
	assert.Equal(t, `t.s:2:1: unknown instruction "mvo"; did you mean "mov"?`, list[1].Error())
}

func TestNearestNameIsWithinTwoEdits(t *testing.T) {
	assert.Equal(t, "mov", nearest("mvo", mnemonics()))
	assert.Equal(t, "halt", nearest("hlt", mnemonics()))
	assert.Equal(t, "push", nearest("pushh", mnemonics()))
	assert.Equal(t, "", nearest("xyzzy", mnemonics()))
	assert.Equal(t, ".space", nearest(".spcae", directiveNames()))
}

// TestCommonMistakesGetMessagesInPlainWords assembles one of each mistake
// students make most (testdata/mistakes.s): each is reported at its
// place, in words that say what was meant (testdata/mistakes.golden).
func TestCommonMistakesGetMessagesInPlainWords(t *testing.T) {
	src, err := os.ReadFile("testdata/mistakes.s")
	require.NoError(t, err)
	_, err = Assemble("mistakes.s", src)
	require.Error(t, err)
	golden(t, "mistakes.golden", err.Error()+"\n")
	assert.NotContains(t, err.Error(), "unexpected token")
	assert.NotContains(t, err.Error(), "syntax error")
}

func TestAnEmptyFileIsAnEmptyProgram(t *testing.T) {
	for _, src := range []string{"", "\n", "; only a comment\n\n   \t\n"} {
		img := mustAssemble(t, src)
		assert.Equal(t, uint32(0x1000), img.Entry, "%q", src)
		require.Len(t, img.Segments, 1, "%q", src)
		assert.Equal(t, uint32(0), img.Segments[0].Size, "%q", src)
	}
}

func TestABinaryFileGivenAsASourceIsNotATextSource(t *testing.T) {
	_, err := Assemble("prog.img", []byte("TVMI\x01\x00\x00\x00"))
	assert.EqualError(t, err, "prog.img:1:6: this is not a text source: it holds a NUL byte (is it an image, or another binary file?)")
	_, err = Assemble("latin1.s", []byte("start: nop\n\n; d\xe9j\xe0 vu\n"))
	assert.EqualError(t, err, "latin1.s:3:4: this is not a text source: it holds byte 0xe9, which is not UTF-8 (is it an image, or another binary file?)")
	mustAssemble(t, "; déjà vu, in UTF-8: fine\nmsg: .ascii \"é\\n\"\n")
}
