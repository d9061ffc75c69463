package dap

import (
	"encoding/base64"
	"encoding/binary"
	"strings"
	"testing"

	godap "github.com/google/go-dap"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// fib.s's lines, as the tests use them.
const (
	fibLoop  = 16 // loop: mov r6, r1
	fibCall  = 17 // call putint
	fibPutnl = 18 // call putnl
	fibStore = 19 // mov r6, (r10)+
)

func TestInitializeAdvertisesWhatTheAdapterDoes(t *testing.T) {
	c := newClient(t)
	r := c.do("initialize", map[string]any{"adapterID": "toyvm"}).(*godap.InitializeResponse)
	caps := r.Body
	assert.True(t, caps.SupportsConfigurationDoneRequest)
	assert.True(t, caps.SupportsStepBack)
	assert.True(t, caps.SupportsConditionalBreakpoints)
	assert.True(t, caps.SupportsHitConditionalBreakpoints)
	assert.True(t, caps.SupportsReadMemoryRequest)
	assert.True(t, caps.SupportsDisassembleRequest)
	assert.True(t, caps.SupportsEvaluateForHovers)
	assert.Len(t, caps.ExceptionBreakpointFilters, 4)
	c.disconnect()
}

// TestASessionOnFib is the whole of a session: a breakpoint, the
// registers and memory, steps forward and back, the console's pt, and
// the run to the end.
func TestASessionOnFib(t *testing.T) {
	c := newClient(t)
	c.launch("fib.s", nil)
	bps := c.breakAt("fib.s", map[string]any{"line": fibLoop})
	require.Len(t, bps, 1)
	require.True(t, bps[0].Verified, bps[0].Message)
	assert.Equal(t, fibLoop, bps[0].Line)
	c.do("configurationDone", nil)

	st := c.stopped()
	assert.Equal(t, "breakpoint", st.Reason)
	assert.Equal(t, 1, st.ThreadId)
	assert.Equal(t, []int{bps[0].Id}, st.HitBreakpointIds)
	threads := c.do("threads", nil).(*godap.ThreadsResponse).Body.Threads
	require.Len(t, threads, 1)
	assert.Equal(t, "pid 1 fib.s", threads[0].Name)

	top := c.top()
	assert.Equal(t, "loop", top.Name)
	assert.Equal(t, fibLoop, top.Line)
	assert.Equal(t, program(t, "fib.s"), top.Source.Path)
	regs := c.registers()
	assert.Equal(t, "0x00000000", regs["r6"].Value) // F(0)
	assert.Equal(t, "0x00000014", regs["r8"].Value) // 20 left to print
	assert.Equal(t, top.InstructionPointerReference, regs["pc"].Value)
	assert.Contains(t, regs["psw"].Value, "user")
	psw := c.do("variables", map[string]any{"variablesReference": regs["psw"].VariablesReference}).(*godap.VariablesResponse).Body.Variables
	assert.Equal(t, []string{"N", "Z", "C", "V", "mode"}, names(psw))

	c.do("continue", nil) // F(1), F(2): fibs holds F(0) and F(1)
	assert.Equal(t, "breakpoint", c.stopped().Reason)
	c.do("continue", nil)
	assert.Equal(t, "breakpoint", c.stopped().Reason)
	assert.Equal(t, "0x00000001", c.registers()["r6"].Value) // F(2)

	fibs := c.do("evaluate", map[string]any{"expression": "fibs", "context": "watch"}).(*godap.EvaluateResponse).Body
	mem := c.do("readMemory", map[string]any{"memoryReference": fibs.MemoryReference, "count": 8}).(*godap.ReadMemoryResponse).Body
	data, err := base64.StdEncoding.DecodeString(mem.Data)
	require.NoError(t, err)
	require.Len(t, data, 8)
	assert.Equal(t, []uint32{0, 1}, []uint32{binary.LittleEndian.Uint32(data), binary.LittleEndian.Uint32(data[4:])})

	dis := c.do("disassemble", map[string]any{"memoryReference": top.InstructionPointerReference, "instructionCount": 2}).(*godap.DisassembleResponse).Body.Instructions
	require.Len(t, dis, 2)
	assert.Equal(t, "mov r6, r1", dis[0].Instruction)
	assert.Equal(t, "loop", dis[0].Symbol)
	assert.Equal(t, fibLoop, dis[0].Line)
	assert.Equal(t, "call putint", dis[1].Instruction)

	c.do("next", nil) // to the call
	assert.Equal(t, "step", c.stopped().Reason)
	assert.Equal(t, fibCall, c.top().Line)
	c.do("next", nil) // over it
	c.stopped()
	assert.Equal(t, fibPutnl, c.top().Line)
	c.do("stepIn", nil) // into putnl, in lib/io.s
	c.stopped()
	assert.Equal(t, "io.s", c.top().Source.Name[len(c.top().Source.Name)-4:])
	c.do("stepOut", nil) // back after the call
	c.stopped()
	assert.Equal(t, fibStore, c.top().Line)

	c.do("stepBack", nil) // to putnl's ret
	assert.Equal(t, "step", c.stopped().Reason)
	assert.True(t, strings.HasSuffix(c.top().Source.Name, "io.s"))
	c.do("reverseContinue", nil) // to the last stop at loop
	st = c.stopped()
	assert.Equal(t, "breakpoint", st.Reason)
	assert.Equal(t, []int{bps[0].Id}, st.HitBreakpointIds)
	assert.Equal(t, fibLoop, c.top().Line)
	assert.Equal(t, "0x00000001", c.registers()["r6"].Value)

	assert.Contains(t, c.evaluate("pt pc", "repl"), "pde[0]")
	assert.Contains(t, c.evaluate("tlb", "repl"), "entries valid")
	assert.Contains(t, c.evaluate("frames", "repl"), "frames:")
	assert.Equal(t, "0x00000012 (18)", c.evaluate("r8", "hover"))

	c.breakAt("fib.s") // none
	c.do("continue", nil)
	assert.Equal(t, 0, c.event("exited").(*godap.ExitedEvent).Body.ExitCode)
	c.event("terminated")
	assert.True(t, strings.HasSuffix(c.output.String(), "2584\n4181\nprogram exited with status 0\n"), c.output.String())
	c.disconnect()
}

// names returns the variables' names.
func names(vars []godap.Variable) []string {
	var out []string
	for _, v := range vars {
		out = append(out, v.Name)
	}
	return out
}
