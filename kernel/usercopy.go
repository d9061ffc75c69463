package kernel

import (
	"errors"
	"fmt"

	"toyvm/isa"
	"toyvm/kernel/vm"
	"toyvm/mmu"
)

var (
	// errFault: a user pointer names memory the process may not use
	// that way. A system call returns EFAULT for it.
	errFault = errors.New("bad address")
	// errTooLong: a path or an argument list is longer than the kernel
	// takes (MaxPath, MaxArgs, MaxArgBytes). A system call returns EINVAL.
	errTooLong = errors.New("too long")
	// errBlocked: the process must wait for a page to come in; the
	// system call runs again from its start when the process wakes.
	errBlocked = errors.New("waiting for a page")
	// errShort: a copy stopped at a page that must come from disk,
	// without starting the transfer: the bytes before it are done.
	errShort = errors.New("stopped short of a page on disk")
)

// killError carries the verdict of a fault the kernel took on a user
// buffer that kills the process (out of memory or swap).
type killError struct{ kl *kill }

func (e killError) Error() string { return e.kl.String() }
func (e killError) Unwrap() error { return e.kl.err }

// copyIn returns up to n bytes of process p's memory from va. A page
// that is legal but not present is paged in, never a failure: if it has
// to be read from disk, copyIn returns the bytes before it (a short copy),
// or, when there are none, errBlocked with p waiting for the page. It
// returns errFault if any byte is outside the process's readable regions.
func (k *Kernel) copyIn(p *Process, va uint32, n uint32) ([]byte, error) {
	out := make([]byte, 0, min(n, 1<<16))
	err := k.eachUserPage(p, va, n, isa.Read, func(pa mmu.PAddr, n uint32) {
		out = append(out, k.physBytes(pa, n)...)
	})
	if err == errShort {
		return out, nil
	}
	return out, err
}

// copyOut writes data into process p's memory at va, paging in as
// needed. It returns errFault, having written nothing, if any byte is
// outside p's writable regions; errBlocked (p waiting) or a killError if
// a page cannot be had now; errShort if it stopped short of a page on
// disk. Then it may have written a part.
func (k *Kernel) copyOut(p *Process, va uint32, data []byte) error {
	return k.eachUserPage(p, va, uint32(len(data)), isa.Write, func(pa mmu.PAddr, n uint32) {
		copy(k.physBytes(pa, n), data[:n])
		data = data[n:]
	})
}

// eachUserPage calls do with the physical address and length of each
// piece of [va, va+n) that lies in one page, in order, after making the
// page present and marking it accessed (and dirty for a write). It stops
// with errBlocked at a page that must come from disk, starting its
// transfer (p then waits, and the system call runs again) unless the
// buffer is too large to be all in memory at once and some of it is done
// already: then the copy stops short, so that it still makes progress.
func (k *Kernel) eachUserPage(p *Process, va, n uint32, acc isa.Access, do func(mmu.PAddr, uint32)) error {
	if err := k.checkUser(p, va, n, acc); err != nil {
		return err
	}
	small := int(n/isa.PageSize+2) <= k.Frames.Len()/4
	for first := true; n > 0; first = false {
		pa, err := k.userAddr(p, va, acc, first || small)
		if err != nil {
			return err
		}
		chunk := min(n, isa.PageSize-va%isa.PageSize)
		do(pa, chunk)
		va, n = va+chunk, n-chunk
	}
	return nil
}

// checkUser returns errFault unless every page of [va, va+n) lies in a
// region of p that allows the access (growing the stack if it reaches
// into the stack's reach).
func (k *Kernel) checkUser(p *Process, va, n uint32, acc isa.Access) error {
	if n == 0 {
		return nil
	}
	last := va + n - 1
	if last < va || last >= isa.StackTop {
		return errFault
	}
	for page := isa.PageDown(last); ; page -= isa.PageSize {
		r, err := k.findRegion(p, mmu.VAddr(page))
		if err != nil {
			return killError{oomKill(mmu.VAddr(page), err)}
		}
		if r == nil || !r.Prot.Allows(acc) || selfPaged(r) && !k.selfPagedAccess(p, mmu.VAddr(page), acc) {
			return errFault
		}
		if page <= isa.PageDown(va) {
			return nil
		}
	}
}

