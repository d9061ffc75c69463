package dap

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"testing"
	"time"

	godap "github.com/google/go-dap"
	"github.com/stretchr/testify/require"
)

// hangGuard bounds every wait of the scripted client: a server that
// hangs fails the test rather than the test run. No test depends on it
// otherwise.
const hangGuard = 30 * time.Second

// client is a scripted DAP client, talking to Serve over pipes.
type client struct {
	t      *testing.T
	in     *io.PipeWriter     // the server's input
	msgs   chan godap.Message // what the server sent, in order; closed at its end
	aside  []godap.Message    // messages read while awaiting others
	output strings.Builder    // the text of the output events
	served chan error         // Serve's result
	seq    int
}

// newClient starts Serve on pipes and returns the client talking to it.
// At the end of the test it closes the pipes and waits for Serve.
func newClient(t *testing.T) *client {
	inR, inW := io.Pipe()
	outR, outW := io.Pipe()
	c := &client{t: t, in: inW, msgs: make(chan godap.Message, 1<<16), served: make(chan error, 1)}
	go func() {
		err := Serve(inR, outW, nil)
		outW.Close()
		c.served <- err
	}()
	go c.readAll(outR)
	t.Cleanup(func() {
		inW.Close()
		c.wait()
	})
	return c
}

// readAll decodes the server's messages until its output ends.
func (c *client) readAll(r io.Reader) {
	defer close(c.msgs)
	br := bufio.NewReader(r)
	for {
		m, err := godap.ReadProtocolMessage(br)
		if err != nil {
			return
		}
		c.msgs <- m
	}
}

// wait returns Serve's result, once.
func (c *client) wait() error {
	select {
	case err, ok := <-c.served:
		if ok {
			close(c.served)
		}
		return err
	case <-time.After(hangGuard):
		c.t.Fatal("the server did not return")
		return nil
	}
}

// write sends raw bytes to the server.
func (c *client) write(b string) {
	_, err := io.WriteString(c.in, b)
	require.NoError(c.t, err)
}

// send sends a request and returns its sequence number.
func (c *client) send(command string, args any) int {
	c.seq++
	m := map[string]any{"seq": c.seq, "type": "request", "command": command}
	if args != nil {
		m["arguments"] = args
	}
	b, err := json.Marshal(m)
	require.NoError(c.t, err)
	c.write(fmt.Sprintf("Content-Length: %d\r\n\r\n%s", len(b), b))
	return c.seq
}

// await returns the first message, of those put aside and then the
// server's, that match accepts; output events are noted in c.output,
// others put aside. It fails the test if the server ends first.
func (c *client) await(what string, match func(godap.Message) bool) godap.Message {
	c.t.Helper()
	for i, m := range c.aside {
		if match(m) {
			c.aside = append(c.aside[:i], c.aside[i+1:]...)
			return m
		}
	}
	timeout := time.After(hangGuard)
	for {
		select {
		case m, ok := <-c.msgs:
			if !ok {
				c.t.Fatalf("the server ended before %s", what)
			}
			if out, isOut := m.(*godap.OutputEvent); isOut {
				c.output.WriteString(out.Body.Output)
			}
			if match(m) {
				return m
			}
			if _, isOut := m.(*godap.OutputEvent); !isOut {
				c.aside = append(c.aside, m)
			}
		case <-timeout:
			c.t.Fatalf("no %s from the server", what)
		}
	}
}

// response returns the response to request seq.
func (c *client) response(seq int) godap.ResponseMessage {
	c.t.Helper()
	m := c.await(fmt.Sprintf("response to request %d", seq), func(m godap.Message) bool {
		r, ok := m.(godap.ResponseMessage)
		return ok && r.GetResponse().RequestSeq == seq
	})
	return m.(godap.ResponseMessage)
}

// do sends a request, requires it to succeed and returns its response.
func (c *client) do(command string, args any) godap.ResponseMessage {
	c.t.Helper()
	r := c.response(c.send(command, args))
	require.True(c.t, r.GetResponse().Success, "%s: %s", command, r.GetResponse().Message)
	return r
}

// refuse sends a request, requires it to fail and returns the message.
func (c *client) refuse(command string, args any) string {
	c.t.Helper()
	r := c.response(c.send(command, args))
	e, ok := r.(*godap.ErrorResponse)
	require.True(c.t, ok, "%s succeeded", command)
	require.False(c.t, e.Success)
	require.NotNil(c.t, e.Body.Error)
	return e.Message
}

// event returns the next event called name.
func (c *client) event(name string) godap.EventMessage {
	c.t.Helper()
	m := c.await(name+" event", func(m godap.Message) bool {
		e, ok := m.(godap.EventMessage)
		return ok && e.GetEvent().Event == name
	})
	return m.(godap.EventMessage)
}

// stopped returns the body of the next stopped event.
func (c *client) stopped() godap.StoppedEventBody {
	c.t.Helper()
	return c.event("stopped").(*godap.StoppedEvent).Body
}

// program returns the absolute path of a file under the repository's
// programs/ folder, or of testdata/ for a name starting with testdata/.
func program(t *testing.T, name string) string {
	path := filepath.Join("..", "programs", name)
	if strings.HasPrefix(name, "testdata/") || strings.HasPrefix(name, "../") {
		path = name
	}
	abs, err := filepath.Abs(path)
	require.NoError(t, err)
	return abs
}

// launch initializes the session and launches program with the extra
// launch arguments (nil for none), and awaits the initialized event.
func (c *client) launch(name string, extra map[string]any) {
	c.t.Helper()
	c.do("initialize", map[string]any{"adapterID": "toyvm", "linesStartAt1": true, "columnsStartAt1": true})
	args := map[string]any{"program": program(c.t, name)}
	for k, v := range extra {
		args[k] = v
	}
	c.do("launch", args)
	c.event("initialized")
}

// breakAt sets the breakpoints of a source file and returns them.
func (c *client) breakAt(name string, bps ...map[string]any) []godap.Breakpoint {
	c.t.Helper()
	if bps == nil {
		bps = []map[string]any{}
	}
	r := c.do("setBreakpoints", map[string]any{"source": map[string]any{"path": program(c.t, name)}, "breakpoints": bps})
	return r.(*godap.SetBreakpointsResponse).Body.Breakpoints
}

// top returns the innermost frame of thread 1.
func (c *client) top() godap.StackFrame {
	c.t.Helper()
	r := c.do("stackTrace", map[string]any{"threadId": 1})
	frames := r.(*godap.StackTraceResponse).Body.StackFrames
	require.NotEmpty(c.t, frames)
	return frames[0]
}

// registers returns the registers of the innermost frame of thread 1,
// by name.
func (c *client) registers() map[string]godap.Variable {
	c.t.Helper()
	scopes := c.do("scopes", map[string]any{"frameId": c.top().Id}).(*godap.ScopesResponse).Body.Scopes
	require.Equal(c.t, "Registers", scopes[0].Name)
	vars := c.do("variables", map[string]any{"variablesReference": scopes[0].VariablesReference}).(*godap.VariablesResponse).Body.Variables
	out := map[string]godap.Variable{}
	for _, v := range vars {
		out[v.Name] = v
	}
	return out
}

// evaluate returns the result of an expression or a console command.
func (c *client) evaluate(text, context string) string {
	c.t.Helper()
	r := c.do("evaluate", map[string]any{"expression": text, "context": context})
	return r.(*godap.EvaluateResponse).Body.Result
}

// disconnect ends the session and requires Serve to return nil.
func (c *client) disconnect() {
	c.t.Helper()
	c.do("disconnect", nil)
	require.NoError(c.t, c.wait())
}
