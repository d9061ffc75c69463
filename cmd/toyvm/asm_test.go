package main

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// fileText returns the contents of a file, failing the test if it cannot
// be read.
func fileText(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(name)
	require.NoError(t, err)
	return string(b)
}

// dirNames returns the names in the current folder.
func dirNames(t *testing.T) []string {
	t.Helper()
	entries, err := os.ReadDir(".")
	require.NoError(t, err)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

func TestAsmRefusesToWriteTheImageOverItsSource(t *testing.T) {
	inTempDir(t)
	writeFile(t, "v.s", []byte(quietProgram))
	require.NoError(t, os.Link("v.s", "hardlink.s"))
	require.NoError(t, os.Symlink("v.s", "symlink.s"))
	for _, out := range []string{"v.s", "./v.s", "hardlink.s", "symlink.s"} {
		for _, force := range []bool{false, true} {
			args := []string{"asm", "v.s", "-o", out}
			if force {
				args = append(args, "--force")
			}
			assertUsageError(t, toyvm(t, args...), "is the source being assembled: refusing to write the image over it", args)
			assert.Equal(t, quietProgram, fileText(t, "v.s"), "%q", args)
		}
	}
}

func TestAsmRefusesToReplaceAFileThatIsNotAnImageUnlessForced(t *testing.T) {
	inTempDir(t)
	writeFile(t, "v.s", []byte(quietProgram))
	writeFile(t, "notes.txt", []byte("my notes\n"))
	r := toyvm(t, "asm", "v.s", "-o", "notes.txt")
	assertUsageError(t, r, "notes.txt exists and is not a toyvm image: refusing to replace it (use --force to replace it)", nil)
	assert.Equal(t, "my notes\n", fileText(t, "notes.txt"))

	require.Equal(t, result{}, toyvm(t, "asm", "--force", "v.s", "-o", "notes.txt"))
	assert.Equal(t, "TVMI", fileText(t, "notes.txt")[:4])
}

func TestAsmReplacesAnImageItWroteBefore(t *testing.T) {
	inTempDir(t)
	writeFile(t, "v.s", []byte(quietProgram))
	require.Equal(t, result{}, toyvm(t, "asm", "v.s"))
	writeFile(t, "v.s", []byte(quietProgram+" nop\n"))
	require.Equal(t, result{}, toyvm(t, "asm", "v.s"))
	assert.Equal(t, result{}, toyvm(t, "run", "v.img"))
	assert.ElementsMatch(t, []string{"v.s", "v.img"}, dirNames(t), "no temporary file is left")
}

func TestAsmRefusesADirectoryAsItsOutput(t *testing.T) {
	inTempDir(t)
	writeFile(t, "v.s", []byte(quietProgram))
	require.NoError(t, os.Mkdir("out", 0o755))
	assertUsageError(t, toyvm(t, "asm", "v.s", "-o", "out", "--force"), "out is a directory", nil)
}

func TestAsmWithAnErrorWritesNothingAndLeavesTheOldImage(t *testing.T) {
	inTempDir(t)
	writeFile(t, "v.s", []byte(quietProgram))
	require.Equal(t, result{}, toyvm(t, "asm", "v.s"))
	old := fileText(t, "v.img")
	writeFile(t, "v.s", []byte("mvo r1, r2\n"))
	r := toyvm(t, "asm", "v.s")
	assert.Equal(t, exitUsage, r.status)
	assert.Equal(t, old, fileText(t, "v.img"))
	assert.ElementsMatch(t, []string{"v.s", "v.img"}, dirNames(t))
}

func TestAsmIntoAMissingFolderIsAnErrorOfUse(t *testing.T) {
	inTempDir(t)
	writeFile(t, "v.s", []byte(quietProgram))
	assertUsageError(t, toyvm(t, "asm", "v.s", "-o", "nowhere/v.img"), "cannot write the image", nil)
}

func TestAnInterruptedWriteLeavesTheOldFileWholeAndNoTemporaryFile(t *testing.T) {
	inTempDir(t)
	writeFile(t, "v.img", []byte("TVMI old image"))
	interrupted := errors.New("interrupted")
	err := writeAtomically("v.img", func(w io.Writer) error {
		_, _ = w.Write([]byte("TVMI half of a new"))
		return interrupted
	})
	assert.ErrorIs(t, err, interrupted)
	assert.Equal(t, "TVMI old image", fileText(t, "v.img"))
	assert.Equal(t, []string{"v.img"}, dirNames(t))
}

func TestAWrittenImageKeepsThePermissionsOfTheFileItReplaces(t *testing.T) {
	inTempDir(t)
	writeFile(t, "v.img", []byte("TVMI old"))
	require.NoError(t, os.Chmod("v.img", 0o600))
	require.NoError(t, writeAtomically("v.img", func(w io.Writer) error {
		_, err := w.Write([]byte("TVMI new"))
		return err
	}))
	fi, err := os.Stat(filepath.Join(".", "v.img"))
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), fi.Mode().Perm())
	assert.Equal(t, "TVMI new", fileText(t, "v.img"))
}
