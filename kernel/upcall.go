package kernel

import (
	"encoding/binary"
	"errors"
	"fmt"

	"toyvm/cpu"
	"toyvm/isa"
	"toyvm/mmu"
)

// Upcalls: how a fault in a self-paged range reaches the process's
// library OS (libos.go). Like a Unix signal, the kernel saves the user
// state of the interrupted instruction (after instruction backup, so the
// instruction restarts from its first byte) in an upcall frame on the
// handler's stack, and starts the handler:
//
//	r1  the faulting address (0 for a revocation)
//	r2  the access: 0 read, 1 write, 2 fetch, 3 give a frame back
//	r3  the address of the upcall frame (also sp)
//
// The frame holds, a word each from its lowest address: r0 to r15, pc,
// psw, the faulting address, the access. The handler runs in user mode,
// on its own stack; upcall_return reloads the state from the frame (the
// handler may have changed the registers there; the psw keeps only its
// flags, in user mode) and the interrupted instruction runs again. A
// self-paged fault while the handler runs kills the process: there is no
// nested upcall, so no recursion without end. So does an upcall whose
// stack cannot be written.
//
// Revocation: when the paging daemon runs (memory is short), it asks
// each library OS holding frames to give one back: an upcall with access
// 3 and, in r1, the token of the frame the kernel will take if none is
// given back (the oldest granted). The upcall is delivered when the
// process next runs outside an upcall. The library OS frees a frame of
// its choice (frame_free) within RevokeGrace cycles of the delivery; if
// it has not, the kernel revokes that one: uninstalled, its tokens
// stale, its contents lost. The library OS sees it as a fault at that
// page again. A request that cannot be delivered for ten times as long
// (the process waits for something else, or never leaves its handler)
// is enforced all the same.

// upcallWords is the size of an upcall frame in words; upcallFrameSize
// in bytes.
const (
	upcallWords     = 20
	upcallFrameSize = upcallWords * 4
)

// RevokeGrace is how many cycles a library OS has to give back a frame
// it was asked for before the kernel revokes one.
const RevokeGrace = 100_000

// registerUpcall registers the upcall as the handler of the faults in
// self-paged ranges, when the first process registers an upcall entry:
// before every extension (a self-paged range is its process's own to
// page) and the VM system. A run with no library OS never dispatches.
func (k *Kernel) registerUpcall() {
	if k.upcallRegistered {
		return
	}
	k.upcallRegistered = true
	k.Register(Registration{Name: "upcall", Order: LibOSOrder,
		Kinds: []EventKind{EvPageFault, EvProtectionFault, EvTLBMiss},
		Guard: selfPagedFault, Handler: HandlerFunc(func(k *Kernel, e *Event) (Result, bool) {
			return k.upcall(e.Proc, e.Fault), true
		})})
}

// selfPagedFault reports whether a fault is the library OS's to serve: in
// a self-paged range, on a page not present (a TLB miss on a present page
// is refilled by the VM system from its entry), or a write the installed
// entry does not allow.
func selfPagedFault(e *Event) bool {
	if !selfPaged(e.Region) {
		return false
	}
	pte := e.Proc.Space.PT.Lookup(e.Fault.Addr).PTE
	return !pte.Has(mmu.V|mmu.P) || e.Kind == EvProtectionFault
}

// upcall hands p's fault f to its library OS: the state is saved on the
// handler's stack and the handler starts. It returns the result: an
// upcall, a wait for the handler's stack page, or a kill (no handler, a
// fault inside the handler, a stack that cannot be written).
func (k *Kernel) upcall(p *Process, f mmu.Fault) Result {
	l := p.libos
	switch {
	case l == nil:
		return killed(upcallKill(f.Addr, "no library OS is registered for the self-paged range"))
	case l.inUpcall:
		return killed(upcallKill(f.Addr, "self-paged fault inside the library OS's own handler (no nested upcalls)"))
	}
	if res, ok := k.startUpcall(p, f.Addr, uint32(f.Access)); !ok {
		return res
	}
	k.stats.Upcalls++
	return Result{how: Upcalled, va: f.Addr, by: "upcall"}
}

