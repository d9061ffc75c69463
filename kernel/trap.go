package kernel

import (
	"toyvm/cpu"
	"toyvm/isa"
	"toyvm/mmu"
)

// Trap is the kernel's entry from the CPU (it implements cpu.Handler):
// save the process's registers, classify the cause, dispatch, and
// return to whichever process runs next.
func (k *Kernel) Trap(c *cpu.CPU, cause isa.Cause) {
	p := k.current
	if cause.IsMemory() {
		k.backup(c)
	}
	p.saveContext(c)
	switch {
	case cause == isa.Syscall:
		k.syscall(p)
	case cause.IsMemory():
		k.memoryFault(p, k.faultOf(c))
	case cause.IsInterrupt():
		k.interrupt(c.Interrupt)
	case cause == isa.Breakpoint && k.cfg.Debugger:
		k.bpts++ // the debugger stops here; the process goes on after the BPT
	default:
		k.killProcess(p, trapKill(cause, c.FaultPC), c.FaultPC)
	}
	k.returnToUser(c)
	k.checkAfterEntry(c)
	if k.hostStop.Load() != nil {
		c.Stop() // the host wants the run to end: slow traps are not waited out
	}
}

// backup undoes the side effects of the faulted instruction for the help
// level in force, so that the instruction restarts from its first byte.
func (k *Kernel) backup(c *cpu.CPU) {
	err := Backup(c, func(va uint32) (byte, bool) { return k.fetchByte(k.current, va) })
	if err != nil {
		panic("kernel.backup: cannot read back a fetched instruction: " + err.Error())
	}
}

// fetchByte reads a byte of the current process's text without paging
// anything in; ok is false if it is not present.
func (k *Kernel) fetchByte(p *Process, va uint32) (byte, bool) {
	w := p.Space.PT.Lookup(mmu.VAddr(va))
	if !w.PTE.Has(mmu.V | mmu.P) {
		return 0, false
	}
	return k.Phys.Read8(w.PAddr()), true
}

// faultOf reads the fault out of the CPU's control registers.
func (k *Kernel) faultOf(c *cpu.CPU) mmu.Fault {
	return mmu.Fault{Cause: c.Cause.Cause, Access: c.Cause.Access,
		Addr: mmu.VAddr(c.FaultAddr), User: c.Cause.User}
}

// memoryFault serves a page fault, or kills the process if it is not one.
func (k *Kernel) memoryFault(p *Process, f mmu.Fault) {
	if k.tracing(TraceFaults) {
		k.trace(TraceFaults, "pid %d: %s fault (%s) at %s, pc 0x%08x",
			p.PID, f.Cause, f.Access, f.Addr, p.Ctx.PC)
	}
	pc := p.Ctx.PC // the faulting instruction's: an upcall moves p to its handler
	res := k.serveFault(p, f)
	k.account(p, res)
	k.faultLog.add(FaultRecord{Cycle: k.Clock.Now(), PID: p.PID, Cause: f.Cause,
		Access: f.Access, Addr: f.Addr, PC: pc, How: res.String()})
	if res.how == Killed && !k.holdFatal(p, f, pc, res) {
		k.killProcess(p, res.kill, pc)
	}
}

// serveFault serves a memory fault of p, unless p makes no progress
// (stall.go): then p is killed.
func (k *Kernel) serveFault(p *Process, f mmu.Fault) Result {
	if kl := k.stalled(p, f); kl != nil {
		return killed(kl)
	}
	return k.pageFault(p, f)
}

// returnToUser loads the context of the process to run next, waiting in
// idle for a device event if every process is blocked. When no process
// is left, it lets the disk finish what is in flight (frames and slots
// of exited processes come back then) and stops the CPU.
func (k *Kernel) returnToUser(c *cpu.CPU) {
	if k.yield {
		k.yield = false
		k.switchTo(k.pickNext())
	}
	for {
		if k.current.State != Runnable {
			next := k.nextToRun()
			if next == nil {
				k.stop(c)
				return
			}
			k.switchTo(next)
		}
		if k.upcallRegistered {
			k.deliverRevocation(k.current) // it may wait for its handler's stack
		}
		if k.current.State == Runnable {
			k.current.loadContext(c)
			return
		}
	}
}

// stop stops the CPU when no process will run again: every process
// exited (the extensions report then), or every one waits for the end
// of time.
func (k *Kernel) stop(c *cpu.CPU) {
	switch {
	case k.outOfTime:
	case k.anyBlocked():
		panic("kernel.returnToUser: every process waits and no event is pending")
	default:
		k.reportExtensions()
	}
	c.Stop()
}

// nextToRun returns the process to run next, waiting in idle for a
// device event if every process is blocked; nil when none is left, or
// none can ever run. Processes that wait for each other with no event
// pending (a pager waiting for its own client) are killed, so that the
// others can go on (breakDeadlock).
func (k *Kernel) nextToRun() *Process {
	for {
		next := k.pickNext()
		if next == nil && (k.anyBlocked() || k.Disk.Busy()) {
			k.idle()
			next = k.pickNext()
		}
		if next != nil || k.outOfTime || !k.anyBlocked() || !k.breakDeadlock() {
			return next
		}
	}
}
