package dap

import (
	"fmt"
	"strings"

	godap "github.com/google/go-dap"

	"toyvm/debugger"
)

// onEvaluate answers with the value of an expression (the debugger's:
// registers, labels, C's operators, *ADDR), or, typed in the debug
// console, with the output of a console command (pt ADDR, tlb, frames,
// ps, info faults, x/8x sp, break, ...) whose first word names one.
// Commands that run the guest are refused: the client's requests run it,
// so that it knows where the guest stands.
func (a *adapter) onEvaluate(r *godap.EvaluateRequest) {
	if !a.still(r.Request) {
		return
	}
	text := strings.TrimSpace(r.Arguments.Expression)
	if name, ok := commandOf(text); ok && r.Arguments.Context == "repl" {
		a.command(r.Request, name, text)
		return
	}
	v, err := a.dbg.Eval(text)
	if err != nil {
		a.fail(r.Request, "%v", err)
		return
	}
	a.wire.send(&godap.EvaluateResponse{Response: response(r.Request), Body: godap.EvaluateResponseBody{
		Result: fmt.Sprintf("0x%08x (%d)", v, int32(v)), Type: "word", MemoryReference: hexAddr(v)}})
}

// commandOf returns the full name of the console command that line
// starts with ("print/x r1" is print), and false if it starts with none.
func commandOf(line string) (string, bool) {
	fields := strings.Fields(line)
	if len(fields) == 0 {
		return "", false
	}
	word, _, _ := strings.Cut(fields[0], "/")
	return debugger.CommandName(word)
}

// command runs the console command line, whose name is name, and
// answers with what it printed, or with its error. A command that moved
// the guest (set pc, reverse-continue) is followed by a stop (reason
// goto), so that the client shows where it now stands.
func (a *adapter) command(req godap.Request, name, line string) {
	if debugger.RunsTheGuest(name) || name == "quit" {
		a.fail(req, "%s is not for the debug console: use the debugger's buttons (continue, step, step back...), or disconnect", name)
		return
	}
	before := a.position()
	text, _, err := a.dbg.ExecResult(line)
	if err != nil {
		a.fail(req, "%s%v", text, err)
	} else {
		a.wire.send(&godap.EvaluateResponse{Response: response(req),
			Body: godap.EvaluateResponseBody{Result: strings.TrimRight(text, "\n")}})
	}
	if a.position() != before {
		a.stopped("goto", "moved by "+name, nil)
	}
}

// position is where the guest stands: its pc, and how far it has run.
type position struct {
	pc           uint32
	instructions uint64
}

// position returns where the guest stands now.
func (a *adapter) position() position {
	return position{a.dbg.PC(), a.dbg.Instructions()}
}
