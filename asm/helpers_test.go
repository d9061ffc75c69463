package asm

import (
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"toyvm/image"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// mustAssemble assembles src as "t.s" and fails the test on any error.
func mustAssemble(t *testing.T, src string) *image.Image {
	t.Helper()
	img, err := Assemble("t.s", []byte(src))
	require.NoError(t, err)
	return img
}

// assembleErrors returns the error text of assembling src as "t.s".
func assembleErrors(t *testing.T, src string) string {
	t.Helper()
	_, err := Assemble("t.s", []byte(src))
	require.Error(t, err)
	return err.Error()
}

// text returns the stored bytes of the text segment.
func text(img *image.Image) []byte { return img.Segments[0].Data }

// golden compares got with testdata/name, rewriting it with -update.
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		require.NoError(t, os.WriteFile(path, []byte(got), 0o644))
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err)
	require.Equal(t, string(want), got, "run go test ./asm -update to accept")
}
