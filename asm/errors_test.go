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
