package kernel

import (
	"cmp"
	"fmt"
	"maps"
	"slices"

	"toyvm/isa"
	"toyvm/kernel/vm"
	"toyvm/mmu"
)

// User-level pagers: policy in a process, mechanism in the kernel. A
// process becomes the pager of a new memory object with pager_create,
// which returns a descriptor for it; the descriptor is inherited by fork
// and kept by exec, and any process holding it maps the object with mmap
// (MAP_SHARED), the pager too. The pages of the object come from the
// pager: a fault on a page the kernel does not hold gives the page a
// frame (busy and locked, as for a disk read), sends the pager a
// page-in request, and makes the faulting process wait; the pager takes
// requests with pager_recv and answers a page-in with pager_supply,
// whose bytes the kernel copies into the locked frame before it maps
// the page and wakes the waiters, as the disk's interrupt does. When the
// kernel evicts a dirty page of the object, it sends the pager a
// page-out request with the page's bytes (the page is clean from then
// on: the pager keeps them, and supplies them again at the next
// page-in). Requests are received in the order they were made.
//
// A pager that exits leaves the pages in memory usable; every process
// waiting for a page of its objects is killed (135, as Unix sends SIGBUS
// for a page of a mapped file that cannot be read), as is every later
// fault on a page not in memory. One that does not answer a page-in
// within PagerTimeout cycles has its waiting clients killed the same
// way; and when every process waits and nothing can wake them (a pager
// waiting for its own client, say), those waiting for a pager are
// killed, then, if nobody can run still, the pagers waiting for a
// request.

// PagerTimeout is how many cycles a pager has to answer a page-in
// before the process waiting for it is killed.
const PagerTimeout = 10_000_000

// MaxPagerPages bounds the size of a pager's object.
const MaxPagerPages = (mappingLimit - isa.MmapBase) / isa.PageSize

// What pager_recv returns: the kind of the request, or PagerDone when no
// other process maps the object or holds a descriptor for it (none ever
// will again: the pager may exit).
const (
	PagerDone    = 0
	PagerPageIn  = 1
	PagerPageOut = 2
)

// pagerObject is a memory object served by a pager process.
type pagerObject struct {
	id     int
	pager  *Process // nil once it exited
	object *vm.Object
	pages  int
	queue  []*pagerRequest          // made, not yet received
	taken  map[uint32]*pagerRequest // page-ins received, not yet supplied
}

// pagerRequest is one request to a pager: a page-in (its page waits, in
// a busy, locked frame, with the transfer that maps it when supplied) or
// a page-out (with the page's bytes).
type pagerRequest struct {
	kind  int
	index uint32
	made  uint64        // the cycle it was made
	in    *pageTransfer // page-in
	bytes []byte        // page-out
}

func (po *pagerObject) String() string {
	return fmt.Sprintf("the pager object %d of pid %d", po.id, po.pager.PID)
}

// sysPagerCreate makes p the pager of a new object of pages pages and
// returns a descriptor for it. It returns EINVAL for 0 pages or more
// than MaxPagerPages, EAGAIN when p's file table is full.
func sysPagerCreate(k *Kernel, p *Process, a [6]uint32) (int32, bool) {
	pages := a[0]
	if pages == 0 || pages > MaxPagerPages {
		return EINVAL, true
	}
	if !k.filesOf(p).hasRoom() {
		return EAGAIN, true
	}
	k.nextPager++
	po := &pagerObject{id: k.nextPager, pager: p, pages: int(pages), taken: map[uint32]*pagerRequest{}}
	po.object = vm.NewObject(fmt.Sprintf("pager %d", po.id), vm.PagerSource{Pager: po.id}, false)
	po.object.WritesBack = true
	po.object.Refs = 1 // the pager's own, let go of when it exits
	k.pagers[po.id] = po
	fd, _ := k.filesOf(p).add(&openFile{path: po.object.Name, pager: po, refs: 1})
	return int32(fd), true
}

