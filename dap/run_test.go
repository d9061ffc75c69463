package dap

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	godap "github.com/google/go-dap"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// spin.s's lines.
const (
	spinStart = 5 // start: clr r1
	spinLoop  = 6 // spin: inc r1
)

func TestPauseStopsTheRunningGuest(t *testing.T) {
	c := newClient(t)
	c.launch("testdata/spin.s", nil)
	c.do("configurationDone", nil)
	c.do("pause", map[string]any{"threadId": 1})
	st := c.stopped()
	assert.Equal(t, "pause", st.Reason)
	assert.Empty(t, st.Description)
	assert.Contains(t, []int{spinStart, spinLoop, spinLoop + 1}, c.top().Line, "anywhere in spin.s")
	c.disconnect()
}

func TestABreakpointSetWhileTheGuestRunsStopsIt(t *testing.T) {
	c := newClient(t)
	c.launch("testdata/spin.s", nil)
	c.do("configurationDone", nil)
	assert.Contains(t, c.refuse("stackTrace", map[string]any{"threadId": 1}), "is running")
	assert.Contains(t, c.refuse("next", nil), "is running")
	threads := c.do("threads", nil).(*godap.ThreadsResponse).Body.Threads
	assert.Len(t, threads, 1, "the threads of the last stop, or of the launch")
	bps := c.breakAt("testdata/spin.s", map[string]any{"line": spinLoop})
	st := c.stopped()
	assert.Equal(t, "breakpoint", st.Reason)
	assert.Equal(t, []int{bps[0].Id}, st.HitBreakpointIds)
	assert.Equal(t, spinLoop, c.top().Line)
	c.disconnect()
}

func TestStopOnEntryStopsAtTheFirstInstruction(t *testing.T) {
	c := newClient(t)
	c.launch("fib.s", map[string]any{"stopOnEntry": true})
	c.do("configurationDone", nil)
	assert.Equal(t, "entry", c.stopped().Reason)
	assert.Equal(t, "start", c.top().Name)
	c.do("stepBack", nil)
	st := c.stopped()
	assert.Equal(t, "entry", st.Reason, "no further back than the start")
	assert.Equal(t, "at the program's first instruction", st.Description)
	c.disconnect()
}

func TestABreakpointOnTheFirstInstructionStopsTheLaunch(t *testing.T) {
	c := newClient(t)
	c.launch("testdata/spin.s", nil)
	c.breakAt("testdata/spin.s", map[string]any{"line": spinStart})
	c.do("configurationDone", nil)
	assert.Equal(t, "breakpoint", c.stopped().Reason)
	assert.Equal(t, "start", c.top().Name)
	c.disconnect()
}

func TestRestartBootsTheProgramAgainWithItsBreakpoints(t *testing.T) {
	c := newClient(t)
	c.launch("fib.s", nil)
	c.breakAt("fib.s", map[string]any{"line": fibLoop, "hitCondition": "2"})
	c.do("configurationDone", nil)
	c.stopped()
	assert.Equal(t, "0x00000001", c.registers()["r6"].Value) // the second hit: F(1)
	c.do("restart", nil)
	c.stopped()
	assert.Equal(t, "0x00000001", c.registers()["r6"].Value, "the hits count from the start again")
	c.disconnect()
}

func TestTerminateEndsTheSession(t *testing.T) {
	c := newClient(t)
	c.launch("testdata/spin.s", nil)
	c.do("configurationDone", nil)
	c.do("terminate", nil)
	c.event("terminated")
	c.disconnect()
}

func TestAFatalFaultStopsAsAnException(t *testing.T) {
	c := newClient(t)
	c.launch("wild.s", nil)
	c.do("configurationDone", nil)
	st := c.stopped()
	assert.Equal(t, "exception", st.Reason)
	assert.Contains(t, st.Description, "fatal fault")
	c.do("continue", nil)
	assert.Equal(t, 139, c.event("exited").(*godap.ExitedEvent).Body.ExitCode)
	c.disconnect()
}

func TestExceptionFiltersAreTheCatchpoints(t *testing.T) {
	c := newClient(t)
	c.launch("fib.s", nil)
	c.do("setExceptionBreakpoints", map[string]any{"filters": []string{"syscall"}})
	c.do("configurationDone", nil)
	st := c.stopped()
	assert.Equal(t, "exception", st.Reason)
	assert.Contains(t, st.Description, "caught syscall")
	c.do("setExceptionBreakpoints", map[string]any{"filters": []string{}})
	c.do("continue", nil)
	c.event("exited")
	c.disconnect()
}