// userAddr returns the physical address of the byte at va, which
// checkUser has found legal, making its page present first: at once, or
// by starting its transfer and returning errBlocked (p waiting); if start
// is not set, a page that needs the disk gives errShort instead.
func (k *Kernel) userAddr(p *Process, va uint32, acc isa.Access, start bool) (mmu.PAddr, error) {
	w := p.Space.PT.Lookup(mmu.VAddr(va))
	if !w.PTE.Has(mmu.V | mmu.P) {
		if err := k.userPageIn(p, mmu.VAddr(va), acc, w.PTE, start); err != nil {
			return 0, err
		}
		w = p.Space.PT.Lookup(mmu.VAddr(va))
	}
	if acc == isa.Write {
		if err := k.userWrite(p, mmu.VAddr(va)); err != nil {
			return 0, err
		}
		w = p.Space.PT.Lookup(mmu.VAddr(va))
	}
	k.touch(p, mmu.VAddr(va), w, acc)
	return w.PAddr(), nil
}

// userPageIn serves the kernel's own fault on a user page, an access acc
// to va whose entry is pte: like a user fault, and logged as one (its pc
// is the process's), except that a page needing I/O is only started if
// start is set. It returns nil when the page is present, errShort when
// it needs I/O and start is not set, errBlocked when p waits for it, or
// a killError.
func (k *Kernel) userPageIn(p *Process, va mmu.VAddr, acc isa.Access, pte mmu.PTE, start bool) error {
	r := p.Space.Region(va)
	if !start && k.needsIO(r.Object.Page(r.Index(va))) {
		return errShort
	}
	res := k.getPage(p, r, va)
	k.account(p, res)
	k.logKernelFault(p, va, acc, pte, res)
	switch res.how {
	case Killed:
		return killError{res.kill}
	case PagedIn, WaitsInTransit, WaitsForFrame:
		return errBlocked
	}
	return nil
}

// logKernelFault adds the kernel's own fault on p's page at va to the
// fault log, as the CPU's would be: INVALID for a page never touched,
// NOT_PRESENT for one that was, with how it was served.
func (k *Kernel) logKernelFault(p *Process, va mmu.VAddr, acc isa.Access, pte mmu.PTE, res Result) {
	cause := isa.Invalid
	if pte.Has(mmu.V) {
		cause = isa.NotPresent
	}
	k.faultLog.add(FaultRecord{Cycle: k.CPU.Now(), PID: p.PID, Cause: cause, Access: acc,
		Addr: va, PC: p.Ctx.PC, How: "kernel copy: " + res.String()})
}

// needsIO reports whether making pg present needs the disk: it is in
// transit, or its contents are in swap or the image.
func (k *Kernel) needsIO(pg *vm.Page) bool {
	if pg.Frame != 0 {
		return k.Frames.Get(pg.Frame).State == vm.FrameBusy
	}
	store, _, _ := pg.Location(k.swap)
	return store != nil
}

// touch sets the accessed bit of the page, and the dirty and write bits
// for a write, as the hardware would for a user access.
func (k *Kernel) touch(p *Process, va mmu.VAddr, w mmu.Walk, acc isa.Access) {
	pte := w.PTE.With(mmu.A)
	if acc == isa.Write {
		pte = pte.With(mmu.D | mmu.W)
	}
	if pte != w.PTE {
		k.Phys.WritePTE(w.PTEAddr, pte)
		k.invalidate(p.Space, va)
	}
}

// physBytes returns the n bytes of physical memory at pa, which lie in
// one frame.
func (k *Kernel) physBytes(pa mmu.PAddr, n uint32) []byte {
	off := uint32(pa) % isa.PageSize
	return k.Phys.Frame(uint32(pa) / isa.PageSize)[off : off+n]
}

// userError turns a failed copy to or from user memory into the system
// call's outcome: EFAULT for a bad pointer, EINVAL for a string or an
// argument list too long; for a page that must come
// from disk, the call is made to run again when the process wakes; out
// of memory or swap kills.
func (k *Kernel) userError(p *Process, err error, va uint32) (int32, bool) {
	var ke killError
	switch {
	case err == errFault:
		return EFAULT, true
	case err == errTooLong:
		return EINVAL, true
	case err == errBlocked:
		k.restartSyscall(p)
		return 0, false
	case errors.As(err, &ke):
		k.killProcess(p, ke.kl, k.CPU.FaultPC)
		return 0, false
	}
	k.killProcess(p, oomKill(mmu.VAddr(va), err), k.CPU.FaultPC)
	return 0, false
}

// restartSyscall sets p to run its SYS instruction again when it next
// runs: a system call that must wait leaves no half-done state. The SYS
// is not counted as an instruction until the run that completes it.
func (k *Kernel) restartSyscall(p *Process) {
	p.Ctx.PC = k.CPU.FaultPC
	k.CPU.Unretire()
	if p.State == Runnable {
		panic(fmt.Sprintf("kernel.restartSyscall: pid %d restarts without waiting", p.PID))
	}
}
