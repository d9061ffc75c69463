package kernel

import (
	"fmt"

	"toyvm/dev"
	"toyvm/kernel/policy"
	"toyvm/kernel/vm"
	"toyvm/mmu"
)

// Pages move between memory and the disk by DMA. While a transfer is in
// flight its frame is busy and locked: the replacement policy never
// chooses it, a second fault on its page waits instead of reading it
// again, and the process that needs it sleeps while others run. The
// disk's completion interrupt finishes the job (diskDone).

// pageTransfer is what the kernel keeps with a disk request of a page.
type pageTransfer struct {
	page  *vm.Page
	frame uint32
	slot  vm.Slot // for a write-back: the slot written
	valid int     // for a read: the bytes read; the rest of the page is zeros
	// For a read: where to map the page when it arrives, the fault's
	// address space, region and address.
	space  *vm.AddressSpace
	region *vm.Region
	va     mmu.VAddr
	file   *mappedFile // the mapped file read or written, nil for swap and images
	// ahead: the pages read in the same request after this one (a read
	// ahead, readahead.go), each with its frame and bytes.
	ahead []*pageTransfer
}

// all returns t and the transfers read with it.
func (t *pageTransfer) all() []*pageTransfer {
	if len(t.ahead) == 0 {
		return []*pageTransfer{t}
	}
	return append([]*pageTransfer{t}, t.ahead...)
}

// startPageIn reads page pg (already given its frame) from store at off
// for p's fault at va in region r, and makes p wait for it.
func (k *Kernel) startPageIn(p *Process, r *vm.Region, pg *vm.Page, va mmu.VAddr, store dev.Store, off int64, n int) {
	buf := k.Phys.Frame(pg.Frame)
	k.Frames.Lock(pg.Frame)
	t := &pageTransfer{page: pg, frame: pg.Frame, valid: n, space: p.Space, region: r, va: va,
		file: k.mappedFiles[pg.Home()]}
	t.file.begin()
	tag := k.Disk.Submit(&dev.Request{Op: dev.Read, Store: store, Offset: off, Bufs: [][]byte{buf[:n]}, Owner: t})
	if store == k.swap.Store {
		k.lastSwap = swapNote{in: true, page: pg, pid: p.PID, va: va, slot: pg.Slot, frame: pg.Frame}
	}
	if k.tracing(TraceFaults) {
		k.trace(TraceFaults, "pid %d: read %s from %s@%#x into frame %#x (disk tag %d)",
			p.PID, va, store.Name(), off, pg.Frame, tag)
	}
	k.block(p, pg, "page in from disk")
}

// startPageOut writes page pg from its frame to swap slot s; the frame
// stays busy and locked until the write completes, then joins the pool.
func (k *Kernel) startPageOut(pg *vm.Page, s vm.Slot) {
	k.Frames.Get(pg.Frame).State = vm.FrameBusy
	k.Frames.Lock(pg.Frame)
	tag := k.Disk.Submit(&dev.Request{Op: dev.Write, Store: k.swap.Store, Offset: k.swap.Offset(s),
		Bufs: [][]byte{k.Phys.Frame(pg.Frame)}, Owner: &pageTransfer{page: pg, frame: pg.Frame, slot: s}})
	k.stats.SwapOuts++
	k.lastSwap = swapNote{page: pg, slot: s, frame: pg.Frame}
	k.pendingWrites++
	pg.Writing = true
	if k.tracing(TraceDisk) {
		k.trace(TraceDisk, "write frame %#x to swap slot %d (disk tag %d)", pg.Frame, s, tag)
	}
}

// startWriteBack writes page pg, dirty, of a file mapped shared back to
// the file, the part of it before the file's end; the frame stays busy
// and locked until the write completes, then joins the pool. A page
// wholly past the file's end has nothing to write: it is clean. A page
// of a pager's object is sent to the pager (pager.go), and is clean at
// once.
func (k *Kernel) startWriteBack(pg *vm.Page) {
	if _, ok := pg.Home().Source.(vm.PagerSource); ok {
		k.sendPageOut(k.pagerOf(pg), pg)
	}
	store, off, n := pg.Home().Source.Locate(pg.Index)
	if store == nil {
		pg.Dirty = false
		k.Frames.ToPool(pg.Frame)
		return
	}
	k.Frames.Get(pg.Frame).State = vm.FrameBusy
	k.Frames.Lock(pg.Frame)
	t := &pageTransfer{page: pg, frame: pg.Frame, slot: vm.NoSlot, file: k.mappedFiles[pg.Home()]}
	t.file.begin()
	tag := k.Disk.Submit(&dev.Request{Op: dev.Write, Store: store, Offset: off,
		Bufs: [][]byte{k.Phys.Frame(pg.Frame)[:n]}, Owner: t})
	k.stats.FileWritebacks++
	k.pendingWrites++
	pg.Writing = true
	if k.tracing(TraceDisk) {
		k.trace(TraceDisk, "write frame %#x back to %s@%#x (disk tag %d)", pg.Frame, store.Name(), off, tag)
	}
}

// diskDone serves the disk's completion interrupt for request tag.
func (k *Kernel) diskDone(tag uint32) {
	req, ok := k.Disk.Complete(tag)
	if !ok {
		panic(fmt.Sprintf("kernel.diskDone: no disk request with tag %d is due", tag))
	}
	if req.Err != nil && k.retryDisk(req) {
		return
	}
	if k.tracing(TraceDisk) {
		k.trace(TraceDisk, "done: %v", req)
	}
	defer k.wakeup(framesChannel{}) // frames may have been unlocked or freed
	switch t := req.Owner.(type) {
	case *pageTransfer:
		for _, x := range t.all() {
			k.Frames.Unlock(x.frame)
		}
		t.file.end()
		if req.Op == dev.Write {
			k.pageOutDone(t, req.Err)
			break
		}
		for _, x := range t.all() {
			k.pageInDone(x, req.Err)
		}
	case *fileTransfer:
		k.fileDone(t, req)
	default:
		panic(fmt.Sprintf("kernel.diskDone: a request of unknown kind %T", req.Owner))
	}
}

