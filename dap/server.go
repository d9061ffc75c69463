package dap

import (
	"errors"
	"fmt"
	"io"

	godap "github.com/google/go-dap"

	"toyvm/debugger"
)

// adapter is one debugging session with one client. One goroutine, the
// request loop of Serve, runs every request. While the guest runs, the
// goroutine that runs it (run.go) owns dbg and bps: the loop then only
// calls dbg.Interrupt, and takes them back when the run's result comes
// through results.
type adapter struct {
	wire      *wire
	configure Configure

	dbg        *debugger.Session // nil until launch
	stdin      io.Closer         // the guest's standard input file, nil if none
	bps        *breakpoints
	entry      bool // launch asked to stop at the first instruction
	configured bool // configurationDone came: the guest may run
	ended      bool // the exited and terminated events were sent
	lineBase   int  // the client's first line: 1, or 0
	colBase    int  // the client's first column: 1, or 0

	running motion      // the run in progress, nil when the guest stands still
	results chan result // the result of the run in progress
	pausing bool        // the client asked to pause the run in progress

	threads []godap.Thread // the processes as at the last stop, for threads while running
	frames  []frameRef     // the stack frames handed out since the last stop (stack.go)
	refs    []varSource    // the variable references handed out since the last stop (variables.go)
}

// Serve serves the Debug Adapter Protocol to one client, reading its
// messages from r and writing to w, until the client disconnects or its
// input ends. configure turns a launch request's arguments into the
// machine's configuration (nil: DefaultConfigure). It returns nil after
// a disconnect or at the end of the input, and the error of a message
// whose framing cannot be followed (after telling the client, if it
// still listens). The goroutine that reads r ends with Serve unless it
// is blocked in r.Read: it ends when r is closed or ends.
func Serve(r io.Reader, w io.Writer, configure Configure) error {
	if configure == nil {
		configure = DefaultConfigure
	}
	a := &adapter{wire: newWire(r, w), configure: configure, results: make(chan result, 1), lineBase: 1, colBase: 1}
	defer a.close()
	in := make(chan incoming)
	quit := make(chan struct{})
	defer close(quit)
	go a.wire.readAll(in, quit)
	for {
		select {
		case m := <-in:
			if done, err := a.receive(m); done {
				return err
			}
		case res := <-a.results:
			a.finished(res)
		}
	}
}

// incoming is one message read from the client, or the error that ended
// the input.
type incoming struct {
	data []byte
	err  error
}

// readAll reads messages and hands them to in until the input ends or
// fails (that error is handed on last) or quit is closed.
func (c *wire) readAll(in chan<- incoming, quit <-chan struct{}) {
	for {
		data, err := c.read()
		select {
		case in <- incoming{data, err}:
		case <-quit:
			return
		}
		if err != nil {
			return
		}
	}
}

// receive handles one incoming message. It returns done when the
// session is over: after a disconnect (nil), at the end of the input
// (nil), or after a framing error (that error).
func (a *adapter) receive(m incoming) (done bool, err error) {
	switch {
	case errors.Is(m.err, io.EOF):
		return true, nil
	case m.err != nil:
		a.wire.send(outputEvent(0, "stderr", fmt.Sprintf("toyvm dap: %v: the adapter stops\n", m.err)))
		return true, m.err
	}
	return a.handle(m.data), nil
}

// close ends the session: it stops the run in progress and waits for
// it, then releases the machine and the guest's input file.
func (a *adapter) close() {
	a.halt()
	if a.dbg != nil {
		a.dbg.Close()
	}
	if a.stdin != nil {
		a.stdin.Close()
	}
}