func TestTheGuestsOutputAndInputGoThroughTheSession(t *testing.T) {
	input := filepath.Join(t.TempDir(), "in.txt")
	require.NoError(t, os.WriteFile(input, []byte("shout\n"), 0o644))
	c := newClient(t)
	c.launch(upcase, map[string]any{"stdin": input})
	c.do("configurationDone", nil)
	c.event("exited")
	assert.Equal(t, "SHOUT\nprogram exited with status 0\n", c.output.String())
	c.disconnect()
}

func TestAMissingStdinFileFailsTheLaunch(t *testing.T) {
	c := newClient(t)
	c.do("initialize", map[string]any{"adapterID": "toyvm"})
	assert.Contains(t, c.refuse("launch", map[string]any{"program": program(t, upcase), "stdin": "no/such/input"}), "stdin: open no/such/input")
	c.disconnect()
}

func TestSetVariableChangesARegister(t *testing.T) {
	c := newClient(t)
	c.launch("fib.s", map[string]any{"stopOnEntry": true})
	c.do("configurationDone", nil)
	c.stopped()
	scopes := c.do("scopes", map[string]any{"frameId": c.top().Id}).(*godap.ScopesResponse).Body.Scopes
	r := c.do("setVariable", map[string]any{"variablesReference": scopes[0].VariablesReference, "name": "r6", "value": "40+2"})
	assert.Equal(t, "0x0000002a", r.(*godap.SetVariableResponse).Body.Value)
	assert.Equal(t, "0x0000002a (42)", c.evaluate("r6", "watch"))
	assert.Contains(t, c.refuse("setVariable", map[string]any{"variablesReference": scopes[0].VariablesReference, "name": "r99", "value": "1"}), "not a register")
	c.disconnect()
}

func TestTheMachineScopeShowsTheConsolesViews(t *testing.T) {
	c := newClient(t)
	c.launch("fib.s", map[string]any{"stopOnEntry": true})
	c.do("configurationDone", nil)
	c.stopped()
	scopes := c.do("scopes", map[string]any{"frameId": c.top().Id}).(*godap.ScopesResponse).Body.Scopes
	require.Len(t, scopes, 2)
	assert.True(t, scopes[1].Expensive)
	views := c.do("variables", map[string]any{"variablesReference": scopes[1].VariablesReference}).(*godap.VariablesResponse).Body.Variables
	assert.Equal(t, machineViews, names(views))
	assert.Contains(t, views[0].Value, "entries valid")
	lines := c.do("variables", map[string]any{"variablesReference": views[1].VariablesReference}).(*godap.VariablesResponse).Body.Variables
	assert.Contains(t, lines[0].Value, "frame")
	c.disconnect()
}

func TestACallersFrameStandsAtItsCall(t *testing.T) {
	c := newClient(t)
	c.launch("recurse.s", nil)
	c.do("setFunctionBreakpoints", map[string]any{"breakpoints": []map[string]any{{"name": "fact", "hitCondition": "3"}}})
	c.do("configurationDone", nil)
	c.stopped()
	frames := c.do("stackTrace", map[string]any{"threadId": 1}).(*godap.StackTraceResponse).Body.StackFrames
	require.GreaterOrEqual(t, len(frames), 3)
	assert.Equal(t, "fact", frames[0].Name)
	dis := c.do("disassemble", map[string]any{"memoryReference": frames[1].InstructionPointerReference, "instructionCount": 1}).(*godap.DisassembleResponse).Body.Instructions
	assert.True(t, strings.HasPrefix(dis[0].Instruction, "call"), dis[0].Instruction)
	scopes := c.do("scopes", map[string]any{"frameId": frames[1].Id}).(*godap.ScopesResponse).Body.Scopes
	require.Len(t, scopes, 1)
	assert.Equal(t, "Frame", scopes[0].Name)
	c.disconnect()
}

func TestAConsoleCommandThatMovesTheGuestIsAStop(t *testing.T) {
	c := newClient(t)
	c.launch("fib.s", map[string]any{"stopOnEntry": true})
	c.do("configurationDone", nil)
	c.stopped()
	assert.Equal(t, "pc = 0x00001017", c.evaluate("set pc = loop", "repl"))
	st := c.stopped()
	assert.Equal(t, "goto", st.Reason)
	assert.Equal(t, "moved by set", st.Description)
	assert.Equal(t, "loop", c.top().Name)
	c.evaluate("print r6", "repl")
	c.do("threads", nil)
	for _, m := range c.aside {
		_, isStop := m.(*godap.StoppedEvent)
		assert.False(t, isStop, "a command that does not move the guest is no stop")
	}
	c.disconnect()
}

// upcase is the debugger's test program that reads standard input.
const upcase = "../debugger/testdata/upcase.s"
