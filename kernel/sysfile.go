package kernel

import (
	"fmt"
	"io"
	"os"

	"toyvm/dev"
	"toyvm/isa"
)

// The system calls on files: open, close, read, and write to a file.
// How a read or write moves its data is in file.go.

// openFlags are the host's flags for each flags value of open: 0 read,
// 1 write (create, truncate), 2 read-write (create).
var openFlags = [...]struct {
	os   int
	mode openMode
}{
	{os.O_RDONLY, modeRead},
	{os.O_WRONLY | os.O_CREATE | os.O_TRUNC, modeWrite},
	{os.O_RDWR | os.O_CREATE, modeRead | modeWrite},
}

// sysOpen opens the file at path inside the root and returns its
// descriptor, the lowest free one from 3. It returns EINVAL for a bad
// flags value, a path that leads out of the root (.., an absolute path,
// a link), or one that names a directory or anything but a regular
// file; ENOENT, EACCES from the host, or for a write to a read-only
// root; EDQUOT for a file to create beyond --file-quota; EFAULT for a
// bad pointer; EAGAIN when MaxOpenFiles are open already.
func sysOpen(k *Kernel, p *Process, a [6]uint32) (int32, bool) {
	if a[1] >= uint32(len(openFlags)) {
		return EINVAL, true
	}
	path, err := k.readString(p, a[0], MaxPath)
	if err != nil {
		return k.userError(p, err, a[0])
	}
	ft := k.filesOf(p)
	if !ft.hasRoom() {
		return EAGAIN, true
	}
	store, err := k.openHostFile(path, openFlags[a[1]].os)
	if err != nil {
		if k.tracing(TraceSyscalls) {
			k.trace(TraceSyscalls, "pid %d: open %q: %v", p.PID, path, err)
		}
		return errnoOf(err), true
	}
	fd, _ := ft.add(&openFile{path: path, store: store, mode: openFlags[a[1]].mode, refs: 1})
	if k.tracing(TraceSyscalls) {
		k.trace(TraceSyscalls, "pid %d: open %q as fd %d", p.PID, path, fd)
	}
	return int32(fd), true
}

// filesOf returns p's file table, creating it at the first use.
func (k *Kernel) filesOf(p *Process) *fileTable {
	if p.files == nil {
		p.files = &fileTable{}
	}
	return p.files
}

// openHostFile opens path inside the root with the host's flags and
// returns it as a disk store, counting a file it creates against the
// quota. It returns the errors of checkOpen and openRegular.
func (k *Kernel) openHostFile(path string, flags int) (*dev.FileStore, error) {
	creates, err := k.checkOpen(path, flags)
	if err != nil {
		return nil, err
	}
	f, err := openRegular(k.root, path, flags)
	if err != nil {
		return nil, err
	}
	if creates {
		k.fileUse.files++
	}
	s, err := dev.NewFileStore(f)
	if err != nil {
		f.Close()
	}
	return s, err
}

// sysClose closes the file at fd and returns 0, or EBADF if none is open
// there. Closing 0, 1 or 2 closes the process's use of the host's
// standard stream: a later read or write of it returns EBADF.
func sysClose(k *Kernel, p *Process, a [6]uint32) (int32, bool) {
	if fd := a[0]; fd < firstFD {
		if p.files.stdClosed(fd) {
			return EBADF, true
		}
		k.filesOf(p).closed[fd] = true
		return 0, true
	}
	f := p.files.get(a[0])
	if f == nil {
		return EBADF, true
	}
	p.files.open[a[0]-firstFD] = nil
	f.release()
	if f.pager != nil {
		k.pokePagers()
	}
	return 0, true
}

// sysRead reads up to len bytes from fd into buf and returns the count,
// 0 at the end of the file. fd 0 is the host's standard input (read at
// once, without the disk); a file is read through the disk. It returns
// EBADF if fd is not open for reading (1, 2, a closed or write-only
// file), EINVAL for a negative length, EFAULT for a bad buffer.
func sysRead(k *Kernel, p *Process, a [6]uint32) (int32, bool) {
	return k.transferCall(p, dev.Read, a)
}

// sysWriteFile writes len bytes from buf to the file at fd (3 or more)
// through the disk and returns the count written, which is short for a
// buffer larger than the lock budget or the quota left. It returns EBADF
// if fd is not open for writing, EINVAL for a negative length, EFAULT for
// a bad buffer, EDQUOT when --file-quota's bytes are used up.
func sysWriteFile(k *Kernel, p *Process, a [6]uint32) (int32, bool) {
	return k.transferCall(p, dev.Write, a)
}

// transferCall serves read or write (op) of fd, buf, len: the first time
// it starts a transfer; after a restart it goes on with the call's own.
func (k *Kernel) transferCall(p *Process, op dev.Op, a [6]uint32) (int32, bool) {
	fd, buf, n := a[0], a[1], int32(a[2])
	f, bad := k.fileFor(p, fd, op)
	switch {
	case bad != 0:
		return bad, true
	case n < 0:
		return EINVAL, true
	}
	t := k.ownTransfer(p, op, fd, buf, uint32(n))
	if t == nil {
		return k.startTransfer(p, f, op, a)
	}
	if t.state == ioDone {
		p.files.io = nil
		return t.result, true
	}
	return k.lockAndMove(p, t)
}

