package kernel

import (
	"fmt"
	"io"
	"strings"

	"toyvm/isa"
	"toyvm/mmu"
)

// Syscall numbers (docs/isa.md section 10). Every number of the
// specification has its name here, served or not (an unserved one
// returns ENOSYS); a new call takes the next free number.
const (
	SysExit    = 1
	SysWrite   = 2
	SysRead    = 3
	SysOpen    = 4
	SysClose   = 5
	SysSpawn   = 6
	SysWait    = 7
	SysFork    = 8
	SysExec    = 9
	SysGetpid  = 10
	SysSbrk    = 11
	SysMmap    = 12
	SysMunmap  = 13
	SysShmget  = 14
	SysShmat   = 15
	SysShmdt   = 16
	SysYield   = 17
	SysSleep   = 18
	SysTime    = 19
	SysMlock   = 20
	SysMunlock = 21
	// kit:syscall cut
	SysMincore = 22
	// kit:syscall end

	// Library-OS paging (libos.go, upcall.go).
	SysUpcallEntry  = 32
	SysSelfPage     = 33
	SysFrameAlloc   = 34
	SysFrameInstall = 35
	SysFrameFree    = 36
	SysUpcallReturn = 37

	// User-level pagers (pager.go).
	SysPagerCreate = 40
	SysPagerRecv   = 41
	SysPagerSupply = 42
)

// A syscallFunc serves one system call for p with arguments r1-r6. It
// returns the result for r0; done is false when the process no longer
// runs (it exited or was killed) or must run the call again, and r0 must
// be left alone.
type syscallFunc func(k *Kernel, p *Process, args [6]uint32) (result int32, done bool)

// syscallEntry is one system call: its number, its name, the names of
// its arguments (in r1, r2, ...; a name starting with * is an address,
// shown in hex) and the function that serves it.
type syscallEntry struct {
	nr   uint32
	name string
	args []string
	fn   syscallFunc
}

// syscallTable is every system call the kernel serves, one a line. To
// add one: a number above, a line here, and its function.
var syscallTable = []syscallEntry{
	{nr: SysExit, name: "exit", args: []string{"code"}, fn: sysExit},
	{nr: SysWrite, name: "write", args: []string{"fd", "*buf", "len"}, fn: sysWrite},
	{nr: SysRead, name: "read", args: []string{"fd", "*buf", "len"}, fn: sysRead},
	{nr: SysOpen, name: "open", args: []string{"*path", "flags"}, fn: sysOpen},
	{nr: SysClose, name: "close", args: []string{"fd"}, fn: sysClose},
	{nr: SysSpawn, name: "spawn", args: []string{"*path", "*argv"}, fn: sysSpawn},
	{nr: SysWait, name: "wait", args: []string{"pid"}, fn: sysWait},
	{nr: SysFork, name: "fork", fn: sysFork},
	{nr: SysExec, name: "exec", args: []string{"*path", "*argv"}, fn: sysExec},
	{nr: SysGetpid, name: "getpid", fn: sysGetpid},
	{nr: SysSbrk, name: "sbrk", args: []string{"delta"}, fn: sysSbrk},
	{nr: SysMmap, name: "mmap", args: []string{"*addr", "len", "prot", "flags", "fd", "offset"}, fn: sysMmap},
	{nr: SysMunmap, name: "munmap", args: []string{"*addr", "len"}, fn: sysMunmap},
	{nr: SysShmget, name: "shmget", args: []string{"key", "size"}, fn: sysShmget},
	{nr: SysShmat, name: "shmat", args: []string{"id"}, fn: sysShmat},
	{nr: SysShmdt, name: "shmdt", args: []string{"*addr"}, fn: sysShmdt},
	{nr: SysYield, name: "yield", fn: sysYield},
	{nr: SysSleep, name: "sleep", args: []string{"ticks"}, fn: sysSleep},
	{nr: SysTime, name: "time", fn: sysTime},
	{nr: SysMlock, name: "mlock", args: []string{"*addr", "len"}, fn: sysMlock},
	{nr: SysMunlock, name: "munlock", args: []string{"*addr", "len"}, fn: sysMunlock},
	// kit:syscall cut
	{nr: SysMincore, name: "mincore", args: []string{"*addr", "len", "*vec"}, fn: sysMincore},
	// kit:syscall end
	{nr: SysUpcallEntry, name: "upcall_entry", args: []string{"*entry", "*stack"}, fn: sysUpcallEntry},
	{nr: SysSelfPage, name: "selfpage", args: []string{"*addr", "len", "prot"}, fn: sysSelfPage},
	{nr: SysFrameAlloc, name: "frame_alloc", fn: sysFrameAlloc},
	{nr: SysFrameInstall, name: "frame_install", args: []string{"*addr", "*cap", "prot"}, fn: sysFrameInstall},
	{nr: SysFrameFree, name: "frame_free", args: []string{"*cap"}, fn: sysFrameFree},
	{nr: SysUpcallReturn, name: "upcall_return", fn: sysUpcallReturn},
	{nr: SysPagerCreate, name: "pager_create", args: []string{"pages"}, fn: sysPagerCreate},
	{nr: SysPagerRecv, name: "pager_recv", args: []string{"fd", "*buf"}, fn: sysPagerRecv},
	{nr: SysPagerSupply, name: "pager_supply", args: []string{"fd", "index", "*buf"}, fn: sysPagerSupply},
}

