package dap

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	godap "github.com/google/go-dap"
)

// handle decodes one message and runs it. It returns true when the
// session is over (after a disconnect). A message that is not a
// request it can run gets an error response, never a panic.
func (a *adapter) handle(data []byte) bool {
	req, err := header(data)
	if err != nil {
		a.fail(req, "%v", err)
		return false
	}
	m, err := godap.DecodeProtocolMessage(data)
	var field *godap.DecodeProtocolMessageFieldError
	switch {
	case errors.As(err, &field):
		a.fail(req, "unknown request %q", req.Command)
	case err != nil:
		a.fail(req, "bad arguments for %s: %v", req.Command, err)
	default:
		return a.dispatch(m, data)
	}
	return false
}

// header returns what a message says of itself, as far as it can be
// read: its number and its command; and an error if it is not a JSON
// object or not a request.
func header(data []byte) (godap.Request, error) {
	var head struct {
		Seq     int    `json:"seq"`
		Type    string `json:"type"`
		Command string `json:"command"`
	}
	if err := json.Unmarshal(data, &head); err != nil {
		return godap.Request{}, fmt.Errorf("the message is not a JSON object of the protocol: %v", err)
	}
	req := godap.Request{ProtocolMessage: godap.ProtocolMessage{Seq: head.Seq, Type: "request"}, Command: head.Command}
	if head.Type != "request" {
		return req, fmt.Errorf("the adapter takes only requests, not a message of type %q", head.Type)
	}
	return req, nil
}

// dispatch runs one decoded request (data is its JSON); it returns true
// after a disconnect.
func (a *adapter) dispatch(m godap.Message, data []byte) bool {
	switch r := m.(type) {
	case *godap.InitializeRequest:
		a.onInitialize(r, data)
	case *godap.LaunchRequest:
		a.onLaunch(r)
	case *godap.ConfigurationDoneRequest:
		a.onConfigurationDone(r)
	case *godap.DisconnectRequest:
		a.onDisconnect(r)
		return true
	default:
		a.dispatchDebug(m)
	}
	return false
}

// dispatchDebug runs a request about a launched program: breakpoints,
// running, the program's state.
func (a *adapter) dispatchDebug(m godap.Message) {
	switch r := m.(type) {
	case *godap.SetBreakpointsRequest:
		a.onSetBreakpoints(r)
	case *godap.SetFunctionBreakpointsRequest:
		a.onSetFunctionBreakpoints(r)
	case *godap.SetInstructionBreakpointsRequest:
		a.onSetInstructionBreakpoints(r)
	case *godap.SetExceptionBreakpointsRequest:
		a.onSetExceptionBreakpoints(r)
	default:
		a.dispatchRun(m)
	}
}

// dispatchRun runs a request that moves the guest or stops it.
func (a *adapter) dispatchRun(m godap.Message) {
	switch r := m.(type) {
	case *godap.ContinueRequest:
		a.onContinue(r)
	case *godap.NextRequest:
		a.onNext(r)
	case *godap.StepInRequest:
		a.onStepIn(r)
	case *godap.StepOutRequest:
		a.onStepOut(r)
	case *godap.StepBackRequest:
		a.onStepBack(r)
	case *godap.ReverseContinueRequest:
		a.onReverseContinue(r)
	case *godap.PauseRequest:
		a.onPause(r)
	case *godap.RestartRequest:
		a.onRestart(r)
	case *godap.TerminateRequest:
		a.onTerminate(r)
	default:
		a.dispatchState(m)
	}
}

// dispatchState runs a request that reads or changes the guest's state.
func (a *adapter) dispatchState(m godap.Message) {
	switch r := m.(type) {
	case *godap.ThreadsRequest:
		a.onThreads(r)
	case *godap.StackTraceRequest:
		a.onStackTrace(r)
	case *godap.ScopesRequest:
		a.onScopes(r)
	case *godap.VariablesRequest:
		a.onVariables(r)
	case *godap.SetVariableRequest:
		a.onSetVariable(r)
	case *godap.EvaluateRequest:
		a.onEvaluate(r)
	case *godap.ReadMemoryRequest:
		a.onReadMemory(r)
	case *godap.DisassembleRequest:
		a.onDisassemble(r)
	case godap.RequestMessage:
		a.fail(*r.GetRequest(), "toyvm dap does not support the %s request", r.GetRequest().Command)
	}
}

// response returns the header of a successful response to req.
func response(req godap.Request) godap.Response {
	return godap.Response{ProtocolMessage: godap.ProtocolMessage{Type: "response"},
		Command: req.Command, RequestSeq: req.Seq, Success: true}
}

// fail sends an error response to req, its message made as fmt.Sprintf
// does.
func (a *adapter) fail(req godap.Request, format string, args ...any) {
	text := fmt.Sprintf(format, args...)
	r := &godap.ErrorResponse{Response: response(req)}
	r.Success, r.Message = false, text
	r.Body.Error = &godap.ErrorMessage{Id: 1, Format: escapeFormat(text)}
	a.wire.send(r)
}

// escapeFormat returns text fit to be an error message's format, in
// which {name} names a variable: the protocol has no escape for braces,
// so they become parentheses.
func escapeFormat(text string) string { return braces.Replace(text) }

var braces = strings.NewReplacer("{", "(", "}", ")")

// ack sends the plain successful response to req.
func (a *adapter) ack(req godap.Request) {
	r := response(req)
	a.wire.send(&r)
}
