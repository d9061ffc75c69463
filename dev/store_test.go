package dev

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestMemStoreWritingOneBlockOfALargeStoreAllocatesOneBlock(t *testing.T) {
	s := NewMemStore("swap", 64<<20)
	assert.Equal(t, 0, s.Blocks())

	_, err := s.WriteAt(bytes.Repeat([]byte{7}, BlockSize), 10*BlockSize)
	require.NoError(t, err)
	assert.Equal(t, 1, s.Blocks())
	assert.Equal(t, int64(64<<20), s.Size())
	assert.Equal(t, "swap", s.Name())
}

func TestMemStoreUnwrittenBlocksReadAsZeros(t *testing.T) {
	s := NewMemStore("swap", 4*BlockSize)
	p := bytes.Repeat([]byte{0xff}, BlockSize)
	n, err := s.ReadAt(p, 2*BlockSize)
	require.NoError(t, err)
	assert.Equal(t, BlockSize, n)
	assert.Equal(t, make([]byte, BlockSize), p)
	assert.Equal(t, 0, s.Blocks(), "reading allocates nothing")
}

func TestMemStoreWriteAcrossABlockBoundaryReadsBack(t *testing.T) {
	s := NewMemStore("swap", 4*BlockSize)
	data := []byte("straddles two blocks")
	_, err := s.WriteAt(data, BlockSize-5)
	require.NoError(t, err)
	assert.Equal(t, 2, s.Blocks())

	got := make([]byte, len(data))
	_, err = s.ReadAt(got, BlockSize-5)
	require.NoError(t, err)
	assert.Equal(t, data, got)
}

func TestMemStoreWritePastTheEndFailsAndWritesNothing(t *testing.T) {
	s := NewMemStore("swap", 2*BlockSize)
	n, err := s.WriteAt(make([]byte, BlockSize), BlockSize+1)
	assert.ErrorIs(t, err, ErrPastEnd)
	assert.Equal(t, 0, n)
	assert.Equal(t, 0, s.Blocks())

	_, err = s.WriteAt([]byte{1}, -1)
	assert.ErrorIs(t, err, ErrPastEnd)
}

func TestMemStoreReadPastTheEndIsAShortReadOfZeros(t *testing.T) {
	s := NewMemStore("swap", BlockSize)
	_, err := s.WriteAt([]byte{1, 2}, BlockSize-2)
	require.NoError(t, err)

	p := []byte{9, 9, 9, 9}
	n, err := s.ReadAt(p, BlockSize-2)
	assert.ErrorIs(t, err, io.EOF)
	assert.Equal(t, 2, n)
	assert.Equal(t, []byte{1, 2, 0, 0}, p)

	n, err = s.ReadAt(p, 5*BlockSize)
	assert.ErrorIs(t, err, io.EOF)
	assert.Equal(t, 0, n)
}

func TestMemStoreReadAtANegativeOffsetFails(t *testing.T) {
	_, err := NewMemStore("swap", BlockSize).ReadAt(make([]byte, 1), -1)
	assert.Error(t, err)
}

// tempFile writes data to a new file in a test directory and returns its
// path.
func tempFile(t *testing.T, data []byte) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "f.bin")
	require.NoError(t, os.WriteFile(path, data, 0o644))
	return path
}

func TestFileStoreReadsTheFile(t *testing.T) {
	s, err := OpenFileStore(tempFile(t, []byte("hello, disk")), false)
	require.NoError(t, err)
	defer s.Close()

	p := make([]byte, 4)
	n, err := s.ReadAt(p, 7)
	require.NoError(t, err)
	assert.Equal(t, 4, n)
	assert.Equal(t, "disk", string(p))
	assert.Equal(t, int64(11), s.Size())
	assert.Contains(t, s.Name(), "f.bin")
}

func TestFileStoreGivesZerosPastTheEndOfTheFile(t *testing.T) {
	s, err := OpenFileStore(tempFile(t, []byte("abc")), false)
	require.NoError(t, err)
	defer s.Close()

	p := []byte("XXXXXX")
	n, err := s.ReadAt(p, 1)
	assert.ErrorIs(t, err, io.EOF)
	assert.Equal(t, 2, n)
	assert.Equal(t, []byte{'b', 'c', 0, 0, 0, 0}, p)
}

func TestFileStoreWriteGrowsTheFile(t *testing.T) {
	path := tempFile(t, []byte("abc"))
	s, err := OpenFileStore(path, true)
	require.NoError(t, err)
	_, err = s.WriteAt([]byte("xyz"), 5)
	require.NoError(t, err)
	assert.Equal(t, int64(8), s.Size())
	require.NoError(t, s.Close())

	data, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.Equal(t, []byte("abc\x00\x00xyz"), data)
}

func TestFileStoreOpenedReadOnlyRefusesWrites(t *testing.T) {
	s, err := OpenFileStore(tempFile(t, []byte("abc")), false)
	require.NoError(t, err)
	defer s.Close()
	_, err = s.WriteAt([]byte("x"), 0)
	assert.Error(t, err)
}

func TestOpenFileStoreOfAMissingFileFails(t *testing.T) {
	_, err := OpenFileStore(filepath.Join(t.TempDir(), "missing"), false)
	assert.ErrorIs(t, err, os.ErrNotExist)
}
