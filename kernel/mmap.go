package kernel

import (
	"errors"
	"sort"

	"toyvm/dev"
	"toyvm/isa"
	"toyvm/kernel/vm"
	"toyvm/mmu"
)

// mmap maps anonymous memory or a file into the caller's address space,
// from isa.MmapBase up. Each mapping is a region over an object of the
// kernel's own kinds, so paging, eviction, swap and fork treat it like
// any other:
//
//   - anonymous and private: an object of zero-filled pages, swapped;
//   - anonymous and shared: the same, but the region is shared, so a
//     fork's child maps the same object, not a copy;
//   - a file, private: an object whose pages are read from the file on
//     first touch, never written to it: a dirty page goes to swap, as the
//     data of a program image does;
//   - a file, shared: the one object of that file that every shared
//     mapping of it maps (its page cache): a dirty page is written back
//     to the file, not to swap, when it is evicted, when its last mapping
//     goes (munmap, exit), or when the object is freed. The file is a
//     small swap area of its own, as the seeds say of memory-mapped
//     files.
//
// Every object backed by a file has a descriptor of its own (a dup of
// the one it was mapped from), so a mapping outlives the close of its
// descriptor; it is closed once the object is freed and no transfer of
// it is in flight.

// The prot and flags of mmap (docs/isa.md section 10).
const (
	MmapRead      = 1
	MmapWrite     = 2
	MmapShared    = 1
	MmapPrivate   = 2
	MmapAnonymous = 4
)

// mmapRequest is an mmap call, checked.
type mmapRequest struct {
	addr   mmu.VAddr // 0: the kernel chooses
	pages  int
	prot   vm.Prot
	shared bool
	file   *openFile // nil for anonymous memory
	offset uint32
}

// sysMmap maps len bytes (whole pages) at addr (0: where the kernel
// chooses), with prot (1 read, 2 write) and flags (1 shared, 2 private,
// 4 anonymous), of anonymous memory or of the file open at fd from
// offset, and returns the mapping's address. It returns EINVAL for a bad
// prot or flags, a length of 0, an address or offset not on a page
// boundary, or a range outside [0x40000000, the stack's reach); EEXIST
// when the range overlaps another region; EBADF when fd is no open file;
// EACCES for a shared writable mapping of a file not open for writing;
// ENOMEM when no room is left or swap cannot be reserved.
func sysMmap(k *Kernel, p *Process, a [6]uint32) (int32, bool) {
	req, e := k.mmapRequest(p, a)
	if e != 0 {
		return e, true
	}
	if req.addr == 0 {
		addr, ok := placeMapping(p.Space, req.pages)
		if !ok {
			return ENOMEM, true
		}
		req.addr = addr
	}
	obj, err := k.mappingObject(req)
	if err != nil {
		return ENOMEM, true
	}
	r := &vm.Region{Name: "mmap", Start: req.addr, End: req.addr + mmu.VAddr(req.pages)*isa.PageSize,
		Prot: req.prot, Object: obj, Origin: req.addr - mmu.VAddr(req.offset), Floor: req.addr, Shared: req.shared}
	if err := k.addRegion(p, r); err != nil {
		return ENOMEM, true
	}
	return int32(req.addr), true
}

// mmapRequest checks the arguments of mmap and returns the request, or
// the error result.
func (k *Kernel) mmapRequest(p *Process, a [6]uint32) (mmapRequest, int32) {
	addr, n, prot, flags, fd, off := a[0], a[1], a[2], a[3], a[4], a[5]
	req := mmapRequest{addr: mmu.VAddr(addr), prot: vm.ProtRead, shared: flags&MmapShared != 0, offset: off}
	switch {
	case prot == 0 || prot > MmapRead|MmapWrite, flags > 7,
		flags&MmapShared != 0 == (flags&MmapPrivate != 0), n == 0, n > isa.StackTop:
		return req, EINVAL
	}
	if prot&MmapWrite != 0 {
		req.prot |= vm.ProtWrite
	}
	req.pages = int((uint64(n) + isa.PageSize - 1) / isa.PageSize)
	if e := checkPlace(p.Space, req.addr, req.pages); e != 0 {
		return req, e
	}
	if flags&MmapAnonymous != 0 {
		req.offset = 0
		return req, 0
	}
	return req, k.mmapFile(p, &req, fd)
}