// pagerFor returns the pager object behind fd if p is its pager, or the
// error result: EBADF for no pager object, EACCES for another's.
func (k *Kernel) pagerFor(p *Process, fd uint32) (*pagerObject, int32) {
	f := p.files.get(fd)
	switch {
	case f == nil || f.pager == nil:
		return nil, EBADF
	case f.pager.pager != p:
		return nil, EACCES
	}
	return f.pager, 0
}

// sysPagerRecv takes the next request to the pager of fd: it returns its
// kind (PagerPageIn, PagerPageOut) with the page's index in r1, and for
// a page-out copies the page's bytes to buf. p waits while there is
// none; it returns PagerDone when none will come, as no other process
// maps the object or holds a descriptor for it. It returns pagerFor's
// errors, EFAULT when a page-out's bytes cannot be written at buf (the
// request stays first).
func sysPagerRecv(k *Kernel, p *Process, a [6]uint32) (int32, bool) {
	// kit:pager begin
	po, e := k.pagerFor(p, a[0])
	if e != 0 {
		return e, true
	}
	if len(po.queue) == 0 && k.pagerClients(po) == 0 {
		return PagerDone, true
	}
	if len(po.queue) == 0 {
		k.block(p, po, "a request to the pager")
		k.restartSyscall(p)
		return 0, false
	}
	req := po.queue[0]
	if req.kind == PagerPageOut {
		if err := k.copyOut(p, a[1], req.bytes); err != nil {
			return k.userError(p, err, a[1])
		}
	} else {
		po.taken[req.index] = req
	}
	po.queue = po.queue[1:]
	p.Ctx.R[1] = req.index
	return int32(req.kind), true
	// kit:pager end
}

// sysPagerSupply gives the page index of the object of fd the 4096 bytes
// at buf, and returns 0: the page that waits for it is mapped and its
// waiters woken; a page no one asked for and not in memory is brought
// in, resident and mapped nowhere. It returns pagerFor's errors, EINVAL
// for an index past the object or a page in memory that no one asked
// for, EFAULT when buf cannot be read, ENOMEM when no frame will be free.
func sysPagerSupply(k *Kernel, p *Process, a [6]uint32) (int32, bool) {
	// kit:pager begin
	po, e := k.pagerFor(p, a[0])
	if e != 0 {
		return e, true
	}
	index := a[1]
	if index >= uint32(po.pages) {
		return EINVAL, true
	}
	b, err := k.copyIn(p, a[2], isa.PageSize)
	if err == nil && len(b) < isa.PageSize {
		err = errBlocked
	}
	if err != nil {
		return k.userError(p, err, a[2])
	}
	if req := po.taken[index]; req != nil {
		delete(po.taken, index)
		k.supplied(req.in, b)
		return 0, true
	}
	return k.supplyUnasked(p, po, index, b)
	// kit:pager end
}

// supplied completes page-in t with the pager's bytes, as the disk's
// interrupt completes a read: the frame is filled and unlocked, the page
// made resident and mapped where it was asked for, its waiters woken.
func (k *Kernel) supplied(t *pageTransfer, b []byte) {
	// kit:pager begin
	copy(k.Phys.Frame(t.frame), b)
	k.Frames.Unlock(t.frame)
	k.stats.PagerSupplies++
	k.pageInDone(t, nil)
	// kit:pager end
}

// supplyUnasked brings page index of po in with bytes b, when no one has
// asked for it: it is resident, mapped nowhere. It returns EINVAL if the
// page is in memory already (or on its way), ENOMEM when no frame will
// be free; p waits while a write-back frees one.
func (k *Kernel) supplyUnasked(p *Process, po *pagerObject, index uint32, b []byte) (int32, bool) {
	if pg := po.object.Lookup(index); pg != nil && pg.Frame != 0 {
		return EINVAL, true
	}
	frame, err := k.allocFrame(p, vm.FrameBusy)
	if err == errWaitForFrame {
		return k.tableWait(p, err)
	}
	if err != nil {
		return ENOMEM, true
	}
	pg := po.object.Page(index)
	pg.Frame = frame
	k.Frames.Get(frame).Page = pg
	k.Frames.Lock(frame)
	k.supplied(&pageTransfer{page: pg, frame: frame, valid: isa.PageSize}, b)
	return 0, true
}