// maxSyscall bounds the numbers of system calls.
const maxSyscall = 64

// syscalls is syscallTable indexed by number, for the dispatch.
var syscalls = indexSyscalls(syscallTable)

// indexSyscalls returns the table indexed by number. A number out of
// range or given twice is a broken table: it panics.
func indexSyscalls(table []syscallEntry) *[maxSyscall]*syscallEntry {
	var index [maxSyscall]*syscallEntry
	for i := range table {
		e := &table[i]
		if e.nr >= maxSyscall || index[e.nr] != nil || len(e.args) > 6 {
			panic(fmt.Sprintf("kernel.indexSyscalls: bad entry for %s (number %d)", e.name, e.nr))
		}
		index[e.nr] = e
	}
	return &index
}

// SyscallInfo describes a system call the kernel serves, for the
// debugger and for tests: its number, name and arguments ("*" marks an
// address).
type SyscallInfo struct {
	Nr   uint32
	Name string
	Args []string
}

// Syscalls returns every system call the kernel serves, by number.
func Syscalls() []SyscallInfo {
	var out []SyscallInfo
	for _, e := range syscalls {
		if e != nil {
			out = append(out, SyscallInfo{e.nr, e.name, e.args})
		}
	}
	return out
}

// SyscallText returns the call of system call nr by p with the
// arguments in args (r1-r6) as a trace shows it: "write(fd=1,
// buf=0x2000, len=13)", with a path shown as the string it points at
// when that is in memory ("open(path=\"in.txt\", flags=0)"); "syscall 99"
// for a number the kernel does not serve.
func (k *Kernel) SyscallText(p *Process, nr uint32, args [6]uint32) string {
	if nr >= maxSyscall || syscalls[nr] == nil {
		return fmt.Sprintf("syscall %d", int32(nr))
	}
	e := syscalls[nr]
	parts := make([]string, len(e.args))
	for i, name := range e.args {
		parts[i] = k.argText(p, name, args[i])
	}
	return e.name + "(" + strings.Join(parts, ", ") + ")"
}

// argText returns one argument as name=value: an address in hex, a path
// as its string if it is all in memory, anything else in signed decimal.
func (k *Kernel) argText(p *Process, name string, v uint32) string {
	addr, isAddr := strings.CutPrefix(name, "*")
	switch {
	case !isAddr:
		return fmt.Sprintf("%s=%d", name, int32(v))
	case addr == "path":
		if s, ok := k.peekString(p, v, 64); ok {
			return fmt.Sprintf("%s=%q", addr, s)
		}
	}
	return fmt.Sprintf("%s=%#x", addr, v)
}

