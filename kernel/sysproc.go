package kernel

import (
	"fmt"

	"toyvm/dev"
	"toyvm/image"
	"toyvm/isa"
	"toyvm/mmu"
)

// The system calls of processes: spawn, wait, getpid, sbrk, yield, sleep
// and time. A call that must wait (wait for a child that still runs,
// sleep) blocks its process and runs again from its SYS when it wakes.

// MaxProcesses is the size of the process table: live processes and
// zombies not yet waited for. spawn beyond it returns EAGAIN.
const MaxProcesses = 256

// sysSpawn starts the program at path (inside the root) as a child with
// the argument array argv (0: none; argv[0] is always the path). It
// returns the child's pid, or ENOENT, EACCES or EINVAL for a program that
// cannot be read or loaded, EAGAIN when the process table is full, ENOMEM
// when memory or swap runs out, EFAULT for a bad pointer.
func sysSpawn(k *Kernel, p *Process, a [6]uint32) (int32, bool) {
	argv, res, done, ok := k.programCall(p, a)
	if !ok {
		return res, done
	}
	switch {
	case len(k.procs) >= MaxProcesses:
		return EAGAIN, true
	case !k.canAdmit():
		if k.tracing(TraceSyscalls) {
			k.trace(TraceSyscalls, "pid %d: spawn refused: too little memory for one more process", p.PID)
		}
		return ENOMEM, true
	}
	img, e := k.loadFor(p, "spawn", argv[0])
	if img == nil {
		return e, true
	}
	return k.spawnChild(p, img, argv)
}

// programCall reads the path and the argument array of a spawn or an
// exec (a[0] and a[1]) from p's memory, and returns them as argv, whose
// argv[0] is the path. ok is false, with the call's result in res and
// done, for a bad pointer, a path or arguments too long, or a page p must
// wait for.
func (k *Kernel) programCall(p *Process, a [6]uint32) (argv []string, res int32, done, ok bool) {
	path, err := k.readString(p, a[0], MaxPath)
	if err != nil {
		res, done = k.userError(p, err, a[0])
		return nil, res, done, false
	}
	args, err := k.readArgv(p, a[1])
	if err != nil {
		res, done = k.userError(p, err, a[1])
		return nil, res, done, false
	}
	return append([]string{path}, args...), 0, true, true
}

// loadFor loads the program at path for p's call (spawn, exec) and
// returns it, or nil and the error result: ENOENT, EACCES or EINVAL. A
// failure is traced.
func (k *Kernel) loadFor(p *Process, call, path string) (*image.Image, int32) {
	img, err := k.loadProgram(path)
	if err != nil {
		if k.tracing(TraceSyscalls) {
			k.trace(TraceSyscalls, "pid %d: %s %q: %v", p.PID, call, path, err)
		}
		return nil, errnoOf(err)
	}
	return img, 0
}

// framesPerProcess is what admitting a process costs at least: its page
// directory and the page tables of its text and its stack.
const framesPerProcess = 3

// AdmitFrames is how many user frames admission keeps for each live
// process: an instruction typically needs its text page and one data
// page at once.
const AdmitFrames = 2

// canAdmit reports whether memory can hold one more process and still
// leave every live process AdmitFrames user frames: admitting more would
// only make them all thrash, each evicting the pages the others need
// (a simple form of load control).
func (k *Kernel) canAdmit() bool {
	live := 0
	for _, q := range k.procs {
		if q.State != Zombie {
			live++
		}
	}
	user := k.Frames.Len() - 1 - k.Frames.KernelCount() - framesPerProcess
	return user >= AdmitFrames*(live+1)
}

// spawnChild creates the child process and makes it runnable.
func (k *Kernel) spawnChild(p *Process, img *image.Image, argv []string) (int32, bool) {
	child, err := k.Spawn(img, argv)
	if err == errWaitForFrame {
		k.block(p, framesChannel{}, "a free frame")
		k.restartSyscall(p)
		return 0, false
	}
	if err != nil {
		if k.tracing(TraceSyscalls) {
			k.trace(TraceSyscalls, "pid %d: spawn %q: %v", p.PID, argv[0], err)
		}
		return ENOMEM, true
	}
	child.Parent = p
	return int32(child.PID), true
}