// startUpcall saves p's state in an upcall frame on its handler's stack
// and points p at the handler, with the address and access code as its
// arguments. ok is false when it could not: the result is then a wait
// for the stack's page (p runs the faulting instruction again, and
// faults again, when it comes) or a kill.
func (k *Kernel) startUpcall(p *Process, addr mmu.VAddr, access uint32) (Result, bool) {
	l := p.libos
	sp := l.stack - upcallFrameSize
	err := k.copyOut(p, sp, upcallFrame(p.Ctx, uint32(addr), access))
	switch {
	case errors.Is(err, errBlocked), errors.Is(err, errShort):
		return served(WaitsInTransit, addr, 0), false
	case err != nil:
		return killed(upcallKill(mmu.VAddr(sp), fmt.Sprintf("the upcall's stack cannot be written (%v)", err))), false
	}
	l.inUpcall, l.frame = true, sp
	p.Ctx.R[1], p.Ctx.R[2], p.Ctx.R[3], p.Ctx.R[isa.SP] = uint32(addr), access, sp, sp
	p.Ctx.PC, p.Ctx.PSW = l.entry, cpu.PSW(0).WithUser(true)
	if k.tracing(TraceFaults) {
		k.trace(TraceFaults, "pid %d: upcall to 0x%08x (address %s, access %d), state saved at 0x%08x", p.PID, l.entry, addr, access, sp)
	}
	return Result{}, true
}

// upcallFrame returns the bytes of an upcall frame holding ctx.
func upcallFrame(ctx Context, addr, access uint32) []byte {
	b := make([]byte, 0, upcallFrameSize)
	for _, w := range ctx.R {
		b = binary.LittleEndian.AppendUint32(b, w)
	}
	for _, w := range []uint32{ctx.PC, uint32(ctx.PSW), addr, access} {
		b = binary.LittleEndian.AppendUint32(b, w)
	}
	return b
}

// upcallKill is the verdict on a self-paged fault that no handler can
// serve.
func upcallKill(va mmu.VAddr, why string) *kill {
	return &kill{status: StatusSegfault, what: "upcall failed: " + why, addr: va}
}

// sysUpcallReturn ends p's upcall: the state in the upcall frame is
// loaded and the interrupted instruction runs again. It does not return.
// It returns EINVAL when p is not in an upcall; it kills p if the frame
// cannot be read any more.
func sysUpcallReturn(k *Kernel, p *Process, _ [6]uint32) (int32, bool) {
	l := p.libos
	if l == nil || !l.inUpcall {
		return EINVAL, true
	}
	b, err := k.copyIn(p, l.frame, upcallFrameSize)
	switch {
	case errors.Is(err, errBlocked):
		k.restartSyscall(p)
		return 0, false
	case err != nil || len(b) < upcallFrameSize:
		k.killProcess(p, upcallKill(mmu.VAddr(l.frame), "the upcall frame cannot be read back"), k.CPU.FaultPC)
		return 0, false
	}
	p.Ctx = savedContext(b)
	l.inUpcall = false
	return 0, false
}

// savedContext reads a context out of an upcall frame: the psw keeps
// only its condition flags, in user mode.
func savedContext(b []byte) Context {
	var ctx Context
	for i := range ctx.R {
		ctx.R[i] = binary.LittleEndian.Uint32(b[4*i:])
	}
	ctx.PC = binary.LittleEndian.Uint32(b[64:])
	ctx.PSW = (cpu.PSW(binary.LittleEndian.Uint32(b[68:])) & cpu.Flags).WithUser(true)
	return ctx
}

// askForFrames asks every library OS that holds frames, and has not been
// asked already, to give one back (the paging daemon calls it: memory is
// short). The upcall is delivered when the process next runs.
func (k *Kernel) askForFrames() {
	for _, p := range k.procs {
		if l := p.libos; l != nil && p.State != Zombie && len(l.caps) > 0 && !l.revoke.asked {
			l.revoke = revocation{asked: true, deadline: k.CPU.Now() + 10*RevokeGrace}
			k.stats.RevokeRequests++
		}
	}
}

// deliverRevocation starts the upcall that asks p for a frame, if one is
// due and p is not in an upcall already.
func (k *Kernel) deliverRevocation(p *Process) {
	l := p.libos
	if l == nil || !l.revoke.asked || l.revoke.delivered || l.inUpcall {
		return
	}
	if _, ok := k.startUpcall(p, 0, UpcallRevoke); ok {
		l.revoke.delivered, l.revoke.deadline = true, k.CPU.Now()+RevokeGrace
		p.Ctx.R[1] = l.caps[0].Token()
	}
}

// enforceRevocations revokes a frame from each library OS whose deadline
// has passed without its giving one back.
func (k *Kernel) enforceRevocations() {
	for _, p := range k.procs {
		l := p.libos
		if l == nil || !l.revoke.asked || k.CPU.Now() < l.revoke.deadline {
			continue
		}
		if len(l.caps) > 0 {
			c := l.caps[0]
			if k.tracing(TraceDaemon) {
				k.trace(TraceDaemon, "pid %d: revoke %s: not given back in time", p.PID, c)
			}
			k.freeOwned(p, c)
			k.stats.FramesRevoked++
		}
		l.revoke = revocation{}
	}
}
