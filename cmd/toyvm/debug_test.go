package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
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
