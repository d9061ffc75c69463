package dap

import (
	"slices"
	"strings"

	godap "github.com/google/go-dap"
)

// onSetBreakpoints sets the breakpoints of one source file, by line: each
// at the first instruction at or after its line, and moved there.
func (a *adapter) onSetBreakpoints(r *godap.SetBreakpointsRequest) {
	if !a.launched(r.Request) {
		return
	}
	path, specs := sourceSpecs(r.Arguments)
	a.whileStill(func() {
		fresh := make([]*breakpoint, 0, len(specs))
		for _, spec := range specs {
			fresh = append(fresh, a.lineBreakpoint(path, spec))
		}
		a.wire.send(&godap.SetBreakpointsResponse{Response: response(r.Request),
			Body: godap.SetBreakpointsResponseBody{Breakpoints: a.bps.replace(a.dbg, "source "+path, fresh)}})
	})
}

// sourceSpecs returns the path of the file a setBreakpoints request is
// about (its name if it has no path) and the breakpoints it asks for,
// from its lines in the protocol's older form.
func sourceSpecs(args godap.SetBreakpointsArguments) (string, []godap.SourceBreakpoint) {
	path := args.Source.Path
	if path == "" {
		path = args.Source.Name
	}
	specs := args.Breakpoints
	if specs == nil {
		for _, line := range args.Lines {
			specs = append(specs, godap.SourceBreakpoint{Line: line})
		}
	}
	return path, specs
}

// lineBreakpoint returns the breakpoint spec asks for in the source file
// path; one that cannot be set says why.
func (a *adapter) lineBreakpoint(path string, spec godap.SourceBreakpoint) *breakpoint {
	bp, ok := newBreakpoint(spec.Condition, spec.HitCondition, spec.LogMessage)
	if !ok {
		return bp
	}
	addr, line, err := a.dbg.CodeAt(path, spec.Line-a.lineBase+1)
	if err != nil {
		return unverified(bp, err.Error())
	}
	return a.setAt(bp, addr, line.Line)
}

// onSetFunctionBreakpoints sets breakpoints by name: labels, or any
// location the console's break takes (an expression, FILE:LINE).
func (a *adapter) onSetFunctionBreakpoints(r *godap.SetFunctionBreakpointsRequest) {
	if !a.launched(r.Request) {
		return
	}
	a.whileStill(func() {
		fresh := make([]*breakpoint, 0, len(r.Arguments.Breakpoints))
		for _, spec := range r.Arguments.Breakpoints {
			fresh = append(fresh, a.locationBreakpoint(spec.Name, spec.Condition, spec.HitCondition))
		}
		a.wire.send(&godap.SetFunctionBreakpointsResponse{Response: response(r.Request),
			Body: godap.SetFunctionBreakpointsResponseBody{Breakpoints: a.bps.replace(a.dbg, "functions", fresh)}})
	})
}

// onSetInstructionBreakpoints sets breakpoints by address (the
// disassembly view's): a memory reference and an offset in bytes.
func (a *adapter) onSetInstructionBreakpoints(r *godap.SetInstructionBreakpointsRequest) {
	if !a.launched(r.Request) {
		return
	}
	a.whileStill(func() {
		fresh := make([]*breakpoint, 0, len(r.Arguments.Breakpoints))
		for _, spec := range r.Arguments.Breakpoints {
			fresh = append(fresh, a.instructionBreakpoint(spec))
		}
		a.wire.send(&godap.SetInstructionBreakpointsResponse{Response: response(r.Request),
			Body: godap.SetInstructionBreakpointsResponseBody{Breakpoints: a.bps.replace(a.dbg, "instructions", fresh)}})
	})
}

// locationBreakpoint returns the breakpoint at the location text names,
// with a condition and a hit condition; one that cannot be set says why.
func (a *adapter) locationBreakpoint(text, cond, hit string) *breakpoint {
	bp, ok := newBreakpoint(cond, hit, "")
	if !ok {
		return bp
	}
	addr, err := a.dbg.Location(text)
	if err != nil {
		return unverified(bp, err.Error())
	}
	return a.setAt(bp, addr, 0)
}

// instructionBreakpoint returns the breakpoint spec asks for at an
// address; one that cannot be set says why.
func (a *adapter) instructionBreakpoint(spec godap.InstructionBreakpoint) *breakpoint {
	bp, ok := newBreakpoint(spec.Condition, spec.HitCondition, "")
	if !ok {
		return bp
	}
	addr, err := memoryAddress(spec.InstructionReference, spec.Offset)
	if err != nil {
		return unverified(bp, err.Error())
	}
	bp = a.setAt(bp, addr, 0)
	bp.client.InstructionReference = hexAddr(addr)
	return bp
}

// newBreakpoint returns a breakpoint with a condition, a hit condition
// and a log message, not placed yet; ok is false (and it says why) when
// the hit condition is bad.
func newBreakpoint(cond, hit, log string) (bp *breakpoint, ok bool) {
	bp = &breakpoint{cond: strings.TrimSpace(cond), log: log}
	h, err := parseHitCondition(hit)
	if err != nil {
		return unverified(bp, err.Error()), false
	}
	bp.hit = h
	return bp, true
}

// unverified marks bp as one that could not be set, for why.
func unverified(bp *breakpoint, why string) *breakpoint {
	bp.client = godap.Breakpoint{Verified: false, Message: why}
	return bp
}

// setAt places bp at addr and tells where: the source line of addr,
// else line (0: none).
func (a *adapter) setAt(bp *breakpoint, addr uint32, line int) *breakpoint {
	bp.addr, bp.set = addr, true
	bp.client = godap.Breakpoint{Verified: true, InstructionReference: hexAddr(addr)}
	if l, ok := a.dbg.SourceAt(addr); ok {
		bp.client.Source, line = &godap.Source{Name: l.Name, Path: l.Path}, l.Line
	}
	if line > 0 {
		bp.client.Line = line - 1 + a.lineBase
	}
	return bp
}

// catchFilters are the exception breakpoints: the debugger's
// catchpoints, each named by its event.
var catchFilters = []godap.ExceptionBreakpointsFilter{
	{Filter: "fault", Label: "Page faults", Description: "stop after an instruction that caused a page fault (catch fault)"},
	{Filter: "syscall", Label: "System calls", Description: "stop after each system call (catch syscall)"},
	{Filter: "swap", Label: "Swap transfers", Description: "stop after an instruction that made a page go to or come from swap (catch swap)"},
	{Filter: "exit", Label: "Process exits", Description: "stop after a process exits (catch exit)"},
}

// onSetExceptionBreakpoints catches the events whose filters are given,
// and stops catching the others.
func (a *adapter) onSetExceptionBreakpoints(r *godap.SetExceptionBreakpointsRequest) {
	if !a.launched(r.Request) {
		return
	}
	a.whileStill(func() {
		for _, f := range catchFilters {
			on := "off"
			if slices.Contains(r.Arguments.Filters, f.Filter) {
				on = "on"
			}
			if _, _, err := a.dbg.ExecResult("catch " + f.Filter + " " + on); err != nil {
				a.fail(r.Request, "catch %s: %v", f.Filter, err)
				return
			}
		}
		a.wire.send(&godap.SetExceptionBreakpointsResponse{Response: response(r.Request)})
	})
}
