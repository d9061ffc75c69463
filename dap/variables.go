package dap

import (
	"fmt"
	"strconv"
	"strings"

	godap "github.com/google/go-dap"

	"toyvm/cpu"
	"toyvm/debugger"
)

// varSource is what a variables reference handed out to the client
// names: its number is its index in adapter.refs, plus 1.
type varSource struct {
	list func() []godap.Variable
	pid  int // the registers of process pid; 0 for any other list
}

// ref numbers src and returns its number.
func (a *adapter) ref(src varSource) int {
	a.refs = append(a.refs, src)
	return len(a.refs)
}

// machineViews are the console's commands that the Machine scope shows,
// a line a variable.
var machineViews = []string{"tlb", "frames", "ps", "info regions", "info faults", "info swap", "stats"}

// onScopes answers with a frame's scopes: the registers and the machine
// (the TLB, the frames, ...) for the innermost, the saved pc and fp
// for a caller's.
func (a *adapter) onScopes(r *godap.ScopesRequest) {
	if !a.still(r.Request) {
		return
	}
	f, ok := a.frameOf(r.Request, r.Arguments.FrameId)
	if !ok {
		return
	}
	scopes := []godap.Scope{}
	switch {
	case f.note:
	case f.frame.Level == 0:
		scopes = append(scopes,
			godap.Scope{Name: "Registers", PresentationHint: "registers", VariablesReference: a.ref(varSource{list: a.registers(f.pid), pid: f.pid})},
			godap.Scope{Name: "Machine", VariablesReference: a.ref(varSource{list: a.machine}), Expensive: true})
	default:
		scopes = append(scopes, godap.Scope{Name: "Frame", VariablesReference: a.ref(varSource{list: a.callerFrame(f.frame)})})
	}
	a.wire.send(&godap.ScopesResponse{Response: response(r.Request), Body: godap.ScopesResponseBody{Scopes: scopes}})
}

// onVariables answers with the variables a reference names.
func (a *adapter) onVariables(r *godap.VariablesRequest) {
	if !a.still(r.Request) {
		return
	}
	id := r.Arguments.VariablesReference
	if id < 1 || id > len(a.refs) {
		a.fail(r.Request, "no variables %d: they are gone with the last stop", id)
		return
	}
	vars := a.refs[id-1].list()
	if vars == nil {
		vars = []godap.Variable{}
	}
	a.wire.send(&godap.VariablesResponse{Response: response(r.Request), Body: godap.VariablesResponseBody{Variables: vars}})
}

// registers returns the list of process pid's registers: r0-r13, fp,
// sp, pc, and the psw, whose flags are its children.
func (a *adapter) registers(pid int) func() []godap.Variable {
	return func() []godap.Variable {
		regs, ok := a.dbg.RegistersOf(pid)
		if !ok {
			return nil
		}
		var vars []godap.Variable
		for i, v := range regs.R {
			vars = append(vars, word(regName(i), v))
		}
		vars = append(vars, word("pc", regs.PC))
		psw := godap.Variable{Name: "psw", Value: regs.PSW.String(), EvaluateName: "psw",
			VariablesReference: a.ref(varSource{list: func() []godap.Variable { return flags(regs.PSW) }})}
		return append(vars, psw)
	}
}

// regName returns the name of register i: fp and sp for r14 and r15.
func regName(i int) string {
	switch i {
	case 14:
		return "fp"
	case 15:
		return "sp"
	}
	return "r" + strconv.Itoa(i)
}

// word returns a variable holding a word, which may be an address.
func word(name string, v uint32) godap.Variable {
	return godap.Variable{Name: name, Value: hexAddr(v), Type: "word", EvaluateName: name, MemoryReference: hexAddr(v)}
}

// flags returns the psw's condition flags and mode as variables.
func flags(p cpu.PSW) []godap.Variable {
	mode := "supervisor"
	if p.User() {
		mode = "user"
	}
	return []godap.Variable{
		{Name: "N", Value: strconv.FormatBool(p.N())},
		{Name: "Z", Value: strconv.FormatBool(p.Z())},
		{Name: "C", Value: strconv.FormatBool(p.C())},
		{Name: "V", Value: strconv.FormatBool(p.V())},
		{Name: "mode", Value: mode},
	}
}

// callerFrame returns the list of what a caller's frame keeps: where
// it returns to and its frame pointer.
func (a *adapter) callerFrame(f debugger.Frame) func() []godap.Variable {
	return func() []godap.Variable {
		ret := word("return address", f.PC)
		ret.EvaluateName = ""
		fp := word("fp", f.FP)
		fp.EvaluateName = ""
		return []godap.Variable{ret, fp}
	}
}

// machine returns the Machine scope: a variable for each of
// machineViews, its last line as its value, its lines as its children.
func (a *adapter) machine() []godap.Variable {
	var vars []godap.Variable
	for _, cmd := range machineViews {
		text, _, err := a.dbg.ExecResult(cmd)
		if err != nil {
			text = err.Error()
		}
		lines := strings.Split(strings.TrimRight(text, "\n"), "\n")
		vars = append(vars, godap.Variable{Name: cmd, Value: lines[len(lines)-1],
			VariablesReference: a.ref(varSource{list: func() []godap.Variable { return textLines(lines) }})})
	}
	return vars
}

// textLines returns lines as variables named by their numbers.
func textLines(lines []string) []godap.Variable {
	vars := make([]godap.Variable, len(lines))
	for i, l := range lines {
		vars[i] = godap.Variable{Name: fmt.Sprintf("%3d", i+1), Value: l}
	}
	return vars
}

// onSetVariable changes a register of the process the CPU runs: the new
// value is an expression, as the console's set takes.
func (a *adapter) onSetVariable(r *godap.SetVariableRequest) {
	if !a.still(r.Request) {
		return
	}
	id := r.Arguments.VariablesReference
	if id < 1 || id > len(a.refs) || a.refs[id-1].pid == 0 || a.refs[id-1].pid != a.dbg.CurrentPID() {
		a.fail(r.Request, "only the registers of the running process can be set")
		return
	}
	v, err := a.dbg.Eval(r.Arguments.Value)
	if err == nil {
		err = a.dbg.SetRegister(r.Arguments.Name, v)
	}
	if err != nil {
		a.fail(r.Request, "%v", err)
		return
	}
	a.wire.send(&godap.SetVariableResponse{Response: response(r.Request),
		Body: godap.SetVariableResponseBody{Value: a.newValue(r.Arguments.Name)}})
}

// newValue returns register name's value as the Registers scope shows it.
func (a *adapter) newValue(name string) string {
	regs, _ := a.dbg.RegistersOf(a.dbg.CurrentPID())
	if name == "psw" {
		return regs.PSW.String()
	}
	v, _ := a.dbg.Eval(name)
	return hexAddr(v)
}
