package dap

import (
	"errors"
	"fmt"
	"io"
	"runtime"
	"strings"
	"testing"
	"time"

	godap "github.com/google/go-dap"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestAFramingErrorEndsTheSessionWithItsError(t *testing.T) {
	for name, input := range map[string]string{
		"bad length":       "Content-Length: abc\r\n\r\n{}",
		"negative length":  "Content-Length: -4\r\n\r\n{}",
		"no length":        "Content-Type: json\r\n\r\n{}",
		"not a header":     "hello\r\n\r\n",
		"long header line": strings.Repeat("x", 2*maxHeaderLine) + "\r\n",
		"over the limit":   fmt.Sprintf("Content-Length: %d\r\n\r\n", maxContent+1),
		"many headers":     strings.Repeat("X-A: b\r\n", maxHeaders+1) + "\r\n",
	} {
		t.Run(name, func(t *testing.T) {
			c := newClient(t)
			go io.WriteString(c.in, input) // the server may stop reading half way: the write then fails
			err := c.wait()
			assert.True(t, errors.Is(err, errFraming), "%v", err)
			out := c.await("output event", func(m godap.Message) bool { _, ok := m.(*godap.OutputEvent); return ok })
			assert.Contains(t, out.(*godap.OutputEvent).Body.Output, "bad message framing")
		})
	}
}

func TestBadMessagesGetErrorResponsesAndTheSessionGoesOn(t *testing.T) {
	c := newClient(t)
	body := "{not json"
	c.write(fmt.Sprintf("Content-Length: %d\r\n\r\n%s", len(body), body))
	m := c.await("error response", func(m godap.Message) bool { _, ok := m.(*godap.ErrorResponse); return ok })
	assert.Contains(t, m.(*godap.ErrorResponse).Message, "not a JSON object")

	c.seq = 10
	event := `{"seq":11,"type":"event","event":"stopped"}`
	c.write(fmt.Sprintf("Content-Length: %d\r\n\r\n%s", len(event), event))
	assert.Contains(t, c.response(11).GetResponse().Message, "only requests")

	assert.Contains(t, c.refuse("frobnicate", nil), `unknown request "frobnicate"`)
	assert.Contains(t, c.refuse("setBreakpoints", map[string]any{"breakpoints": "all"}), "bad arguments for setBreakpoints")
	assert.Contains(t, c.refuse("goto", map[string]any{"threadId": 1, "targetId": 1}), "does not support the goto request")
	c.do("initialize", map[string]any{"adapterID": "toyvm"})
	c.disconnect()
}

func TestRequestsOutOfOrderAreRefused(t *testing.T) {
	c := newClient(t)
	for _, cmd := range []string{"stackTrace", "continue", "next", "stepBack", "configurationDone", "setBreakpoints", "evaluate", "readMemory", "pause"} {
		assert.Contains(t, c.refuse(cmd, map[string]any{}), "launch one first", cmd)
	}
	assert.Contains(t, c.refuse("launch", map[string]any{}), `launch needs "program"`)
	assert.Contains(t, c.refuse("launch", map[string]any{"program": "no/such/file.s"}), "no/such/file.s")
	c.launch("fib.s", nil)
	assert.Contains(t, c.refuse("launch", map[string]any{"program": program(t, "fib.s")}), "launched already")
	assert.Contains(t, c.refuse("continue", nil), "configurationDone starts it")
	assert.Contains(t, c.refuse("scopes", map[string]any{"frameId": 99}), "no frame 99")
	assert.Contains(t, c.refuse("variables", map[string]any{"variablesReference": 99}), "no variables 99")
	assert.Contains(t, c.refuse("stackTrace", map[string]any{"threadId": 99}), "no process 99")
	assert.Contains(t, c.refuse("readMemory", map[string]any{"memoryReference": "here", "count": 4}), "bad memory reference")
	assert.Contains(t, c.refuse("evaluate", map[string]any{"expression": "continue", "context": "repl"}), "not for the debug console")
	c.do("configurationDone", nil)
	c.event("exited")
	c.event("terminated")
	assert.Contains(t, c.refuse("stackTrace", map[string]any{"threadId": 1}), "has exited")
	assert.Contains(t, c.refuse("next", nil), "has exited")
	c.disconnect()
}

func TestAClientGoneMidRunEndsTheServerAndItsGoroutines(t *testing.T) {
	before := runtime.NumGoroutine()
	c := newClient(t)
	c.launch("testdata/spin.s", nil)
	c.do("configurationDone", nil) // spin.s runs for ever
	c.in.Close()
	require.NoError(t, c.wait())
	for deadline := time.Now().Add(hangGuard); runtime.NumGoroutine() > before; time.Sleep(time.Millisecond) {
		require.True(t, time.Now().Before(deadline), "goroutines left: %d, before: %d", runtime.NumGoroutine(), before)
	}
}

func TestADisconnectMidRunStopsTheGuest(t *testing.T) {
	c := newClient(t)
	c.launch("testdata/spin.s", nil)
	c.do("configurationDone", nil)
	c.disconnect()
}