// MaxDiskTries is how many times a failed disk request is submitted in
// all before the kernel gives up on it.
const MaxDiskTries = 4

// retryDisk submits a failed request again, unless it has had its
// MaxDiskTries; it returns false (and counts a failure) when it has.
func (k *Kernel) retryDisk(req *dev.Request) bool {
	if req.Tries >= MaxDiskTries {
		k.stats.DiskFailures++
		if k.tracing(TraceDisk) {
			k.trace(TraceDisk, "failed: %v (%v): given up after %d tries", req, req.Err, req.Tries)
		}
		return false
	}
	k.stats.DiskRetries++
	if k.tracing(TraceDisk) {
		k.trace(TraceDisk, "failed: %v (%v): try %d of %d", req, req.Err, req.Tries+1, MaxDiskTries)
	}
	k.Disk.Submit(req)
	return true
}

// pageInDone makes a page that has arrived resident and maps it where
// the fault that read it asked, unless that address space no longer has
// that region (its process exited, or unmapped it): then the page stays
// resident, mapped nowhere, for a sharer to map or the policy to evict.
// A page no object holds any more is freed. A page that could not be read
// is given up (pageInFailed).
func (k *Kernel) pageInDone(t *pageTransfer, err error) {
	if err != nil {
		k.pageInFailed(t, err)
		return
	}
	clear(k.Phys.Frame(t.frame)[t.valid:])
	pg := t.page
	k.wakeup(pg)
	if pg.Gone() {
		k.Frames.Release(t.frame)
		pg.Frame = 0
		return
	}
	k.becomeResident(t.frame)
	if t.space != nil && t.space.Region(t.va) == t.region && t.region.Object.Lookup(t.region.Index(t.va)) == pg {
		k.mapPage(t.space, t.region, pg, t.va)
	}
}

// pageInFailed gives up a page the disk could not read: its frame is
// freed and the page stays where it was (in swap or its source). The
// process that faulted on it is killed with 135, as Unix sends SIGBUS for
// a page that cannot be read; any other waiter wakes and tries again.
func (k *Kernel) pageInFailed(t *pageTransfer, err error) {
	pg := t.page
	pg.Frame, pg.Ahead = 0, false
	k.Frames.Release(t.frame)
	if t.space == nil { // read ahead: nobody faulted on it
		k.wakeup(pg)
		return
	}
	owner := k.waiterIn(pg, t.space)
	k.wakeup(pg)
	if owner != nil {
		k.killProcess(owner, busKill(t.va, err), owner.Ctx.PC)
	}
}

// waiterIn returns the process of address space as if it waits for page
// pg: the one whose fault read it; nil if it does not (it exited).
func (k *Kernel) waiterIn(pg *vm.Page, as *vm.AddressSpace) *Process {
	for _, p := range k.procs {
		if p.State == Blocked && p.channel == pg && p.Space == as {
			return p
		}
	}
	return nil
}

// pageOutDone puts a written-back page's frame in the free pool: its
// contents are safe in swap now, but a fault on it before the frame is
// reused reclaims it without I/O. A page no object holds any more is
// freed, frame and slot. A page that could not be written stays in
// memory (pageOutFailed). A write that succeeded is no longer pending
// (pendingWrites), its page no longer Writing, and whoever waits for the
// page or for a frame is woken. A page written to swap keeps its slot
// and is clean; the write-back is announced to the extensions (an
// EvWriteBack event, when one is hooked) before the frame joins the pool.
func (k *Kernel) pageOutDone(t *pageTransfer, err error) {
	// kit:daemon begin
	if err != nil {
		k.pageOutFailed(t)
		return
	}
	k.pendingWrites--
	pg := t.page
	pg.Writing = false
	k.wakeup(pg)
	k.wakeup(framesChannel{})
	if pg.Gone() {
		k.Frames.Release(t.frame)
		if t.slot != vm.NoSlot {
			k.swap.Release(t.slot)
		}
		pg.Frame, pg.Slot = 0, vm.NoSlot
		return
	}
	if t.slot != vm.NoSlot {
		pg.Slot = t.slot
	}
	pg.Dirty = false
	if k.hooked(EvWriteBack) {
		k.dispatch(&Event{Kind: EvWriteBack, Page: pg, Frame: t.frame})
	}
	k.Frames.ToPool(t.frame)
	// kit:daemon end
}

// framesChannel is what a process waiting for any free frame sleeps on.
type framesChannel struct{}

// policyPage is the replacement policy's name for a frame.
func policyPage(frame uint32) policy.Page { return policy.Page(frame) }

// pageOutFailed keeps a page whose write-back failed: it stays resident
// and dirty, so that nothing is lost, and a later eviction writes it to
// another slot (dynamic layout; the static layout has only its own). It
// lets go of the slot it was written to. A page no object holds any more
// is freed as after a write.
func (k *Kernel) pageOutFailed(t *pageTransfer) {
	k.pendingWrites--
	pg := t.page
	pg.Writing = false
	k.wakeup(pg)
	if t.slot != vm.NoSlot {
		k.swap.Release(t.slot)
		pg.Slot = vm.NoSlot
	}
	if pg.Gone() {
		k.Frames.Release(t.frame)
		pg.Frame = 0
		return
	}
	pg.Dirty = true
	k.becomeResident(t.frame)
}
