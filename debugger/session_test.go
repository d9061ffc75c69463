package debugger

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"toyvm/asm"
	"toyvm/image"
	"toyvm/kernel"
)

// TestScriptedSessionsMatchTheirGoldenTranscripts runs every
// testdata/*.script and compares its transcript with the .golden file
// of the same name.
func TestScriptedSessionsMatchTheirGoldenTranscripts(t *testing.T) {
	scripts, err := filepath.Glob(filepath.Join("testdata", "*.script"))
	require.NoError(t, err)
	require.NotEmpty(t, scripts)
	for _, path := range scripts {
		name := strings.TrimSuffix(filepath.Base(path), ".script")
		t.Run(name, func(t *testing.T) {
			script, err := os.ReadFile(path)
			require.NoError(t, err)
			checkGolden(t, name, runScript(t, string(script)))
		})
	}
}

// TestNextAndFinishStopInTheirOwnProcess runs two processes through the
// same call at the same sp: next and finish, begun in process 1, stop
// when process 1 returns, not when process 2 (which returns first, in
// between its time slices) reaches the same pc and sp.
func TestNextAndFinishStopInTheirOwnProcess(t *testing.T) {
	for _, cmd := range []string{"next", "finish"} {
		img, err := asm.LoadFile(filepath.Join("testdata", "twins.s"))
		require.NoError(t, err)
		var out bytes.Buffer
		cfg := kernel.DefaultConfig()
		cfg.Stdout, cfg.Stderr, cfg.Root, cfg.Quantum = &out, &out, "testdata", 500
		s, err := New(cfg, img, []string{"twins.s"}, &out)
		require.NoError(t, err)
		at := "break c1"
		if cmd == "finish" {
			at = "break lp"
		}
		for _, line := range []string{at, "continue", "delete 1", cmd} {
			s.Exec(line)
		}
		require.Equal(t, 1, s.Kernel().Current().PID, "%s:\n%s", cmd, out.String())
		require.Equal(t, img.Symbols[symbolIndex(t, img, "back")].Value, s.Kernel().CPU.PC, cmd)
		procs := s.Kernel().Processes()
		require.Len(t, procs, 2)
		require.Equal(t, kernel.Zombie, procs[1].State, "%s: process 2 returned and exited meanwhile", cmd)
	}
}

// symbolIndex returns the index of the symbol name in img.
func symbolIndex(t *testing.T, img *image.Image, name string) int {
	t.Helper()
	for i, sym := range img.Symbols {
		if sym.Name == name {
			return i
		}
	}
	t.Fatalf("no symbol %q", name)
	return -1
}

func TestABreakpointInAnUpcallHandlerStopsTheUpcall(t *testing.T) {
	img, err := asm.LoadFile(filepath.Join("testdata", "upcall.s"))
	require.NoError(t, err)
	var out bytes.Buffer
	cfg := kernel.DefaultConfig()
	cfg.Stdout, cfg.Stderr, cfg.Root = &out, &out, "testdata"
	s, err := New(cfg, img, []string{"upcall.s"}, &out)
	require.NoError(t, err)
	handler := img.Symbols[symbolIndex(t, img, "handler")].Value
	for _, line := range []string{"break handler", "continue"} {
		s.Exec(line)
	}
	require.Equal(t, handler, s.Kernel().CPU.PC, out.String())
	assert.Contains(t, out.String(), "breakpoint 1\n=> 0x")
	s.Exec("info faults")
	assert.Contains(t, out.String(), "upcall: handed to the library OS")
	s.Exec("delete 1")
	s.Exec("continue")
	assert.Contains(t, out.String(), "program exited with status 42")
}