// askPager sends the pager of source the request for page pg, which p
// faulted on at va in region r, given frame: the frame is busy and
// locked while the pager answers, and p waits. With no pager any more,
// the frame is given back and p is killed.
func (k *Kernel) askPager(p *Process, r *vm.Region, pg *vm.Page, va mmu.VAddr, frame uint32, source vm.PagerSource) Result {
	// kit:pager begin
	po := k.pagers[source.Pager]
	if po == nil || po.pager == nil {
		k.Frames.Release(frame)
		return killed(pagerKill(va, "its pager has exited"))
	}
	pg.Frame = frame
	k.Frames.Get(frame).Page = pg
	k.Frames.Lock(frame)
	t := &pageTransfer{page: pg, frame: frame, valid: isa.PageSize, space: p.Space, region: r, va: va}
	k.sendRequest(po, &pagerRequest{kind: PagerPageIn, index: pg.Index, in: t})
	if k.tracing(TraceFaults) {
		k.trace(TraceFaults, "pid %d: pager: page-in of page %d (%s) sent to pager %d (pid %d), into frame %#x",
			p.PID, pg.Index, va, po.id, po.pager.PID, frame)
	}
	k.block(p, pg, fmt.Sprintf("page %d from the pager, pid %d", pg.Index, po.pager.PID))
	return Result{how: AskedPager, va: va, frame: frame, by: "pager"}
	// kit:pager end
}

// sendRequest queues req for po's pager and wakes it if it waits for one.
func (k *Kernel) sendRequest(po *pagerObject, req *pagerRequest) {
	req.made = k.CPU.Now()
	po.queue = append(po.queue, req)
	k.stats.PagerRequests++
	k.wakeup(po)
}

// pagerOf returns the pager object pg belongs to, nil for a page of any
// other object.
func (k *Kernel) pagerOf(pg *vm.Page) *pagerObject {
	if s, ok := pg.Home().Source.(vm.PagerSource); ok {
		return k.pagers[s.Pager]
	}
	return nil
}

// sendPageOut sends the bytes of dirty page pg to its pager, if it still
// has one: the pager keeps them from now on, and the page is clean.
func (k *Kernel) sendPageOut(po *pagerObject, pg *vm.Page) {
	// kit:pager begin
	k.clearEntries(pg, mmu.D)
	pg.Dirty = false
	if po == nil || po.pager == nil {
		return // no one to keep them: they are lost with the pager
	}
	b := append([]byte(nil), k.Phys.Frame(pg.Frame)...)
	k.sendRequest(po, &pagerRequest{kind: PagerPageOut, index: pg.Index, bytes: b})
	if k.tracing(TraceDaemon) {
		k.trace(TraceDaemon, "page-out of page %d of pager %d's object sent to it (pid %d)", pg.Index, po.id, po.pager.PID)
	}
	// kit:pager end
}

// pagerExited ends the objects p was the pager of: the processes waiting
// for their pages are killed, the requests dropped, and each object
// lives on only for the regions that map it.
func (k *Kernel) pagerExited(p *Process) {
	for _, id := range k.pagerIDs() {
		po := k.pagers[id]
		if po == nil || po.pager != p {
			continue
		}
		k.failRequests(po, "its pager has exited")
		po.pager = nil
		delete(k.pagers, id)
		k.releaseObject(po.object)
	}
}

// failRequests drops po's requests, received or not: for each page-in,
// the page's frame is given back and the process waiting for it killed.
func (k *Kernel) failRequests(po *pagerObject, why string) {
	reqs := append(po.queue, takenInOrder(po)...)
	po.queue, po.taken = nil, map[uint32]*pagerRequest{} // before a kill that may come back here
	for _, req := range reqs {
		if req.kind == PagerPageIn {
			k.failPageIn(req.in, why)
		}
	}
}

