package debugger

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The debugger in a real terminal: tmux runs `toyvm debug` in a detached
// pane of 120x40 on a server of the test's own (its own socket name, no
// configuration file, HOME and XDG_CONFIG_HOME in a temporary folder),
// the test types with send-keys and reads the screen with capture-pane.

// tmuxServer is the test's tmux server.
type tmuxServer struct {
	t      *testing.T
	socket string   // the -L name: the test's own server
	env    []string // the environment of the server and its panes
}

// paneTimeout bounds every wait for the screen to show something.
const paneTimeout = 15 * time.Second

// newTmuxServer returns a server for t, to be killed at the end of the
// test; it skips the test when tmux is not installed.
func newTmuxServer(t *testing.T, home string) *tmuxServer {
	if _, err := exec.LookPath("tmux"); err != nil {
		t.Skip("tmux is not installed: the real-terminal test needs it (.ci/run installs it)")
	}
	x := &tmuxServer{t: t, socket: fmt.Sprintf("toyvm-test-%d-%d", os.Getpid(), time.Now().UnixNano())}
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "TMUX") && !strings.HasPrefix(kv, "HOME=") && !strings.HasPrefix(kv, "SHELL=") && !strings.HasPrefix(kv, "XDG_CONFIG_HOME=") {
			x.env = append(x.env, kv)
		}
	}
	x.env = append(x.env, "SHELL=/bin/sh", "HOME="+home, "XDG_CONFIG_HOME="+filepath.Join(home, ".config"))
	t.Cleanup(func() { x.tmux("kill-server") })
	return x
}

// on returns the server as seen by the (sub)test t, which its failures
// then fail.
func (x *tmuxServer) on(t *testing.T) *tmuxServer {
	y := *x
	y.t = t
	return &y
}

