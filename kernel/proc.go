package kernel

import (
	"fmt"

	"toyvm/cpu"
	"toyvm/image"
	"toyvm/kernel/vm"
)

// ProcState is where a process is in its life.
type ProcState uint8

const (
	// Runnable: ready to run, or running.
	Runnable ProcState = iota
	// Blocked: waiting for an event (a disk transfer, a free frame, a
	// child's exit, the end of a sleep); see Process.WaitingFor.
	Blocked
	// Zombie: exited; its status waits to be collected.
	Zombie
)

var procStateNames = [...]string{"runnable", "blocked", "zombie"}

func (s ProcState) String() string {
	if int(s) < len(procStateNames) {
		return procStateNames[s]
	}
	return fmt.Sprintf("state(%d)", uint8(s))
}

// Context is the user state the kernel saves when a process traps and
// restores when it runs again.
type Context struct {
	R   [16]uint32
	PC  uint32
	PSW cpu.PSW
}

// Process is one running program.
type Process struct {
	PID    int
	Name   string // the program's path, argv[0]
	State  ProcState
	Ctx    Context
	Parent *Process // nil for the first process and for orphans
	Space  *vm.AddressSpace
	Status int // exit status, once a zombie

	image *image.Image // the program it runs: its labels name places in it

	heap *vm.Region // the heap, which sbrk grows and shrinks
	brk  uint32     // the break: the end of the heap as sbrk sees it

	// While blocked: the channel it sleeps on (any comparable value
	// that the event's wakeup names) and what that is, for ps and traces.
	channel    any
	WaitingFor string

	files *fileTable // open files, by descriptor
	libos *libOS     // its library OS, if it registered one (libos.go)
	stall stall      // faults in a row without progress (stall.go)
}

func (p *Process) String() string { return fmt.Sprintf("process %d (%s)", p.PID, p.Name) }

// saveContext copies the trapped user state out of the CPU.
func (p *Process) saveContext(c *cpu.CPU) {
	p.Ctx = Context{R: c.R, PC: c.SavedPC, PSW: c.SavedPSW}
}

// loadContext puts the process's user state where the CPU's return from
// the trap will pick it up.
func (p *Process) loadContext(c *cpu.CPU) {
	c.R, c.SavedPC, c.SavedPSW = p.Ctx.R, p.Ctx.PC, p.Ctx.PSW
}
