package kernel

// pickNext returns the next runnable process in pid order after the
// current one, or nil if none is left.
func (k *Kernel) pickNext() *Process {
	for _, p := range k.procs {
		if p.State == Runnable {
			return p
		}
	}
	return nil
}

// switchTo makes p the current process and loads its address space into
// the MMU.
func (k *Kernel) switchTo(p *Process) {
	if k.current != nil && k.current != p {
		k.stats.ContextSwitches++
	}
	k.current = p
	k.MMU.SetCR3(p.Space.PT.CR3())
}