// tmux runs a tmux command on the test's server and returns its output.
func (x *tmuxServer) tmux(args ...string) (string, error) {
	cmd := exec.Command("tmux", append([]string{"-L", x.socket, "-f", os.DevNull}, args...)...)
	cmd.Env = x.env
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// must runs a tmux command and fails the test if it fails.
func (x *tmuxServer) must(args ...string) string {
	x.t.Helper()
	out, err := x.tmux(args...)
	require.NoError(x.t, err, "tmux %s: %s", strings.Join(args, " "), out)
	return out
}

// start runs command with the shell in a new detached session called
// name, in the folder dir; when command ends the shell prints its
// status, and the pane stays to show it. The shell shares command's
// process group, so it too gets the Ctrl-C: its trap keeps it alive.
func (x *tmuxServer) start(name, dir, command string) {
	x.t.Helper()
	x.must("new-session", "-d", "-s", name, "-x", "120", "-y", "40", "-c", dir,
		"trap : INT; "+command+`; echo "`+exitLine+`$?]"`)
	x.must("set-option", "-t", name, "remain-on-exit", "on")
}

// keys types keys in the session's pane (tmux key names: Enter, Left,
// Up, Tab, BSpace, C-c; anything else is typed as text).
func (x *tmuxServer) keys(name string, keys ...string) {
	x.t.Helper()
	x.must(append([]string{"send-keys", "-t", name}, keys...)...)
}

// text types s literally.
func (x *tmuxServer) text(name, s string) { x.keys(name, "-l", s) }

// screen returns what the session's pane shows, without trailing blank
// lines.
func (x *tmuxServer) screen(name string) string {
	x.t.Helper()
	return strings.TrimRight(x.must("capture-pane", "-p", "-t", name), "\n ")
}

// waitFor polls the pane until ok accepts its screen and returns that
// screen; it fails the test, showing the screen, after paneTimeout.
func (x *tmuxServer) waitFor(name, what string, ok func(screen string) bool) string {
	x.t.Helper()
	deadline := time.Now().Add(paneTimeout)
	for {
		s := x.screen(name)
		if ok(s) {
			return s
		}
		if time.Now().After(deadline) {
			require.FailNow(x.t, "the terminal never showed "+what, "screen:\n%s", s)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// lastLine returns the screen's last line.
func lastLine(screen string) string {
	return screen[strings.LastIndex(screen, "\n")+1:]
}

// waitForPrompt waits for an empty prompt on the last line after at
// least n prompts on the screen, and returns the screen.
func (x *tmuxServer) waitForPrompt(name string, n int) string {
	x.t.Helper()
	return x.waitFor(name, fmt.Sprintf("prompt number %d", n), func(s string) bool {
		return strings.Count(s, "(toyvm)") >= n && strings.TrimSpace(lastLine(s)) == "(toyvm)"
	})
}

// waitForExit waits for the pane's command to end and returns its exit
// status, as the shell that runs it prints it (see start).
func (x *tmuxServer) waitForExit(name string) string {
	x.t.Helper()
	s := x.waitFor(name, "the end of toyvm", func(s string) bool { return strings.Contains(s, exitLine) })
	status, _, _ := strings.Cut(s[strings.Index(s, exitLine)+len(exitLine):], "]")
	return status
}

// exitLine begins what the shell prints when toyvm ends: tmux's own
// pane_dead_status is not always filled in.
const exitLine = "[toyvm exited with status "

// buildToyvm builds the toyvm command into dir and returns its path; it
// skips the test when the go command is not at hand.
func buildToyvm(t *testing.T, dir string) string {
	goCmd, err := exec.LookPath("go")
	if err != nil {
		t.Skip("the go command is not installed: cannot build toyvm")
	}
	bin := filepath.Join(dir, "toyvm")
	out, err := exec.Command(goCmd, "build", "-o", bin, "toyvm/cmd/toyvm").CombinedOutput()
	require.NoError(t, err, "go build: %s", out)
	return bin
}

func TestDebuggerInARealTerminalEditsLinesKeepsHistoryCompletesAndStopsOnCtrlC(t *testing.T) {
	home := t.TempDir()
	x := newTmuxServer(t, home)
	bin := buildToyvm(t, t.TempDir())
	root, err := filepath.Abs("..")
	require.NoError(t, err)

	x.start("fib", root, bin+" debug programs/fib.s")
	x.waitForPrompt("fib", 1)
	t.Run("line editing", func(t *testing.T) { editATypo(t, x.on(t)) })
	t.Run("history", func(t *testing.T) { recallWithUp(t, x.on(t)) })
	t.Run("completion", func(t *testing.T) { completeACommand(t, x.on(t)) })
	t.Run("quit", func(t *testing.T) { quitEndsTheSession(t, x.on(t), "fib") })

	history, err := os.ReadFile(filepath.Join(home, ".config", "toyvm", "debug_history"))
	require.NoError(t, err, "the history is kept in the configuration folder")
	assert.Contains(t, string(history), "step 3\n")

	x.start("spin", root, bin+" debug debugger/testdata/spin.s")
	x.waitForPrompt("spin", 1)
	t.Run("history of the last session", func(t *testing.T) { recallTheLastSession(t, x.on(t)) })
	t.Run("Ctrl-C", func(t *testing.T) { ctrlCStopsTheGuest(t, x.on(t)) })
	t.Run("quit after Ctrl-C", func(t *testing.T) { quitEndsTheSession(t, x.on(t), "spin") })
}

// editATypo types "stap 3", goes back with the arrow keys to replace
// the "a" by an "e", and checks that `step 3` ran.
func editATypo(t *testing.T, x *tmuxServer) {
	x.text("fib", "stap 3")
	x.keys("fib", "Left", "Left", "Left", "BSpace")
	x.text("fib", "e")
	x.waitFor("fib", "the fixed line", func(s string) bool { return strings.HasSuffix(s, "(toyvm) step 3") })
	x.keys("fib", "Enter")
	s := x.waitForPrompt("fib", 2)
	assert.Contains(t, s, "=> 0x00001010 <start+16> fib.s:15 pid 1  mov #8196, r10")
	assert.NotContains(t, s, "unknown command")
}

// recallWithUp recalls `step 3` with Up and runs it again.
func recallWithUp(t *testing.T, x *tmuxServer) {
	x.keys("fib", "Up")
	x.waitFor("fib", "step 3 recalled", func(s string) bool { return lastLine(s) == "(toyvm) step 3" })
	x.keys("fib", "Enter")
	s := x.waitForPrompt("fib", 3)
	assert.Equal(t, 2, strings.Count(s, "(toyvm) step 3"))
	assert.Equal(t, 2, strings.Count(s, "=> "), "two stops: after 3 and after 6 instructions")
}

// completeACommand types "backs", completes it with Tab and runs
// `backstep 3`, which goes back to where the first step stopped.
func completeACommand(t *testing.T, x *tmuxServer) {
	x.text("fib", "backs")
	x.keys("fib", "Tab")
	x.waitFor("fib", "backstep completed", func(s string) bool { return lastLine(s) == "(toyvm) backstep" })
	x.text("fib", " 3")
	x.keys("fib", "Enter")
	s := x.waitForPrompt("fib", 4)
	lines := strings.Split(s, "\n")
	require.GreaterOrEqual(t, len(lines), 2)
	assert.Equal(t, "=> 0x00001010 <start+16> fib.s:15 pid 1  mov #8196, r10", lines[len(lines)-2])
}

// recallTheLastSession goes up the history the last session saved:
// its quit, then its backstep.
func recallTheLastSession(t *testing.T, x *tmuxServer) {
	x.keys("spin", "Up")
	x.waitFor("spin", "quit recalled", func(s string) bool { return lastLine(s) == "(toyvm) quit" })
	x.keys("spin", "Up")
	x.waitFor("spin", "backstep 3 recalled", func(s string) bool { return lastLine(s) == "(toyvm) backstep 3" })
	x.keys("spin", "C-u") // clear the line
	x.waitForPrompt("spin", 1)
}

// ctrlCStopsTheGuest continues the endless loop of spin.s and stops it
// with Ctrl-C.
func ctrlCStopsTheGuest(t *testing.T, x *tmuxServer) {
	x.text("spin", "continue")
	x.keys("spin", "Enter")
	x.waitFor("spin", "the guest running", func(s string) bool { return lastLine(s) == "(toyvm) continue" })
	time.Sleep(100 * time.Millisecond) // let it loop a while
	x.keys("spin", "C-c")
	s := x.waitForPrompt("spin", 2)
	assert.Contains(t, s, "interrupted")
	assert.Regexp(t, `=> 0x[0-9a-f]+ <spin`, s)
}

// quitEndsTheSession types quit and checks that toyvm ends with status 0.
func quitEndsTheSession(t *testing.T, x *tmuxServer, name string) {
	x.text(name, "quit")
	x.keys(name, "Enter")
	assert.Equal(t, "0", x.waitForExit(name))
}
