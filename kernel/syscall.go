package kernel

import (
	"fmt"
	"io"
)

// Error results of system calls (docs/isa.md section 10): negative errno values
// returned in r0.
const (
	ENOENT = -2
	EIO    = -5 // toyvm's addition: the host could not read or write
	EBADF  = -9
	ECHILD = -10
	EAGAIN = -11
	ENOMEM = -12
	EACCES = -13
	EFAULT = -14
	EEXIST = -17
	EINVAL = -22
	ENOSYS = -38
	EDQUOT = -122 // toyvm's addition: the run's file quota is used up
)

// Syscall numbers (docs/isa.md section 10).
const (
	SysExit   = 1
	SysWrite  = 2
	SysRead   = 3
	SysOpen   = 4
	SysClose  = 5
	SysSpawn  = 6
	SysWait   = 7
	SysGetpid = 10
	SysSbrk   = 11
	SysYield  = 17
	SysSleep  = 18
	SysTime   = 19
)

// A syscallFunc serves one system call for p with arguments r1-r6. It
// returns the result for r0; done is false when the process no longer
// runs (it exited or was killed) and r0 must be left alone.
type syscallFunc func(k *Kernel, p *Process, args [6]uint32) (result int32, done bool)

type syscallEntry struct {
	name string
	fn   syscallFunc
}

// syscalls is the system call table, indexed by number.
var syscalls = map[uint32]syscallEntry{
	SysExit:   {"exit", sysExit},
	SysWrite:  {"write", sysWrite},
	SysRead:   {"read", sysRead},
	SysOpen:   {"open", sysOpen},
	SysClose:  {"close", sysClose},
	SysSpawn:  {"spawn", sysSpawn},
	SysWait:   {"wait", sysWait},
	SysGetpid: {"getpid", sysGetpid},
	SysSbrk:   {"sbrk", sysSbrk},
	SysYield:  {"yield", sysYield},
	SysSleep:  {"sleep", sysSleep},
	SysTime:   {"time", sysTime},
}

// syscall dispatches the system call whose number is in r0; an unknown
// number returns ENOSYS.
func (k *Kernel) syscall(p *Process) {
	nr := p.Ctx.R[0]
	var args [6]uint32
	copy(args[:], p.Ctx.R[1:7])
	k.stats.Syscalls++
	e, ok := syscalls[nr]
	if !ok {
		if k.tracing(TraceSyscalls) {
			k.trace(TraceSyscalls, "pid %d: syscall %d: unknown -> %s", p.PID, nr, resultText(ENOSYS))
		}
		p.Ctx.R[0] = errno(ENOSYS)
		return
	}
	res, done := e.fn(k, p, args)
	if done {
		if k.tracing(TraceSyscalls) {
			k.trace(TraceSyscalls, "pid %d: %s(%s) -> %s", p.PID, e.name, argText(args), resultText(res))
		}
		p.Ctx.R[0] = uint32(res)
	}
}

// errnoNames are the names of the error results, for traces.
var errnoNames = map[int32]string{ENOENT: "ENOENT", EIO: "EIO", EBADF: "EBADF", ECHILD: "ECHILD",
	EAGAIN: "EAGAIN", ENOMEM: "ENOMEM", EACCES: "EACCES", EFAULT: "EFAULT", EEXIST: "EEXIST",
	EINVAL: "EINVAL", ENOSYS: "ENOSYS", EDQUOT: "EDQUOT"}

// resultText returns a system call's result as a trace shows it: the
// number, and the error's name if it is one ("-22 EINVAL").
func resultText(res int32) string {
	if name, ok := errnoNames[res]; ok {
		return fmt.Sprintf("%d %s", res, name)
	}
	return fmt.Sprint(res)
}

// errno returns an error result as the word r0 holds.
func errno(e int32) uint32 { return uint32(e) }

func argText(a [6]uint32) string {
	return fmt.Sprintf("%#x, %#x, %#x", a[0], a[1], a[2])
}

// sysExit ends the process with status code & 255.
func sysExit(k *Kernel, p *Process, a [6]uint32) (int32, bool) {
	if k.tracing(TraceSyscalls) {
		k.trace(TraceSyscalls, "pid %d: exit(%d)", p.PID, int32(a[0]))
	}
	k.exit(p, int(a[0]&255))
	return 0, false
}

// maxIO bounds how many bytes one read or write moves; a larger request
// moves that many and returns the count, as a short write.
const maxIO = 1 << 20

// sysWrite writes len bytes from buf to file descriptor fd: 1 standard
// output, 2 standard error, 3 and up an open file (sysfile.go). It
// returns the count, EBADF for fd 0 or one not open for writing, EINVAL
// for a negative length, EFAULT for a bad buffer, EIO if the host could
// write none of it.
func sysWrite(k *Kernel, p *Process, a [6]uint32) (int32, bool) {
	fd, buf, n := a[0], a[1], int32(a[2])
	if fd >= firstFD {
		return sysWriteFile(k, p, a)
	}
	w := k.outputFor(p, fd)
	switch {
	case w == nil:
		return EBADF, true
	case n < 0:
		return EINVAL, true
	}
	data, err := k.copyIn(p, buf, min(uint32(n), maxIO))
	if err != nil {
		return k.userError(p, err, buf)
	}
	written, err := w.Write(data)
	if err != nil {
		k.hostOutputFailed(fd, err)
		if written == 0 {
			return EIO, true
		}
	}
	return int32(written), true
}

// outputFor returns the host's stream behind fd (1 or 2) for p, or nil
// if fd is not one, or p has closed it.
func (k *Kernel) outputFor(p *Process, fd uint32) io.Writer {
	switch {
	case p.files.stdClosed(fd):
		return nil
	case fd == 1:
		return k.stdout
	case fd == 2:
		return k.stderr
	}
	return nil
}

// hostOutputFailed tells the user, once a run, that the host would not
// take what a program wrote to its standard output or error (a full
// disk, a closed pipe): the program's write returns EIO, and the run
// goes on, with the program's own exit status.
func (k *Kernel) hostOutputFailed(fd uint32, err error) {
	if !k.outputFailed {
		k.outputFailed = true
		fmt.Fprintf(k.stderr, "toyvm: writing fd %d of the host: %v (the program's write returns EIO)\n", fd, err)
	}
}
