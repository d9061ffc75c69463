package kernel

import (
	"toyvm/dev"
	"toyvm/isa"
	"toyvm/kernel/vm"
	"toyvm/mmu"
)

// Files are read and written through the disk, by DMA, like pages: a
// read or write of a file locks the frames of the user buffer, submits
// one disk request whose scatter list is the slices of those frames, and
// blocks the process until the disk's interrupt. The locked frames are
// never chosen as victims (the daemon skips locked frames), so the disk
// moves the data straight into or out of the process's memory.
//
// Such a call waits twice, in the style of wait.go: while the frames of
// its buffer are being paged in (a page needing the disk), and while its
// request is in flight. Each time it goes back to its SYS, as every
// system call that waits does, but it leaves its fileTransfer in the
// process's file table. When the SYS runs again with the same arguments
// (it must: the process has not run in between), the call finds its
// transfer and goes on from where it was: more pages to lock, or the
// finished result to return. So nothing is done twice and no data is
// lost between the restarts.
//
// A buffer larger than the lock budget (a quarter of memory, shared by
// all transfers) is moved one part at a time: the call moves what fits
// and returns that count, a short read or write, as Unix allows; the
// program calls again for the rest.

// MaxOpenFiles is the size of a process's file table: descriptors 3 to
// MaxOpenFiles+2 (0, 1 and 2 are the host's standard streams). open
// beyond it returns EAGAIN, as spawn does when the process table is full.
const MaxOpenFiles = 64

// firstFD is the lowest descriptor open returns.
const firstFD = 3

// openMode says what an open file may be used for.
type openMode uint8

const (
	modeRead openMode = 1 << iota
	modeWrite
)

// allows reports whether a file opened in mode m may serve op.
func (m openMode) allows(op dev.Op) bool {
	if op == dev.Read {
		return m&modeRead != 0
	}
	return m&modeWrite != 0
}

// openFile is a file a process has open: the host file as the disk sees
// it, what it was opened for, and the offset of the next read or write.
// After a fork, parent and child share it, offset and all, as Unix
// processes share an open file description: refs counts its users (the
// descriptors that name it, and a transfer in flight of an exited
// process), and the host file is closed with the last.
type openFile struct {
	path   string
	store  *dev.FileStore // nil for a pager's object
	pager  *pagerObject   // the pager's object it names (pager.go), or nil
	mode   openMode
	offset int64
	refs   int
}

// release drops one use of f, closing the host file with the last.
func (f *openFile) release() {
	if f.refs--; f.refs == 0 && f.store != nil {
		f.store.Close()
	}
}

// fork returns the child's copy of the file table: the same open files
// (shared, each with one more use), the same standard streams closed, no
// transfer in progress. A nil table forks to nil.
func (ft *fileTable) fork() *fileTable {
	if ft == nil {
		return nil
	}
	c := &fileTable{open: ft.open, closed: ft.closed}
	for _, f := range c.open {
		if f != nil {
			f.refs++
		}
	}
	return c
}

// fileTable is a process's open files, by descriptor, the standard
// streams it has closed, and the read or write it has in progress (at
// most one: the process waits for it).
type fileTable struct {
	open   [MaxOpenFiles]*openFile
	closed [firstFD]bool // fd 0, 1, 2 closed by the process
	io     *fileTransfer
}

// stdClosed reports whether fd is a standard stream (0, 1, 2) the process
// has closed. A nil table has closed nothing.
func (ft *fileTable) stdClosed(fd uint32) bool {
	return ft != nil && fd < firstFD && ft.closed[fd]
}

// get returns the file open at fd, or nil if none is (also for a nil
// table: a process that never opened a file).
func (ft *fileTable) get(fd uint32) *openFile {
	if ft == nil || fd < firstFD || fd-firstFD >= MaxOpenFiles {
		return nil
	}
	return ft.open[fd-firstFD]
}