// ownTransfer returns p's transfer in progress if it is the one of the
// call op(fd, buf, n), restarted, or nil. A transfer of another call (the
// process's registers were changed while it waited: only a debugger can)
// is abandoned: its frames are unlocked and its result dropped.
func (k *Kernel) ownTransfer(p *Process, op dev.Op, fd, buf, n uint32) *fileTransfer {
	t := p.files.pending()
	switch {
	case t == nil || t.matches(op, fd, buf, n):
		return t
	case t.state == ioInFlight:
		panic(fmt.Sprintf("kernel.ownTransfer: pid %d runs while its transfer is in flight", p.PID))
	case t.state == ioLocking:
		k.unlockBuffer(t)
	}
	p.files.io = nil
	return nil
}

// fileFor returns the open file behind fd for op, nil for standard input
// (fd 0, read, not closed), or EBADF: fd is not open for op.
func (k *Kernel) fileFor(p *Process, fd uint32, op dev.Op) (*openFile, int32) {
	if fd == 0 && op == dev.Read && !p.files.stdClosed(0) {
		return nil, 0
	}
	f := p.files.get(fd)
	if f == nil || !f.mode.allows(op) {
		return nil, EBADF
	}
	return f, 0
}

// startTransfer begins the call op(fd, buf, n) on file f (nil: standard
// input): it cuts n to what one transfer moves, checks the buffer, takes
// its share of the lock budget and goes on to lock and move. It returns
// 0 for nothing to move (n is 0, or a read at the file's end), EFAULT
// for a bad buffer; when the budget is spent, p waits for it.
func (k *Kernel) startTransfer(p *Process, f *openFile, op dev.Op, a [6]uint32) (int32, bool) {
	buf, n := a[1], a[2]
	want := k.wanted(f, op, buf, n)
	if want == 0 {
		return 0, true
	}
	if err := k.checkUser(p, buf, want, accessOf(op)); err != nil {
		return EFAULT, true
	}
	free := k.lockBudget() - k.lockedForFiles()
	if free <= 0 {
		k.block(p, lockChannel{}, "frames to lock for a transfer")
		k.restartSyscall(p)
		return 0, false
	}
	chunk := k.fitPages(buf, want, free)
	t := &fileTransfer{op: op, fd: a[0], buf: buf, n: n, chunk: chunk,
		pages: spanPages(buf, chunk), file: f, proc: p}
	k.filesOf(p).io = t
	return k.lockAndMove(p, t)
}

// wanted returns the bytes one call may move of the n asked for: no
// more than maxIO, a whole lock budget of pages, or (for a read of a
// file) what the file holds past its offset.
func (k *Kernel) wanted(f *openFile, op dev.Op, buf, n uint32) uint32 {
	n = k.fitPages(buf, min(n, maxIO), k.lockBudget())
	switch {
	case f == nil:
		n = min(n, maxStdinRead)
	case op == dev.Read:
		n = uint32(min(int64(n), max(f.store.Size()-f.offset, 0)))
	}
	return n
}

// maxStdinRead bounds one read of standard input, as a pipe's does: the
// host gives what it has, up to that, and only that much of the buffer
// must be valid.
const maxStdinRead = 4096

// fitPages returns n cut so that the bytes from buf touch at most pages
// pages (at least 1).
func (k *Kernel) fitPages(buf, n uint32, pages int) uint32 {
	room := uint64(pages)*isa.PageSize - uint64(buf%isa.PageSize)
	return uint32(min(uint64(n), room))
}

// lockAndMove locks the rest of t's buffer and moves its data: a file's
// by the disk (p waits for the interrupt), standard input's at once. If a
// page of the buffer must come from disk first, p waits for it and the
// call goes on when the SYS runs again.
func (k *Kernel) lockAndMove(p *Process, t *fileTransfer) (int32, bool) {
	if err := k.lockBuffer(p, t); err != nil {
		if err != errBlocked {
			k.unlockBuffer(t)
			p.files.io = nil
		}
		return k.userError(p, err, t.buf)
	}
	if t.file == nil {
		return k.readStdin(p, t)
	}
	if t.op == dev.Write && !k.chargeQuota(t) {
		k.unlockBuffer(t)
		p.files.io = nil
		return EDQUOT, true
	}
	k.submitTransfer(p, t)
	return 0, false
}

// chargeQuota counts a write's bytes against the file quota, cutting it
// to what is left (a short write). It returns false if nothing is left.
func (k *Kernel) chargeQuota(t *fileTransfer) bool {
	t.chunk = uint32(min(uint64(t.chunk), k.quotaLeft()))
	k.fileUse.bytes += uint64(t.chunk)
	return t.chunk > 0
}

// readStdin reads standard input into t's locked buffer at once (one
// read of the host's, which may return less than asked) and returns the
// count: 0 at its end or if the run has none, EIO for a host error with
// nothing read.
func (k *Kernel) readStdin(p *Process, t *fileTransfer) (int32, bool) {
	data := make([]byte, t.chunk)
	n, err := 0, error(io.EOF)
	if k.cfg.Stdin != nil {
		n, err = k.cfg.Stdin.Read(data)
	}
	data = data[:n]
	for _, b := range k.scatterList(t) {
		data = data[copy(b, data):]
	}
	k.unlockBuffer(t)
	p.files.io = nil
	if n == 0 && err != nil && err != io.EOF {
		return EIO, true
	}
	return int32(n), true
}
