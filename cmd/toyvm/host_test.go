package main

import (
	"bufio"
	"io"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestMain lets a test run toyvm as a real process of the host (the test
// binary itself, with TOYVM_RUN_MAIN=1), for what only a real process
// shows: signals, and standard streams that are pipes.
func TestMain(m *testing.M) {
	if os.Getenv("TOYVM_RUN_MAIN") == "1" {
		main()
		return
	}
	os.Exit(m.Run())
}

// hostToyvm returns the command that runs toyvm with args as a process
// of the host, in the current folder.
func hostToyvm(args ...string) *exec.Cmd {
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(os.Environ(), "TOYVM_RUN_MAIN=1")
	return cmd
}

// hostExitStatus returns the exit status of a finished command, failing the
// test if toyvm was killed by a signal instead.
func hostExitStatus(t *testing.T, err error) int {
	t.Helper()
	if err == nil {
		return 0
	}
	var ee *exec.ExitError
	require.ErrorAs(t, err, &ee)
	ws := ee.Sys().(syscall.WaitStatus)
	require.False(t, ws.Signaled(), "toyvm was killed by %v", ws.Signal())
	return ws.ExitStatus()
}

// writeUntilRefused writes "y\n" until a write fails, then exits with the
// error's number (EIO is 5).
const writeUntilRefused = `
start:  mov     #2, r0
        mov     #1, r1
        mov     #msg, r2
        mov     #2, r3
        sys
        tst     r0
        bge     start
        neg     r0
        mov     r0, r1
        mov     #1, r0
        sys
        .data
msg:    .ascii  "y\n"
`

func TestAClosedPipeOnStandardOutputGivesTheProgramEIOAndKeepsTheCounters(t *testing.T) {
	inTempDir(t)
	writeFile(t, "yes.s", []byte(writeUntilRefused))
	cmd := hostToyvm("run", "--stats", "yes.s")
	out, err := cmd.StdoutPipe()
	require.NoError(t, err)
	var errb strings.Builder
	cmd.Stderr = &errb
	require.NoError(t, cmd.Start())
	_, err = io.ReadFull(out, make([]byte, 1)) // head -c1
	require.NoError(t, err)
	out.Close()
	status := hostExitStatus(t, cmd.Wait())
	assert.Equal(t, 5, status, "the program's own status: it exits with EIO's number")
	assert.Equal(t, 1, strings.Count(errb.String(), "the program's write returns EIO"), errb.String())
	assert.Contains(t, errb.String(), "\ninstructions ")
}

// readyThenLoop prints "ready" and loops for ever.
const readyThenLoop = `
start:  mov     #2, r0
        mov     #1, r1
        mov     #msg, r2
        mov     #6, r3
        sys
loop:   inc     r4
        br      loop
        .data
msg:    .ascii  "ready\n"
`

func TestSIGINTAndSIGTERMStopTheRunSayingWhereAndKeepTheCounters(t *testing.T) {
	inTempDir(t)
	writeFile(t, "spin.s", []byte(readyThenLoop))
	names := map[syscall.Signal]string{syscall.SIGINT: "SIGINT", syscall.SIGTERM: "SIGTERM"}
	for sig, status := range map[syscall.Signal]int{syscall.SIGINT: 130, syscall.SIGTERM: 143} {
		cmd := hostToyvm("run", "--stats", "spin.s")
		out, err := cmd.StdoutPipe()
		require.NoError(t, err)
		var errb strings.Builder
		cmd.Stderr = &errb
		require.NoError(t, cmd.Start())
		line, err := bufio.NewReader(out).ReadString('\n')
		require.NoError(t, err)
		require.Equal(t, "ready\n", line)
		require.NoError(t, cmd.Process.Signal(sig))
		assert.Equal(t, status, hostExitStatus(t, cmd.Wait()), "%v", sig)
		assert.Regexp(t, `toyvm: interrupted by `+names[sig]+`: process 1 \(spin.s\) at pc 0x0000[0-9a-f]{4} <loop(\+\d)?>, after \d+ instructions \(exit status \d+\)\n`, errb.String())
		assert.Contains(t, errb.String(), "\ninstructions ", "%v", sig)
	}
}
