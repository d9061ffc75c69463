package kernel

import (
	"fmt"

	"toyvm/isa"
	"toyvm/mmu"
)

// Exit statuses of a process the kernel kills: 128 + the number of the
// Unix signal that would have killed it (docs/isa.md section 7).
const (
	StatusIllegal    = 132 // ILLEGAL or PRIVILEGED (SIGILL)
	StatusBreakpoint = 133 // BPT with no debugger attached (SIGTRAP)
	StatusBus        = 135 // a page the disk could not read (SIGBUS)
	StatusDivide     = 136 // DIVIDE (SIGFPE)
	StatusNoMemory   = 137 // out of memory or swap (SIGKILL)
	StatusSegfault   = 139 // INVALID or PROTECTION, not a legal page fault (SIGSEGV)
	StatusMaxSteps   = 124 // --max-steps reached
)

// kill is why the kernel ends a process: its exit status and what the
// one-line message on standard error says.
type kill struct {
	status int
	what   string    // e.g. "INVALID fault (write, user mode)"
	addr   mmu.VAddr // the faulting address: of the access, or of the instruction
	err    error     // the kernel error behind it, if any
}

// String returns the cause and the faulting address, as the message on
// standard error and the fault log name them.
func (kl *kill) String() string { return fmt.Sprintf("%s at %s", kl.what, kl.addr) }

// faultKill is the verdict on a memory fault that no region explains.
func faultKill(f mmu.Fault) *kill {
	return &kill{StatusSegfault, fmt.Sprintf("%s fault (%s, %s mode)",
		f.Cause, f.Access, modeName(f.User)), f.Addr, nil}
}

// oomKill is the verdict when no frame can be found for a page.
func oomKill(va mmu.VAddr, err error) *kill {
	return &kill{StatusNoMemory, fmt.Sprintf("%v while paging in", err), va, err}
}

// stackKill is the verdict on an access just below the stack's limit.
func stackKill(va mmu.VAddr) *kill {
	return &kill{StatusSegfault, fmt.Sprintf("stack overflow: the stack may not grow below 0x%08x (limit %s)",
		isa.StackTop-isa.StackMax, sizeWords(isa.StackMax)), va, nil}
}

// busKill is the verdict when the page at va could not be read from the
// disk, err saying why.
func busKill(va mmu.VAddr, err error) *kill {
	return &kill{StatusBus, fmt.Sprintf("page lost: the disk could not read it after %d tries (%v)", MaxDiskTries, err), va, err}
}

// trapVerdicts are the kills for exceptions that are not memory faults.
var trapVerdicts = map[isa.Cause]kill{
	isa.Illegal:    {status: StatusIllegal, what: "ILLEGAL instruction"},
	isa.Privileged: {status: StatusIllegal, what: "PRIVILEGED instruction in user mode"},
	isa.Divide:     {status: StatusDivide, what: "DIVIDE by zero"},
	isa.Breakpoint: {status: StatusBreakpoint, what: "BREAKPOINT with no debugger"},
}

// trapKill is the verdict on an exception that is not a memory fault,
// raised by the instruction at pc: its faulting address.
func trapKill(cause isa.Cause, pc uint32) *kill {
	kl, ok := trapVerdicts[cause]
	if !ok {
		panic(fmt.Sprintf("kernel.trapKill: unexpected trap %s", cause))
	}
	kl.addr = mmu.VAddr(pc)
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
	fmt.Fprintf(k.stderr, "toyvm: %s killed: %s, pc 0x%08x (exit status %d)\n",
		p, kl, pc, kl.status)
	k.exit(p, kl.status)
}
