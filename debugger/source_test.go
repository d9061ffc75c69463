package debugger

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"toyvm/asm"
	"toyvm/kernel"
)

// includingProgram writes prog/main.s, which includes prog/lib/sub.s,
// under a fresh current folder, and returns a session on it.
func includingProgram(t *testing.T) (*Session, *bytes.Buffer) {
	t.Helper()
	t.Chdir(t.TempDir())
	require.NoError(t, os.MkdirAll(filepath.Join("prog", "lib"), 0o755))
	require.NoError(t, os.WriteFile(filepath.Join("prog", "main.s"),
		[]byte("start:  call sub\n        mov #1, r0\n        clr r1\n        sys\n        .include \"lib/sub.s\"\n"), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join("prog", "lib", "sub.s"),
		[]byte("; sub: does nothing\nsub:    nop\n        ret\n"), 0o644))
	img, err := asm.LoadFile(filepath.Join("prog", "main.s"))
	require.NoError(t, err)
	var out bytes.Buffer
	cfg := kernel.DefaultConfig()
	cfg.Stdout, cfg.Stderr = &out, &out
	s, err := New(cfg, img, []string{filepath.Join("prog", "main.s")}, &out)
	require.NoError(t, err)
	return s, &out
}

func TestListShowsAnIncludedFileFoundFromTheProgramsFolder(t *testing.T) {
	s, out := includingProgram(t)
	s.Exec("list sub")
	assert.Contains(t, out.String(), "   2  sub:    nop\n")
	out.Reset()
	s.Exec("list")
	assert.Contains(t, out.String(), "=>    1  start:  call sub\n")
}

func TestBreakFindsALineOfAnIncludedFileByAnyOfItsNames(t *testing.T) {
	s, out := includingProgram(t)
	for _, name := range []string{"lib/sub.s", "sub.s", filepath.Join("prog", "lib", "sub.s")} {
		out.Reset()
		s.Exec("break " + name + ":3")
		assert.Regexp(t, `breakpoint at 0x[0-9a-f]{8} <sub\+1> sub\.s:3`, out.String(), name)
	}
}
