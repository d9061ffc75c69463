package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// debugRun runs `toyvm debug` with args and script on standard input.
func debugRun(script string, args ...string) result {
	var out, errb bytes.Buffer
	status := run(append([]string{"debug"}, args...), env{stdin: strings.NewReader(script), stdout: &out, stderr: &errb})
	return result{status, out.String(), errb.String()}
}

func TestDebugReadsCommandsFromAPipeAndPrintsOnlyTheirOutput(t *testing.T) {
	r := debugRun("break start+7\ncontinue\nx msg 1\ncontinue\nquit\n", "../../programs/hello.s")
	assert.Equal(t, exitOK, r.status, r.stderr)
	assert.Empty(t, r.stderr)
	assert.Equal(t, "1 breakpoint at 0x00001007 <start+7> hello.s:15\n"+
		"breakpoint 1\n=> 0x00001007 <start+7> hello.s:15 pid 1  mov #1, r1\n"+
		"0x00002000 <msg>: not-present\n"+
		"Hello, world\nprogram exited with status 0\n", r.stdout)
}

func TestDebugTakesTheRunFlags(t *testing.T) {
	r := debugRun("info swap\n", "--swap", "static", "--swap-size", "1M", "../../programs/hello.s")
	assert.Equal(t, exitOK, r.status, r.stderr)
	assert.Contains(t, r.stdout, "swap: static layout, 256 slots (1M)")
}

func TestDebugOfAMissingProgramIsAnErrorOfUse(t *testing.T) {
	r := debugRun("", "no/such/program.s")
	assert.Equal(t, exitUsage, r.status)
	assert.Contains(t, r.stderr, "no/such/program.s")
}

func TestDebugEndsAtTheEndOfItsInput(t *testing.T) {
	r := debugRun("step\n", "../../programs/hello.s")
	assert.Equal(t, exitOK, r.status, r.stderr)
	assert.Equal(t, "=> 0x00001007 <start+7> hello.s:15 pid 1  mov #1, r1\n", r.stdout)
}

func TestDebugStopsAtTheStepLimitAndGoesNoFurther(t *testing.T) {
	r := debugRun("continue\nstep\nregs\n", "--max-steps", "5", "../../programs/fib.s")
	assert.Equal(t, exitOK, r.status, r.stderr)
	assert.Equal(t, 2, strings.Count(r.stdout, "stopped after 5 instructions (--max-steps 5)\n"), r.stdout)
	assert.Contains(t, r.stdout, "instructions 5\n")
}

func TestDebugPrintsAndWritesTheCountersAtTheEndOfTheSession(t *testing.T) {
	json := filepath.Join(t.TempDir(), "s.json")
	r := debugRun("continue\nquit\n", "--stats", "--stats-json", json, "../../programs/hello.s")
	assert.Equal(t, exitOK, r.status, r.stderr)
	assert.Contains(t, r.stderr, "instructions       8\n")
	data, err := os.ReadFile(json)
	require.NoError(t, err)
	assert.Contains(t, string(data), `"instructions": 8,`)
}

func TestDebugSkipsACommandLineOverOneMiBAndReadsOn(t *testing.T) {
	r := debugRun("step\n"+strings.Repeat("a", 2<<20)+"\nstep\n", "../../programs/hello.s")
	assert.Equal(t, exitOK, r.status, r.stderr)
	assert.Equal(t, "=> 0x00001007 <start+7> hello.s:15 pid 1  mov #1, r1\n"+
		"command line longer than 1 MiB: skipped\n"+
		"=> 0x0000100e <start+14> hello.s:16 pid 1  mov #8192, r2\n", r.stdout)
}
