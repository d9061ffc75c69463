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
		"0x00002000 <msg>: not-present  ????\n"+
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

func TestDebugRunsScriptsAndExCommandsInBatch(t *testing.T) {
	script := filepath.Join(t.TempDir(), "stop.gdb")
	require.NoError(t, os.WriteFile(script, []byte("break loop if r6 == 8\ncontinue\n"), 0o644))
	r := debugRun("print 99\n", "-x", script, "-ex", "print r7", "--batch", "../../programs/fib.s")
	assert.Equal(t, exitOK, r.status, r.stderr)
	assert.Equal(t, "(toyvm) break loop if r6 == 8\n1 breakpoint at 0x00001017 <loop> fib.s:16, if r6 == 8\n(toyvm) continue\n"+
		"0\n1\n1\n2\n3\n5\nbreakpoint 1\n=> 0x00001017 <loop> fib.s:16 pid 1  mov r6, r1\n(toyvm) print r7\n$1 = 13\n", r.stdout,
		"--batch: standard input's commands are not read")
}

func TestABatchScriptStopsAtItsFirstErrorWithItsLine(t *testing.T) {
	r := debugRun("", "-ex", "print 1", "-ex", "frob", "-ex", "print 2", "--batch", "../../programs/fib.s")
	assert.Equal(t, 1, r.status)
	assert.Equal(t, "(toyvm) print 1\n$1 = 1\n(toyvm) frob\n", r.stdout)
	assert.Equal(t, "toyvm: -ex:2: unknown command \"frob\" (help lists the commands)\n", r.stderr)
}

func TestAScriptCanReadTheExitCode(t *testing.T) {
	r := debugRun("", "-ex", "continue", "-ex", "info program", "-ex", "print $_exitcode", "--batch", "../../programs/exit.s")
	assert.Equal(t, exitOK, r.status, r.stderr)
	assert.Contains(t, r.stdout, "(toyvm) info program\nthe program has exited with status 42 ($_exitcode), after")
	assert.Contains(t, r.stdout, "(toyvm) print $_exitcode\n$1 = 42\n")
}

func TestTheGuestsStandardInputCanComeFromAFileWhileCommandsComeFromAPipe(t *testing.T) {
	input := filepath.Join(t.TempDir(), "in.txt")
	require.NoError(t, os.WriteFile(input, []byte("shout\n"), 0o644))
	r := debugRun("continue\n", "--stdin", input, "../../debugger/testdata/upcase.s")
	assert.Equal(t, exitOK, r.status, r.stderr)
	assert.Equal(t, "SHOUT\nprogram exited with status 0\n", r.stdout)
}

func TestGdbStyleExIsOnlyRewrittenBeforeTheProgram(t *testing.T) {
	assert.Equal(t, []string{"debug", "--ex", "c", "-x", "f", "p.s", "-ex"}, gdbStyleFlags([]string{"debug", "-ex", "c", "-x", "f", "p.s", "-ex"}))
	assert.Equal(t, []string{"run", "-ex"}, gdbStyleFlags([]string{"run", "-ex"}))
}
