package kernel

import (
	"toyvm/dev"
	"toyvm/isa"
	"toyvm/kernel/vm"
	"toyvm/mmu"
)

// Mechanisms that extensions (package kernel/ext) compose into their own
// ways of serving a fault, SPIN-style: each does one job of the fault
// path and returns a Result that the extension's handler returns.

// ServePage serves a page fault of p at va in region r the way the VM
// system does (getPage): reclaim, shared hit, zero-fill, or a read while p
// waits.
func (k *Kernel) ServePage(p *Process, r *vm.Region, va mmu.VAddr) Result {
	return k.getPage(p, r, va)
}

// ReadAhead serves a page fault of p at va in region r, whose page is
// read from its source (an image or a file), by reading in one disk
// request that page and up to n-1 of the pages after it: those of r that
// are not in memory, have no swap copy, and lie next to it in the same
// store. p waits for its page; the others become resident, mapped
// nowhere, so that a later fault on one is a prefetch hit with no I/O.
// Frames for the pages ahead are only those free or in the pool (none is
// evicted for them). ok is false, changing nothing, when the page is not
// to be read from its source (it is in memory, in swap, or of zeros):
// the VM system serves those.
func (k *Kernel) ReadAhead(p *Process, r *vm.Region, va mmu.VAddr, n int) (res Result, ok bool) {
	va = pageOf(va)
	pg := r.Object.Page(r.Index(va))
	store, off, valid := pg.Location(k.swap)
	if pg.Frame != 0 || pg.Slot != vm.NoSlot || store == nil {
		return Result{}, false
	}
	if err := k.reserveTable(p, va); err != nil {
		return k.waitForFrame(p, va, err), true
	}
	frame, err := k.allocFrame(p, vm.FrameBusy)
	if err != nil {
		return k.waitForFrame(p, va, err), true
	}
	pg.Frame = frame
	k.Frames.Get(frame).Page = pg
	t := &pageTransfer{page: pg, frame: frame, valid: valid, space: p.Space, region: r, va: va,
		file: k.mappedFiles[pg.Home()]}
	if valid == isa.PageSize && pg.Home() == r.Object {
		t.ahead = k.pagesAhead(p, r, va, off, n-1)
	}
	k.submitRead(p, t, store, off)
	res = served(PagedIn, va, frame)
	res.from, res.fromFile = store.Name(), t.file != nil
	return res, true
}

// pagesAhead gives frames to up to n pages of r after va that were never
// touched and whose contents follow off in the store of r's source, and
// returns their transfers; it stops at the first page that is not such a
// page, or for which no frame is free or in the pool.
func (k *Kernel) pagesAhead(p *Process, r *vm.Region, va mmu.VAddr, off int64, n int) []*pageTransfer {
	var ahead []*pageTransfer
	for i := 1; i <= n; i++ {
		next := va + mmu.VAddr(i)*isa.PageSize
		if next >= r.End || next < va || r.Object.Lookup(r.Index(next)) != nil {
			break
		}
		store, o, valid := r.Object.Source.Locate(r.Index(next))
		if store == nil || o != off+int64(i)*isa.PageSize {
			break
		}
		frame, ok := k.Frames.Take(vm.FrameBusy, p.PID)
		if !ok {
			break
		}
		pg := r.Object.Page(r.Index(next))
		pg.Frame, pg.Ahead = frame, true
		k.Frames.Get(frame).Page = pg
		ahead = append(ahead, &pageTransfer{page: pg, frame: frame, valid: valid})
		if valid < isa.PageSize {
			break
		}
	}
	return ahead
}

// submitRead reads t's page and the pages ahead of it in one request, at
// off in store, their frames busy and locked, and makes p wait for t's.
func (k *Kernel) submitRead(p *Process, t *pageTransfer, store dev.Store, off int64) {
	var bufs [][]byte
	for _, x := range t.all() {
		k.Frames.Lock(x.frame)
		bufs = append(bufs, k.Phys.Frame(x.frame)[:x.valid])
	}
	t.file.begin()
	tag := k.Disk.Submit(&dev.Request{Op: dev.Read, Store: store, Offset: off, Bufs: bufs, Owner: t})
	k.stats.ReadAhead += uint64(len(t.ahead))
	if k.tracing(TraceFaults) {
		k.trace(TraceFaults, "pid %d: read %s and %d pages ahead from %s@%#x (disk tag %d)",
			p.PID, t.va, len(t.ahead), store.Name(), off, tag)
	}
	k.block(p, t.page, "page in from disk")
}

// ZeroAhead fills up to n free frames with zeros, ahead of the faults
// that will need them (the idle loop has the time), and returns how many
// it filled.
func (k *Kernel) ZeroAhead(n int) int {
	done := 0
	for done < n && k.Frames.ZeroOne(func(f uint32) { clear(k.Phys.Frame(f)) }) {
		done++
	}
	k.stats.ZeroedAhead += uint64(done)
	return done
}

// FillZeroed serves a page fault of p at va in region r on a page of
// zeros never touched with a frame zeroed ahead (ZeroAhead), with no
// zeroing now. ok is false, changing nothing, when the page is not such a
// page or no frame zeroed ahead is left.
func (k *Kernel) FillZeroed(p *Process, r *vm.Region, va mmu.VAddr) (Result, bool) {
	va = pageOf(va)
	if pg := r.Object.Lookup(r.Index(va)); pg != nil || k.Frames.ZeroedCount() == 0 {
		return Result{}, false
	}
	if store, _, _ := r.Object.Source.Locate(r.Index(va)); store != nil {
		return Result{}, false
	}
	if err := k.reserveTable(p, va); err != nil {
		return k.waitForFrame(p, va, err), true
	}
	frame, ok := k.Frames.AllocZeroed(vm.FrameBusy, p.PID)
	if !ok {
		return Result{}, false
	}
	pg := r.Object.Page(r.Index(va))
	pg.Frame = frame
	k.Frames.Get(frame).Page = pg
	k.becomeResident(frame)
	k.mapPage(p.Space, r, pg, va)
	k.daemonCheck()
	return served(ZeroFilled, va, frame), true
}
