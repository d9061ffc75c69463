package dap

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	godap "github.com/google/go-dap"

	"toyvm/asm"
	"toyvm/debugger"
	"toyvm/kernel"
)

// LaunchArgs are the arguments of a launch request that the adapter
// reads itself; Configure reads the others (the kernel's flags).
type LaunchArgs struct {
	Program     string   `json:"program"`     // a .s source or an assembled image (required)
	Args        []string `json:"args"`        // the program's arguments
	StopOnEntry bool     `json:"stopOnEntry"` // stop before the program's first instruction
	Stdin       string   `json:"stdin"`       // a file the guest reads as its standard input (none: an empty input)
	Cwd         string   `json:"cwd"`         // the folder relative paths start from (none: the adapter's)
}

// Configure returns the kernel's configuration for a launch. args has
// its paths made relative to args.Cwd; raw holds all the launch
// request's arguments, for those the adapter does not read itself. The
// adapter sets the configuration's Stdin, Stdout and Stderr. It returns
// an error naming a bad argument.
type Configure func(args LaunchArgs, raw json.RawMessage) (kernel.Config, error)

// DefaultConfigure returns the configuration of `toyvm run`'s defaults,
// with the program's folder as its read-only root; it reads no other
// arguments and never fails.
func DefaultConfigure(args LaunchArgs, raw json.RawMessage) (kernel.Config, error) {
	cfg := kernel.DefaultConfig()
	cfg.Root, cfg.RootReadOnly = filepath.Dir(args.Program), true
	return cfg, nil
}

// capabilities are what the adapter tells the client it does.
var capabilities = godap.Capabilities{
	SupportsConfigurationDoneRequest:  true,
	SupportsFunctionBreakpoints:       true,
	SupportsConditionalBreakpoints:    true,
	SupportsHitConditionalBreakpoints: true,
	SupportsLogPoints:                 true,
	SupportsInstructionBreakpoints:    true,
	SupportsEvaluateForHovers:         true,
	SupportsStepBack:                  true,
	SupportsSetVariable:               true,
	SupportsRestartRequest:            true,
	SupportsTerminateRequest:          true,
	SupportsReadMemoryRequest:         true,
	SupportsDisassembleRequest:        true,
	ExceptionBreakpointFilters:        catchFilters,
}

// onInitialize answers with the capabilities. Lines and columns count
// from 1 unless the client asks for 0.
func (a *adapter) onInitialize(r *godap.InitializeRequest, data []byte) {
	var from struct {
		Arguments struct {
			LinesStartAt1   *bool `json:"linesStartAt1"`
			ColumnsStartAt1 *bool `json:"columnsStartAt1"`
		} `json:"arguments"`
	}
	json.Unmarshal(data, &from) // handle decoded it already: it is valid
	a.lineBase = base(from.Arguments.LinesStartAt1)
	a.colBase = base(from.Arguments.ColumnsStartAt1)
	a.wire.send(&godap.InitializeResponse{Response: response(r.Request), Body: capabilities})
}

// base returns where the client's numbering starts: 1 unless startAt1
// says false.
func base(startAt1 *bool) int {
	if startAt1 != nil && !*startAt1 {
		return 0
	}
	return 1
}

// onLaunch loads the program and boots it, standing at its first
// instruction, then tells the client it may set breakpoints
// (initialized). The program starts at configurationDone.
func (a *adapter) onLaunch(r *godap.LaunchRequest) {
	if a.dbg != nil {
		a.fail(r.Request, "a program is launched already: a session debugs one")
		return
	}
	args, err := launchArgs(r.Arguments)
	if err == nil {
		err = a.launch(args, r.Arguments)
	}
	if err != nil {
		a.fail(r.Request, "%v", err)
		return
	}
	a.ack(r.Request)
	a.wire.send(&godap.InitializedEvent{Event: event(0, "initialized")})
}

// launchArgs decodes a launch request's arguments and makes its paths
// relative to cwd; it returns an error for bad JSON or no program.
func launchArgs(raw json.RawMessage) (LaunchArgs, error) {
	var args LaunchArgs
	if err := json.Unmarshal(raw, &args); err != nil {
		return args, fmt.Errorf("bad launch arguments: %v", err)
	}
	if strings.TrimSpace(args.Program) == "" {
		return args, errors.New(`launch needs "program": the .s file (or image) to debug`)
	}
	args.Program = under(args.Cwd, args.Program)
	if args.Stdin != "" {
		args.Stdin = under(args.Cwd, args.Stdin)
	}
	return args, nil
}