// add puts f at the lowest free descriptor and returns it; ok is false
// when the table is full.
func (ft *fileTable) add(f *openFile) (fd uint32, ok bool) {
	for i, g := range ft.open {
		if g == nil {
			ft.open[i] = f
			return uint32(i) + firstFD, true
		}
	}
	return 0, false
}

// openFiles returns the files open in the table (none for a nil table).
func (ft *fileTable) openFiles() []*openFile {
	if ft == nil {
		return nil
	}
	var out []*openFile
	for _, f := range ft.open {
		if f != nil {
			out = append(out, f)
		}
	}
	return out
}

// hasRoom reports whether a descriptor is free.
func (ft *fileTable) hasRoom() bool {
	for _, f := range ft.open {
		if f == nil {
			return true
		}
	}
	return false
}

// ioState is where a file transfer is in its life.
type ioState uint8

const (
	ioLocking  ioState = iota // locking the frames of the buffer, page by page
	ioInFlight                // the disk request is queued or in service
	ioDone                    // finished: result waits for the restarted SYS
)

// fileTransfer is one read or write of a file (or read of standard
// input) by a system call, from the locking of its buffer to the result
// the call returns. It is also the Owner of its disk request.
type fileTransfer struct {
	op     dev.Op // dev.Read: file to memory; dev.Write: memory to file
	fd     uint32 // the call's arguments: the restarted SYS finds its own
	buf    uint32 // transfer by them
	n      uint32
	chunk  uint32   // the bytes this call moves: n cut to the file's end and the lock budget
	pages  int      // the pages of [buf, buf+chunk): the frames it may lock
	frames []uint32 // the frames locked so far, in buffer order
	file   *openFile
	proc   *Process // nil once the process has exited
	state  ioState
	result int32
}

// matches reports whether t is the transfer of the call op(fd, buf, n).
func (t *fileTransfer) matches(op dev.Op, fd, buf, n uint32) bool {
	return t.op == op && t.fd == fd && t.buf == buf && t.n == n
}

// spanPages returns how many pages the n bytes at va touch.
func spanPages(va, n uint32) int {
	return int((uint64(va%isa.PageSize) + uint64(n) + isa.PageSize - 1) / isa.PageSize)
}

// lockBudget is how many frames the file transfers of all processes may
// hold locked at once: a quarter of memory, so that paging goes on.
func (k *Kernel) lockBudget() int { return max(1, k.Frames.Len()/4) }

// lockedForFiles counts the frames that file transfers hold or will
// lock: those of the transfers of live processes not yet done, and those
// of exited processes' transfers still in flight.
func (k *Kernel) lockedForFiles() int {
	n := 0
	for _, p := range k.procs {
		if t := p.files.pending(); t != nil && t.state != ioDone {
			n += t.pages
		}
	}
	for _, req := range k.Disk.Pending() {
		if t, ok := req.Owner.(*fileTransfer); ok && t.proc == nil {
			n += t.pages
		}
	}
	return n
}

// pending returns the transfer in progress, or nil (also for a nil table).
func (ft *fileTable) pending() *fileTransfer {
	if ft == nil {
		return nil
	}
	return ft.io
}

// lockChannel is what a process waiting for the lock budget sleeps on.
type lockChannel struct{}

// lockBuffer makes each page of t's buffer present and locks its frame,
// going on from the pages locked before a restart. It returns nil when
// all are locked, or the errors of userAddr: errBlocked (p waits for a
// page; the frames locked so far stay locked) or a killError.
func (k *Kernel) lockBuffer(p *Process, t *fileTransfer) error {
	acc := accessOf(t.op)
	for i := len(t.frames); i < t.pages; i++ {
		va := max(t.buf, isa.PageDown(t.buf)+uint32(i)*isa.PageSize)
		pa, err := k.userAddr(p, va, acc, true)
		if err != nil {
			return err
		}
		f := uint32(pa) / isa.PageSize
		k.Frames.Lock(f)
		t.frames = append(t.frames, f)
	}
	return nil
}

// accessOf returns how a transfer op uses the user buffer: a read of a
// file writes it, a write of a file reads it.
func accessOf(op dev.Op) isa.Access {
	if op == dev.Read {
		return isa.Write
	}
	return isa.Read
}

