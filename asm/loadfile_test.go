package asm

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestLoadFileAssemblesSourcesAndLoadsImages(t *testing.T) {
	dir := t.TempDir()
	img := mustAssemble(t, "start: nop\n")
	b, err := img.MarshalBinary()
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "p.img"), b, 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "p.s"), []byte("start: nop\n"), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "bad.s"), []byte("mvo\n"), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "bad.img"), []byte("nope"), 0o644))

	fromImage, err := LoadFile(filepath.Join(dir, "p.img"))
	require.NoError(t, err)
	fromSource, err := LoadFile(filepath.Join(dir, "p.s"))
	require.NoError(t, err)
	assert.Equal(t, fromImage.Segments, fromSource.Segments)
	_, err = LoadFile(filepath.Join(dir, "bad.s"))
	assert.ErrorContains(t, err, "bad.s:1:1: unknown instruction")
	_, err = LoadFile(filepath.Join(dir, "bad.img"))
	assert.ErrorContains(t, err, "bad.img: image: offset 0: not a toyvm image")
	_, err = LoadFile(filepath.Join(dir, "missing.img"))
	assert.Error(t, err)
}

func TestTheImagePackagesSampleIsThisAssemblersOutput(t *testing.T) {
	img := sampleImage(t)
	b, err := img.MarshalBinary()
	require.NoError(t, err)
	want, err := os.ReadFile("../image/testdata/sample.img")
	require.NoError(t, err)
	assert.Equal(t, want, b, "regenerate with: go run ./cmd/toyvm asm asm/testdata/sample.s -o image/testdata/sample.img (from any folder: the image records only the base name)")
}