// mmapFile checks the file of a request: fd is an open file, the offset
// is on a page boundary, and a shared writable mapping has the file open
// for writing. It returns the error result, or 0.
func (k *Kernel) mmapFile(p *Process, req *mmapRequest, fd uint32) int32 {
	req.file = p.files.get(fd)
	switch {
	case req.file == nil:
		return EBADF
	case req.offset%isa.PageSize != 0:
		return EINVAL
	case req.file.pager != nil:
		return pagerMapping(req)
	case req.shared && req.prot&vm.ProtWrite != 0 && req.file.mode&modeWrite == 0:
		return EACCES
	}
	return 0
}

// pagerMapping checks a mapping of a pager's object: shared, inside the
// object's pages, its pager alive. It returns EINVAL or 0.
func pagerMapping(req *mmapRequest) int32 {
	po := req.file.pager
	if !req.shared || po.pager == nil || uint64(req.offset)/isa.PageSize+uint64(req.pages) > uint64(po.pages) {
		return EINVAL
	}
	return 0
}

// checkPlace checks a fixed placement of pages pages at addr (0: none):
// on a page boundary, inside [isa.MmapBase, the stack's reach), and
// over no other region. It returns EINVAL, EEXIST or 0.
func checkPlace(as *vm.AddressSpace, addr mmu.VAddr, pages int) int32 {
	if addr == 0 {
		return 0
	}
	end := uint64(addr) + uint64(pages)*isa.PageSize
	switch {
	case addr%isa.PageSize != 0, addr < isa.MmapBase, end > mappingLimit:
		return EINVAL
	}
	for _, r := range as.Regions {
		if uint64(r.Start) < end && r.End > addr {
			return EEXIST
		}
	}
	return 0
}

// mappingLimit is the end of the area mappings are placed in: the lowest
// address the stack may grow down to.
const mappingLimit = isa.StackTop - isa.StackMax

// placeMapping returns the lowest address from isa.MmapBase where pages
// pages fit between the regions of as, below mappingLimit; false when
// none is left.
func placeMapping(as *vm.AddressSpace, pages int) (mmu.VAddr, bool) {
	var above []*vm.Region
	for _, r := range as.Regions {
		if r.End > isa.MmapBase && r.Start < mappingLimit {
			above = append(above, r)
		}
	}
	sort.Slice(above, func(i, j int) bool { return above[i].Start < above[j].Start })
	at := uint64(isa.MmapBase)
	need := uint64(pages) * isa.PageSize
	for _, r := range above {
		if uint64(r.Start) >= at+need {
			break
		}
		at = max(at, uint64(r.End))
	}
	if at+need > mappingLimit {
		return 0, false
	}
	return mmu.VAddr(at), true
}

// mappingObject returns the object a request maps: a new one for
// anonymous memory or a private mapping of a file, the file's shared
// object for a shared one. It returns the host's error duplicating the
// file's descriptor.
func (k *Kernel) mappingObject(req mmapRequest) (*vm.Object, error) {
	if req.file == nil {
		return vm.NewObject("mmap", vm.ZeroSource{}, true), nil
	}
	if req.file.pager != nil {
		return req.file.pager.object, nil
	}
	if req.shared {
		return k.sharedFileObject(req.file.store)
	}
	store, err := req.file.store.Dup()
	if err != nil {
		return nil, err
	}
	o := vm.NewObject("mmap "+req.file.path, vm.FileSource{File: store}, true)
	k.mappedFiles[o] = &mappedFile{store: store}
	return o, nil
}

// mappedFile is what the kernel keeps of an object backed by a file: the
// object's own descriptor, the transfers of it in flight, and, for the
// shared object of a file, the file's identity. The descriptor is closed
// once the object is freed and no transfer is in flight.
type mappedFile struct {
	store    *dev.FileStore
	id       dev.FileID
	shared   bool
	freed    bool
	inFlight int
}

// sharedFileObject returns the object that every shared mapping of the
// file open as store maps, making it at the first. It returns the host's
// error reading the file's identity or duplicating its descriptor.
func (k *Kernel) sharedFileObject(store *dev.FileStore) (*vm.Object, error) {
	id, err := store.ID()
	if err != nil {
		return nil, err
	}
	if o := k.sharedFiles[id]; o != nil {
		return o, nil
	}
	own, err := store.Dup()
	if err != nil {
		return nil, err
	}
	o := vm.NewObject("shared "+store.Name(), vm.FileSource{File: own}, false)
	o.WritesBack = true
	k.sharedFiles[id] = o
	k.mappedFiles[o] = &mappedFile{store: own, id: id, shared: true}
	return o, nil
}