// unlockBuffer unlocks the frames t locked and gives back its share of
// the lock budget, waking whoever waits for it.
func (k *Kernel) unlockBuffer(t *fileTransfer) {
	for _, f := range t.frames {
		k.Frames.Unlock(f)
	}
	t.frames, t.pages = nil, 0
	k.wakeup(lockChannel{})
}

// scatterList returns the DMA buffers of t: the part of each locked frame
// that [buf, buf+chunk) covers, in order.
func (k *Kernel) scatterList(t *fileTransfer) [][]byte {
	bufs := make([][]byte, len(t.frames))
	va, left := t.buf, t.chunk
	for i, f := range t.frames {
		n := min(left, isa.PageSize-va%isa.PageSize)
		bufs[i] = k.physBytes(vm.FrameAddr(f)+mmu.PAddr(va%isa.PageSize), n)
		va, left = va+n, left-n
	}
	return bufs
}

// submitTransfer queues t's disk request and makes p wait for it; the
// SYS runs again when it completes.
func (k *Kernel) submitTransfer(p *Process, t *fileTransfer) {
	t.state = ioInFlight
	tag := k.Disk.Submit(&dev.Request{Op: t.op, Store: t.file.store, Offset: t.file.offset,
		Bufs: k.scatterList(t), Owner: t})
	if k.tracing(TraceDisk) {
		k.trace(TraceDisk, "pid %d: %s fd %d (%s) @%#x+%d, %d frames locked (disk tag %d)",
			p.PID, t.op, t.fd, t.file.path, t.file.offset, t.chunk, len(t.frames), tag)
	}
	k.block(p, t, "file "+t.op.String())
	k.restartSyscall(p)
}

// fileDone finishes a file transfer at the disk's interrupt: it unlocks
// the buffer, advances the file's offset, keeps the result for the
// restarted SYS and wakes the process. A host error (a full disk) gives
// EIO. The transfer of an exited process is only cleaned up.
func (k *Kernel) fileDone(t *fileTransfer, req *dev.Request) {
	if t.proc == nil {
		k.orphanDone(t)
		return
	}
	k.unlockBuffer(t)
	t.state, t.result = ioDone, int32(t.chunk)
	if req.Err != nil {
		t.result = EIO
		if t.op == dev.Write {
			k.fileUse.bytes -= uint64(t.chunk) // nothing was written
		}
	} else {
		t.file.offset += int64(t.chunk)
	}
	k.wakeup(t)
}

// closeFiles closes every file of an exiting process and abandons its
// transfer in progress: locked frames are unlocked, but a request in
// flight keeps its frames and its file until the disk is done with them
// (orphanDone).
func (k *Kernel) closeFiles(p *Process) {
	ft := p.files
	if ft == nil {
		return
	}
	if t := ft.io; t != nil {
		k.abandon(t)
	}
	for _, f := range ft.open {
		if f != nil {
			f.release()
		}
	}
	p.files = nil
}

// abandon gives up the transfer of an exiting process. A request in
// flight keeps a use of its file, and its frames locked: when the address
// space goes, those of pages no one else holds become busy
// (freePageFrame), and orphanDone frees them when the disk is done.
func (k *Kernel) abandon(t *fileTransfer) {
	switch t.state {
	case ioLocking:
		k.unlockBuffer(t)
	case ioInFlight:
		t.proc = nil
		t.file.refs++
	}
}

// orphanDone cleans up after the transfer of an exited process: its
// frames are unlocked, those of pages no object holds any more freed,
// and its file closed.
func (k *Kernel) orphanDone(t *fileTransfer) {
	frames := t.frames
	k.unlockBuffer(t)
	for _, f := range frames {
		if fr := k.Frames.Get(f); fr.State == vm.FrameBusy && fr.Page.Gone() {
			fr.Page.Frame = 0
			k.Frames.Release(f)
		}
	}
	t.file.release()
	k.wakeup(framesChannel{})
}