// failPageIn gives back the frame of a page-in that will not be
// answered, and kills the process that faulted on the page, as a page
// the disk cannot read does (pageInFailed). Other processes waiting for
// the page wake and fault again.
func (k *Kernel) failPageIn(t *pageTransfer, why string) {
	// kit:pager begin
	pg := t.page
	k.Frames.Unlock(t.frame)
	pg.Frame = 0
	k.Frames.Release(t.frame)
	owner := k.waiterIn(pg, t.space)
	k.wakeup(pg)
	k.wakeup(framesChannel{})
	if owner != nil {
		k.killProcess(owner, pagerKill(t.va, why), owner.Ctx.PC)
	}
	// kit:pager end
}

// pagerKill is the verdict on a page its pager will not supply.
func pagerKill(va mmu.VAddr, why string) *kill {
	return &kill{status: StatusBus, what: "page lost: " + why, addr: va}
}

// pagerTimeouts kills the processes waiting for a page-in that their
// pager has not answered within PagerTimeout cycles.
func (k *Kernel) pagerTimeouts() {
	now := k.CPU.Now()
	for _, id := range k.pagerIDs() {
		po := k.pagers[id]
		if po == nil {
			continue
		}
		for _, req := range append(append([]*pagerRequest(nil), po.queue...), takenInOrder(po)...) {
			if req.kind == PagerPageIn && now-req.made >= PagerTimeout {
				k.dropRequest(po, req)
				k.failPageIn(req.in, fmt.Sprintf("its pager (pid %d) did not answer within %d cycles", po.pager.PID, PagerTimeout))
			}
		}
	}
}

// dropRequest takes req out of po's queue or its received requests.
func (k *Kernel) dropRequest(po *pagerObject, req *pagerRequest) {
	delete(po.taken, req.index)
	for i, q := range po.queue {
		if q == req {
			po.queue = append(po.queue[:i], po.queue[i+1:]...)
			return
		}
	}
}

// takenInOrder returns po's received page-ins by page index.
func takenInOrder(po *pagerObject) []*pagerRequest {
	var out []*pagerRequest
	for _, index := range sortedKeys(po.taken) {
		out = append(out, po.taken[index])
	}
	return out
}

// breakDeadlock kills the processes that wait for each other when every
// process waits and no event is pending: first those waiting for a page
// from a pager (the pager waits too: it will never answer), else the
// pagers waiting for a request (none will come). It returns false if it
// found nothing to kill: then the kernel itself is wrong.
func (k *Kernel) breakDeadlock() bool {
	killed := false
	for _, id := range k.pagerIDs() {
		if po := k.pagers[id]; po != nil && (len(po.queue) > 0 || len(po.taken) > 0) {
			k.failRequests(po, fmt.Sprintf("deadlock: its pager (pid %d) waits too, and nothing will wake it", po.pager.PID))
			killed = true
		}
	}
	if killed {
		return true
	}
	for _, p := range k.procs {
		if po, ok := p.channel.(*pagerObject); ok && p.State == Blocked {
			k.killProcess(p, &kill{status: StatusNoMemory, addr: mmu.VAddr(p.Ctx.PC),
				what: fmt.Sprintf("deadlock: pager %d waits for a request and every process waits too", po.id)}, p.Ctx.PC)
			killed = true
		}
	}
	return killed
}

// pagerClients counts the uses of po by processes other than its pager:
// their regions that map the object, and their descriptors for it.
func (k *Kernel) pagerClients(po *pagerObject) int {
	n := 0
	for _, p := range k.procs {
		if p == po.pager || p.State == Zombie {
			continue
		}
		for _, r := range p.Space.Regions {
			if r.Object == po.object {
				n++
			}
		}
		for _, f := range p.files.openFiles() {
			if f.pager == po {
				n++
			}
		}
	}
	return n
}

// pokePagers wakes the pagers waiting for a request, to see whether a
// client has gone (a process exited, closed or unmapped).
func (k *Kernel) pokePagers() {
	for _, id := range k.pagerIDs() {
		k.wakeup(k.pagers[id])
	}
}

// pagerIDs returns the ids of the live pager objects, in order.
func (k *Kernel) pagerIDs() []int { return sortedKeys(k.pagers) }

// sortedKeys returns the keys of m in increasing order.
func sortedKeys[K cmp.Ordered, V any](m map[K]V) []K { return slices.Sorted(maps.Keys(m)) }
