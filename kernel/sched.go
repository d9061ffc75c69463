package kernel

// pickNext returns the next runnable process after the current one in
// the process table, round robin (the current one itself if it is the
// only one), or nil if none is left.
func (k *Kernel) pickNext() *Process {
	at := 0
	for i, p := range k.procs {
		if p == k.current {
			at = i + 1
		}
	}
	for i := range k.procs {
		if p := k.procs[(at+i)%len(k.procs)]; p.State == Runnable {
			return p
		}
	}
	return nil
}

// preempt serves the timer interrupt: the current process's time slice
// is over, so the next runnable one runs for a new slice.
func (k *Kernel) preempt() {
	k.stats.TimerInterrupts++
	if k.upcallRegistered {
		k.enforceRevocations()
	}
	if len(k.pagers) > 0 {
		k.pagerTimeouts()
	}
	if next := k.pickNext(); next != nil {
		k.switchTo(next)
	}
	k.Timer.Arm(k.cfg.Quantum)
}

// anyBlocked reports whether some process waits for an event.
func (k *Kernel) anyBlocked() bool {
	for _, p := range k.procs {
		if p.State == Blocked {
			return true
		}
	}
	return false
}

// cr3Effect says what a cr3 write did to the TLB.
func (k *Kernel) cr3Effect() string {
	if k.cfg.ASID {
		return "ASID-tagged entries kept"
	}
	return "TLB flushed"
}

// switchTo makes p the current process and loads its address space into
// the MMU.
func (k *Kernel) switchTo(p *Process) {
	if k.current == p {
		return
	}
	if k.current != nil {
		k.stats.ContextSwitches++
	}
	k.current = p
	if k.tracing(TraceSched) {
		k.trace(TraceSched, "switch to pid %d", p.PID)
	}
	k.loadSpace(p)
}

// loadSpace loads p's address space into the MMU on a switch to p: cr3
// holds its page directory and, under --asid, its ASID, so that the TLB
// keeps the entries of every address space and uses p's; without ASIDs
// the write flushes the TLB.
func (k *Kernel) loadSpace(p *Process) {
	// kit:tlbrefill begin
	k.MMU.SetCR3(p.Space.CR3())
	if k.tracing(TraceTLB) {
		k.trace(TraceTLB, "pid %d: cr3 0x%08x (%s)", p.PID, p.Space.CR3(), k.cr3Effect())
	}
	// kit:tlbrefill end
}
