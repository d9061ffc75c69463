package dev

import (
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestATempAreaReadsZerosUntilWrittenAndCreatesNoFileBefore(t *testing.T) {
	a := NewTempArea("swap", 1<<40) // a terabyte, of which nothing is held
	defer a.Close()
	buf := []byte{1, 2, 3}
	n, err := a.ReadAt(buf, 1<<39)
	require.NoError(t, err)
	assert.Equal(t, 3, n)
	assert.Equal(t, []byte{0, 0, 0}, buf)
	assert.Nil(t, a.f, "no file before the first write")
	_, err = a.WriteAt([]byte("page"), 1<<39)
	require.NoError(t, err)
	_, err = a.ReadAt(buf, 1<<39+1)
	require.NoError(t, err)
	assert.Equal(t, []byte("age"), buf)
	_, err = os.Stat(a.f.Name())
	assert.True(t, os.IsNotExist(err), "the temporary file has no name in its folder")
}

func TestAnAreaRefusesWritesPastItsEndAndReadsZerosThere(t *testing.T) {
	a := NewTempArea("swap", 8192)
	defer a.Close()
	_, err := a.WriteAt(make([]byte, 10), 8190)
	assert.ErrorIs(t, err, ErrPastEnd)
	buf := []byte{9, 9, 9, 9}
	n, err := a.ReadAt(buf, 8190)
	assert.Equal(t, io.EOF, err)
	assert.Equal(t, 2, n)
	assert.Equal(t, []byte{0, 0, 0, 0}, buf)
	_, err = a.ReadAt(buf, -1)
	assert.Error(t, err)
}

func TestCreateAreaKeepsANamedSparseFileAndNeverWritesOverOne(t *testing.T) {
	path := filepath.Join(t.TempDir(), "swap.img")
	a, err := CreateArea("swap", path, 1<<30)
	require.NoError(t, err)
	_, err = a.WriteAt([]byte("kept"), 4096)
	require.NoError(t, err)
	require.NoError(t, a.Close())
	fi, err := os.Stat(path)
	require.NoError(t, err)
	assert.Equal(t, int64(1<<30), fi.Size())
	_, err = CreateArea("swap", path, 4096)
	assert.ErrorContains(t, err, "exists: toyvm does not write over a file it did not create")
	f, err := os.Open(path)
	require.NoError(t, err)
	defer f.Close()
	b := make([]byte, 4)
	_, err = f.ReadAt(b, 4096)
	require.NoError(t, err)
	assert.Equal(t, []byte("kept"), b, "the existing file is untouched")
}