// peekString returns the NUL-terminated string at va in p's memory if it
// is present, shorter than max, and readable by p; it pages nothing in.
func (k *Kernel) peekString(p *Process, va uint32, max int) (string, bool) {
	var b []byte
	for i := range uint32(max) {
		r := p.Space.Region(mmu.VAddr(va + i))
		c, ok := k.fetchByte(p, va+i)
		if r == nil || !r.Prot.Allows(isa.Read) || !ok {
			return "", false
		}
		if c == 0 {
			return string(b), true
		}
		b = append(b, c)
	}
	return "", false
}

// syscall dispatches the system call whose number is in r0; an unknown
// number returns ENOSYS.
func (k *Kernel) syscall(p *Process) {
	nr := p.Ctx.R[0]
	var args [6]uint32
	copy(args[:], p.Ctx.R[1:7])
	k.stats.Syscalls++
	text := ""
	if k.tracing(TraceSyscalls) {
		text = k.SyscallText(p, nr, args) // before the call: exec replaces what its arguments point at
	}
	res, done := int32(ENOSYS), true
	if nr < maxSyscall && syscalls[nr] != nil {
		res, done = syscalls[nr].fn(k, p, args)
	}
	k.lastCall = syscallRecord{p, nr, args, res, done}
	if text != "" {
		k.traceSyscall(p, text, k.lastCall.outcome())
	}
	if done {
		p.Ctx.R[0] = uint32(res)
	}
}

// syscallRecord is the last system call, for the debugger.
type syscallRecord struct {
	p    *Process
	nr   uint32
	args [6]uint32
	res  int32
	done bool
}

// outcome says what became of the call: its result, or why it did not
// return ("" for a call that waits: it is traced when it completes).
func (c syscallRecord) outcome() string {
	switch {
	case c.done:
		return "-> " + resultText(c.res)
	case c.p.State == Zombie:
		return "ends the process"
	case c.p.State == Runnable && c.nr == SysUpcallReturn:
		return "does not return: resumes the interrupted instruction"
	case c.p.State == Runnable:
		return "does not return: runs the new image"
	}
	return ""
}

// LastSyscall returns the last system call as a trace shows it, with its
// result ("pid 1: write(fd=1, buf=0x2000, len=13) -> 13"), or with what
// became of a call that did not return: "waits", "ends the process",
// "does not return: runs the new image".
func (k *Kernel) LastSyscall() string {
	c := k.lastCall
	if c.p == nil {
		return "none yet"
	}
	text := fmt.Sprintf("pid %d: %s", c.p.PID, k.SyscallText(c.p, c.nr, c.args))
	switch out := c.outcome(); {
	case c.done:
		return text + " " + out
	case out != "":
		return text + ": " + out
	}
	return text + ": waits"
}

// traceSyscall traces the call text of p, with what became of it; a
// call that waits (no outcome yet) is traced when it completes.
func (k *Kernel) traceSyscall(p *Process, text, outcome string) {
	switch {
	case strings.HasPrefix(outcome, "->"):
		k.trace(TraceSyscalls, "pid %d: %s %s", p.PID, text, outcome)
	case outcome == "ends the process":
		k.trace(TraceSyscalls, "pid %d: %s", p.PID, text)
	case outcome != "":
		k.trace(TraceSyscalls, "pid %d: %s: %s", p.PID, text, outcome)
	}
}

// resultText returns a system call's result as a trace shows it: the
// number, and the error's name if it is one ("-22 EINVAL").
func resultText(res int32) string {
	if name := ErrnoName(res); name != "" {
		return fmt.Sprintf("%d %s", res, name)
	}
	return fmt.Sprint(res)
}

// sysExit ends the process with status code & 255.
func sysExit(k *Kernel, p *Process, a [6]uint32) (int32, bool) {
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