// under returns path as seen from the folder dir ("": as it is).
func under(dir, path string) string {
	if dir == "" || filepath.IsAbs(path) {
		return path
	}
	return filepath.Join(dir, path)
}

// launch builds the session for args: the configuration, the program,
// the guest's streams. It returns an error saying what is wrong.
func (a *adapter) launch(args LaunchArgs, raw json.RawMessage) error {
	cfg, err := a.configure(args, raw)
	if err != nil {
		return err
	}
	img, err := asm.LoadFile(args.Program)
	if err != nil {
		return err
	}
	stdin, err := guestInput(args.Stdin)
	if err != nil {
		return err
	}
	cfg.Stdin = stdin
	cfg.Stdout, cfg.Stderr = guestOutput{a.wire, "stdout"}, guestOutput{a.wire, "stderr"}
	s, err := debugger.New(cfg, img, append([]string{args.Program}, args.Args...), io.Discard)
	if err != nil {
		stdin.Close()
		return err
	}
	a.dbg, a.stdin, a.entry, a.bps = s, stdin, args.StopOnEntry, newBreakpoints()
	return nil
}

// guestInput opens the guest's standard input: the file path, or an
// empty input for "". It returns the error of opening the file.
func guestInput(path string) (io.ReadCloser, error) {
	if path == "" {
		return io.NopCloser(strings.NewReader("")), nil
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("stdin: %w", err)
	}
	return f, nil
}

// guestOutput is one of the guest's output streams (category "stdout"
// or "stderr"), sent to the client as output events. Its writes never
// fail: a client gone does not change what the guest sees.
type guestOutput struct {
	wire     *wire
	category string
}

func (g guestOutput) Write(b []byte) (int, error) {
	g.wire.send(outputEvent(0, g.category, string(b)))
	return len(b), nil
}

// onConfigurationDone starts the program: it stops at its first
// instruction when launch asked for it, or at a breakpoint there, else
// it runs.
func (a *adapter) onConfigurationDone(r *godap.ConfigurationDoneRequest) {
	if !a.launched(r.Request) {
		return
	}
	if a.configured {
		a.fail(r.Request, "configurationDone came already: the program has started")
		return
	}
	a.configured = true
	a.ack(r.Request)
	a.begin()
}

// begin starts the program standing at its first instruction: it
// reports a stop at entry (stopOnEntry) or at a breakpoint of the
// client's there, or runs it.
func (a *adapter) begin() {
	if a.entry {
		a.stopped("entry", "", nil)
		return
	}
	if id, ok := a.dbg.BreakpointAt(a.dbg.PC()); ok {
		if v := a.bps.reach(a.dbg, id, a.bps.hits, a.say); v.stop {
			a.report(result{stop: debugger.Stop{Reason: debugger.StopBreakpoint, Point: id}, hit: v.ids, note: v.note})
			return
		}
	}
	a.goOn(a.forward(a.dbg.ContinueRunner()))
}

// onRestart boots the program again, with the same arguments (those of
// the request are not read) and breakpoints, and starts it as
// configurationDone did.
func (a *adapter) onRestart(r *godap.RestartRequest) {
	if !a.started(r.Request) {
		return
	}
	a.halt()
	if err := a.dbg.Restart(); err != nil {
		a.fail(r.Request, "%v", err)
		return
	}
	a.bps.hits = map[int]int{}
	a.ended = false
	a.ack(r.Request)
	a.begin()
}

// onTerminate stops the guest for good: the session ends (terminated)
// and waits for the client's disconnect.
func (a *adapter) onTerminate(r *godap.TerminateRequest) {
	a.halt()
	a.ack(r.Request)
	if !a.ended {
		a.ended = true
		a.wire.send(&godap.TerminatedEvent{Event: event(0, "terminated")})
	}
}

// onDisconnect stops the guest and answers; Serve then returns.
func (a *adapter) onDisconnect(r *godap.DisconnectRequest) {
	a.halt()
	a.ack(r.Request)
}

// launched reports whether a program is launched, and answers req with
// an error if not.
func (a *adapter) launched(req godap.Request) bool {
	if a.dbg == nil {
		a.fail(req, "no program: launch one first")
		return false
	}
	return true
}

// started reports whether the program has started (configurationDone),
// and answers req with an error if not.
func (a *adapter) started(req godap.Request) bool {
	if !a.launched(req) {
		return false
	}
	if !a.configured {
		a.fail(req, "the program has not started: configurationDone starts it")
		return false
	}
	return true
}