// fileObjectFreed is called when an object is freed: an object backed by
// a file lets its file go (its descriptor is closed now, or when its
// last transfer completes).
func (k *Kernel) fileObjectFreed(o *vm.Object) {
	mf := k.mappedFiles[o]
	if mf == nil {
		return
	}
	delete(k.mappedFiles, o)
	if mf.shared {
		delete(k.sharedFiles, mf.id)
	}
	mf.freed = true
	mf.closeIfDone()
}

// begin and end count a transfer of the file in flight; a nil file (a
// transfer of swap or an image) counts nothing.
func (mf *mappedFile) begin() {
	if mf != nil {
		mf.inFlight++
	}
}

func (mf *mappedFile) end() {
	if mf != nil {
		mf.inFlight--
		mf.closeIfDone()
	}
}

// closeIfDone closes the descriptor of a freed object's file once no
// transfer of it is in flight.
func (mf *mappedFile) closeIfDone() {
	if mf.freed && mf.inFlight == 0 {
		mf.store.Close()
	}
}

// errNotMapped: munmap named a range that holds a region mmap did not
// make (the program's text, data, stack or heap, a shared memory
// segment).
var errNotMapped = errors.New("not a mapping made by mmap")

// sysMunmap removes the mappings of [addr, addr+len) (whole pages): a
// mapping the range covers goes, one it covers in part is cut (split in
// two when the range falls inside it). Dirty pages of a file mapped
// shared that no other mapping maps are written back to the file. Parts
// of the range that nothing maps are left alone. It returns 0, or EINVAL
// for an address not on a page boundary, a length of 0, a range outside
// the mapping area or one that touches a region mmap did not make.
func sysMunmap(k *Kernel, p *Process, a [6]uint32) (int32, bool) {
	addr, n := mmu.VAddr(a[0]), a[1]
	end := uint64(addr) + (uint64(n)+isa.PageSize-1)/isa.PageSize*isa.PageSize
	switch {
	case addr%isa.PageSize != 0, n == 0, addr < isa.MmapBase, end > mappingLimit:
		return EINVAL, true
	}
	if err := k.unmapMappings(p, addr, mmu.VAddr(end)); err != nil {
		return EINVAL, true
	}
	k.pokePagers()
	return 0, true
}

// unmapMappings removes [start, end) from the mappings of p that it
// touches. It returns errNotMapped, changing nothing, if one of the
// regions it touches is not a mapping.
func (k *Kernel) unmapMappings(p *Process, start, end mmu.VAddr) error {
	var hit []*vm.Region
	for _, r := range p.Space.Regions {
		if r.Start < end && start < r.End {
			if r.Name != "mmap" {
				return errNotMapped
			}
			hit = append(hit, r)
		}
	}
	for _, r := range hit {
		k.cutRegion(p, r, max(start, r.Start), min(end, r.End))
	}
	return nil
}

// cutRegion removes [start, end) from region r of p: the pages there are
// unmapped (and, for a file mapped shared, written back when nothing
// else maps them); what is left of r is one region, two (r split), or
// none (r goes, letting go of its object).
func (k *Kernel) cutRegion(p *Process, r *vm.Region, start, end mmu.VAddr) {
	k.unmapRange(p.Space, r, start, end)
	if r.Object.WritesBack {
		k.writeBackRange(r, start, end)
	}
	switch {
	case start == r.Start && end == r.End:
		p.Space.RemoveRegion(r)
		k.releaseObject(r.Object)
	case start == r.Start:
		r.Start, r.Floor = end, end
	case end == r.End:
		r.End = start
	default:
		tail := *r
		tail.Start, tail.Floor, r.End = end, end, start
		p.Space.Regions = append(p.Space.Regions, &tail)
		r.Object.Refs++
	}
}

// writeBackRange writes back to their file the dirty pages of r's object
// in [start, end) that are in memory and that no entry maps any more: a
// store reaches the file at munmap. The pages stay in the object.
func (k *Kernel) writeBackRange(r *vm.Region, start, end mmu.VAddr) {
	for va := start; va < end; va += isa.PageSize {
		pg := r.Object.Lookup(r.Index(va))
		if pg == nil || pg.Frame == 0 {
			continue
		}
		if k.mustWriteBack(pg) && k.Frames.Get(pg.Frame).Shares() == 0 {
			k.policy.Remove(policyPage(pg.Frame))
			k.startWriteBack(pg)
		}
	}
}
