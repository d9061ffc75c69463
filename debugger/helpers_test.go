package debugger

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"toyvm/asm"
	"toyvm/kernel"
)

var update = flag.Bool("update", false, "rewrite the golden files of testdata/")

// newSession returns a session on programs/NAME whose output, and the
// guest's, goes to the returned buffer.
func newSession(t testing.TB, name string) (*Session, *bytes.Buffer) {
	return newSessionWith(t, name, nil)
}

// newSessionWith returns a session as newSession does, with the root
// folder programs/ (where parallel.s finds itself to spawn) and the
// configuration changed by config (if not nil).
func newSessionWith(t testing.TB, name string, config func(cfg *kernel.Config)) (*Session, *bytes.Buffer) {
	t.Helper()
	path := filepath.Join("..", "programs", name)
	img, err := asm.LoadFile(path)
	require.NoError(t, err)
	var out bytes.Buffer
	cfg := kernel.DefaultConfig()
	cfg.Stdout, cfg.Stderr = &out, &out
	if config != nil {
		cfg.Root = filepath.Dir(path)
		config(&cfg)
	}
	s, err := New(cfg, img, []string{path}, &out)
	require.NoError(t, err)
	return s, &out
}

// runScript runs a script's lines in a session on the program its first
// line names ("# program: fib.s") and returns the transcript: each line
// after a "(toyvm) " prompt, then its output.
func runScript(t *testing.T, script string) string {
	t.Helper()
	first, _, _ := strings.Cut(script, "\n")
	name, ok := strings.CutPrefix(first, "# program: ")
	require.True(t, ok, "a script starts with # program: NAME")
	s, out := newSession(t, strings.TrimSpace(name))
	var transcript strings.Builder
	for _, line := range strings.Split(strings.TrimSuffix(script, "\n"), "\n") {
		out.Reset()
		quit := s.Exec(line)
		transcript.WriteString("(toyvm) " + line + "\n" + out.String())
		if quit {
			break
		}
	}
	return transcript.String()
}

// checkGolden compares got with testdata/NAME.golden, or rewrites that
// file with -update.
func checkGolden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name+".golden")
	if *update {
		require.NoError(t, os.WriteFile(path, []byte(got), 0o644))
		return
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "run go test -update to create it")
	require.Equal(t, string(want), got)
}

// execAll runs each command line in s.
func execAll(s *Session, lines ...string) {
	for _, line := range lines {
		s.Exec(line)
	}
}
