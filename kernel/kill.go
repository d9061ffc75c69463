package kernel

import (
	"fmt"

	"toyvm/isa"
	"toyvm/mmu"
)

// Exit statuses of a process the kernel kills: 128 + the number of the
// Unix signal that would have killed it (SPEC.md section 7).
const (
	StatusIllegal    = 132 // ILLEGAL or PRIVILEGED (SIGILL)
	StatusBreakpoint = 133 // BPT with no debugger attached (SIGTRAP)
	StatusDivide     = 136 // DIVIDE (SIGFPE)
	StatusNoMemory   = 137 // out of memory or swap (SIGKILL)
	StatusSegfault   = 139 // INVALID or PROTECTION, not a legal page fault (SIGSEGV)
	StatusMaxSteps   = 124 // --max-steps reached
)

// kill is why the kernel ends a process: its exit status and what the
// one-line message on standard error says.
type kill struct {
	status int
	what   string // e.g. "INVALID fault (write, user mode) at 0x00000000"
	err    error  // the kernel error behind it, if any
}

// faultKill is the verdict on a memory fault that no region explains.
func faultKill(f mmu.Fault) *kill {
	return &kill{StatusSegfault, fmt.Sprintf("%s fault (%s, %s mode) at %s",
		f.Cause, f.Access, modeName(f.User), f.Addr), nil}
}

// oomKill is the verdict when no frame can be found for a page.
func oomKill(va mmu.VAddr, err error) *kill {
	return &kill{StatusNoMemory, fmt.Sprintf("%v paging in %s", err, va), err}
}

// trapVerdicts are the kills for exceptions that are not memory faults.
var trapVerdicts = map[isa.Cause]kill{
	isa.Illegal:    {StatusIllegal, "ILLEGAL instruction", nil},
	isa.Privileged: {StatusIllegal, "PRIVILEGED instruction in user mode", nil},
	isa.Divide:     {StatusDivide, "DIVIDE by zero", nil},
	isa.Breakpoint: {StatusBreakpoint, "BREAKPOINT with no debugger", nil},
}

// trapKill is the verdict on an exception that is not a memory fault.
func trapKill(cause isa.Cause) *kill {
	kl, ok := trapVerdicts[cause]
	if !ok {
		panic(fmt.Sprintf("kernel.trapKill: unexpected trap %s", cause))
	}
	return &kl
}

func modeName(user bool) string {
	if user {
		return "user"
	}
	return "supervisor"
}

// killProcess ends p for reason kl, printing the one line that names the
// process, the cause, the address and the pc of the faulting instruction.
func (k *Kernel) killProcess(p *Process, kl *kill, pc uint32) {
	fmt.Fprintf(k.stderrFlushed(), "toyvm: %s killed: %s, pc 0x%08x (exit status %d)\n",
		p, kl.what, pc, kl.status)
	k.exit(p, kl.status)
}