// waitChannel is what a parent waiting for its children sleeps on.
type waitChannel struct{ parent *Process }

// sysWait waits for the child pid (-1: any child) to exit and returns its
// pid, with its exit status in r1; ECHILD if p has no such child.
func sysWait(k *Kernel, p *Process, a [6]uint32) (int32, bool) {
	pid := int32(a[0])
	found := false
	for _, c := range k.procs {
		if c.Parent != p || (pid != -1 && int32(c.PID) != pid) {
			continue
		}
		found = true
		if c.State == Zombie {
			p.Ctx.R[1] = uint32(c.Status)
			k.reap(c)
			return int32(c.PID), true
		}
	}
	if !found {
		return ECHILD, true
	}
	k.block(p, waitChannel{p}, "a child's exit")
	k.restartSyscall(p)
	return 0, false
}

// reap removes a zombie from the process table.
func (k *Kernel) reap(z *Process) {
	for i, q := range k.procs {
		if q == z {
			k.procs = append(k.procs[:i], k.procs[i+1:]...)
			return
		}
	}
	panic(fmt.Sprintf("kernel.reap: pid %d is not in the process table", z.PID))
}

// sysGetpid returns the caller's pid.
func sysGetpid(k *Kernel, p *Process, a [6]uint32) (int32, bool) { return int32(p.PID), true }

// sysYield gives the CPU to the next runnable process; it returns 0.
func sysYield(k *Kernel, p *Process, a [6]uint32) (int32, bool) {
	k.yield = true
	return 0, true
}

// sysSleep makes the caller sleep for ticks timer ticks (a tick is one
// time slice, --quantum cycles) and returns 0; 0 ticks is a yield, a
// negative count EINVAL. The sleep is counted on the machine's clock, and
// a clock event wakes the process.
func sysSleep(k *Kernel, p *Process, a [6]uint32) (int32, bool) {
	ticks := int32(a[0])
	switch {
	case ticks < 0:
		return EINVAL, true
	case ticks == 0:
		return sysYield(k, p, a)
	}
	k.stats.Sleeps++
	k.Clock.Schedule(dev.After(k.Clock.Now(), dev.Times(uint64(ticks), k.cfg.Quantum)),
		dev.Event{Cause: isa.Timer, Tag: sleepTag | uint32(p.PID)})
	p.Ctx.R[0] = 0
	k.block(p, sleepChannel(p.PID), "sleep")
	return 0, false
}

// sysTime returns the machine's cycle count, low 32 bits.
func sysTime(k *Kernel, p *Process, a [6]uint32) (int32, bool) {
	return int32(uint32(k.Clock.Now())), true
}

// HeapLimit is as far as the heap may grow: mmap and shared memory are
// placed above it.
const HeapLimit = isa.MmapBase

// sysSbrk moves the end of the heap (the break) by delta bytes and
// returns the old break. It returns EINVAL for a break below the heap's
// start, ENOMEM for one beyond HeapLimit or when static swap cannot be
// reserved for the new pages.
func sysSbrk(k *Kernel, p *Process, a [6]uint32) (int32, bool) {
	h := p.heap
	old := p.brk
	next := int64(old) + int64(int32(a[0]))
	switch {
	case next < int64(h.Start):
		return EINVAL, true
	case next > HeapLimit:
		return ENOMEM, true
	}
	if err := k.resizeHeap(p, uint32(next)); err != nil {
		return ENOMEM, true
	}
	return int32(old), true
}

// resizeHeap moves the break to brk: the heap region ends at the page
// boundary above it. Pages beyond a lowered end are freed, with their
// frames and swap slots. It returns vm.ErrSwapFull if static swap cannot be
// reserved for new pages.
func (k *Kernel) resizeHeap(p *Process, brk uint32) error {
	h := p.heap
	end := mmu.VAddr(isa.PageUp(brk))
	if end > h.End {
		if err := k.reserveSwap(h.Object, h.Index(h.End), int(end-h.End)/isa.PageSize); err != nil {
			return err
		}
	}
	if end < h.End {
		k.unmapRange(p.Space, h, end, h.End)
	}
	h.End, p.brk = end, brk
	return nil
}
