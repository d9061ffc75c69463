package kernel

import (
	"sort"

	"toyvm/isa"
	"toyvm/kernel/vm"
	"toyvm/mmu"
)

// Shared memory segments. A segment is an object of anonymous memory,
// swapped like any other, that every process attaching it maps through a
// shared region: its pages are shared by frame among all of them (the
// reverse map names every entry), and a page evicted is written to swap
// once for all. shmget finds or makes the segment of a key; shmat maps
// it, from isa.MmapBase up as mmap does; shmdt unmaps it. A segment
// lives until its last detach, and its key is then free; one that no
// process ever attached goes with the process that made it.

// MaxSegments bounds the segment table; shmget beyond it returns EAGAIN.
const MaxSegments = 64

// MaxSegmentSize bounds a segment: the mapping area holds no more.
const MaxSegmentSize = mappingLimit - isa.MmapBase

// segment is one shared memory segment.
type segment struct {
	id, key  uint32
	pages    int
	object   *vm.Object
	attached int      // the regions that map it
	creator  *Process // goes with it if it was never attached
	used     bool     // attached at least once
}

// sysShmget returns the id of the segment of key, making one of size
// bytes (whole pages) if the key has none. It returns EINVAL for a size
// of 0, larger than MaxSegmentSize, or larger than the key's segment;
// EAGAIN when MaxSegments exist; ENOMEM when static swap cannot be
// reserved for it.
func sysShmget(k *Kernel, p *Process, a [6]uint32) (int32, bool) {
	key, size := a[0], a[1]
	if size == 0 || size > MaxSegmentSize {
		return EINVAL, true
	}
	pages := int((uint64(size) + isa.PageSize - 1) / isa.PageSize)
	if s := k.segmentByKey(key); s != nil {
		if pages > s.pages {
			return EINVAL, true
		}
		return int32(s.id), true
	}
	if len(k.segments) >= MaxSegments {
		return EAGAIN, true
	}
	o := vm.NewObject("shm", vm.ZeroSource{}, true)
	if err := k.reserveSwap(o, 0, pages); err != nil {
		return ENOMEM, true
	}
	o.Refs = 1 // the segment table's own, let go of at the last detach
	k.nextSegment++
	k.segments = append(k.segments, &segment{id: k.nextSegment, key: key, pages: pages, object: o, creator: p})
	return int32(k.nextSegment), true
}

// sysShmat maps the segment id into p's address space and returns its
// address. It returns EINVAL for no such segment, ENOMEM when no room is
// left.
func sysShmat(k *Kernel, p *Process, a [6]uint32) (int32, bool) {
	s := k.segmentByID(a[0])
	if s == nil {
		return EINVAL, true
	}
	addr, ok := placeMapping(p.Space, s.pages)
	if !ok {
		return ENOMEM, true
	}
	r := &vm.Region{Name: "shm", Start: addr, End: addr + mmu.VAddr(s.pages)*isa.PageSize,
		Prot: vm.ProtRead | vm.ProtWrite, Object: s.object, Origin: addr, Floor: addr, Shared: true}
	if err := k.addRegion(p, r); err != nil {
		return ENOMEM, true
	}
	s.attached++
	s.used = true
	return int32(addr), true
}

// sysShmdt unmaps the segment attached at addr and returns 0; the
// segment goes with its last detach. It returns EINVAL when no segment
// is attached there.
func sysShmdt(k *Kernel, p *Process, a [6]uint32) (int32, bool) {
	for _, r := range p.Space.Regions {
		if r.Name == "shm" && r.Start == mmu.VAddr(a[0]) {
			k.unmapRange(p.Space, r, r.Start, r.End)
			p.Space.RemoveRegion(r)
			k.detach(r)
			return 0, true
		}
	}
	return EINVAL, true
}

// detach lets region r, which mapped a segment, go: the region lets go
// of the segment's object, and the last detach frees the segment and its
// key.
func (k *Kernel) detach(r *vm.Region) {
	s := k.segmentOf(r.Object)
	k.releaseObject(r.Object)
	if s.attached--; s.attached == 0 {
		k.removeSegment(s)
	}
}

// removeSegment takes s out of the table and lets go of the table's hold
// on its object, which is freed when no region maps it.
func (k *Kernel) removeSegment(s *segment) {
	for i, t := range k.segments {
		if t == s {
			k.segments = append(k.segments[:i], k.segments[i+1:]...)
			break
		}
	}
	k.releaseObject(s.object)
}

// attachedByFork counts a fork's child's copy of region r, which maps a
// segment, as an attach.
func (k *Kernel) attachedByFork(r *vm.Region) {
	if r.Name == "shm" {
		k.segmentOf(r.Object).attached++
	}
}

// dropSegmentsOf removes the segments p made and no process ever
// attached, when p exits.
func (k *Kernel) dropSegmentsOf(p *Process) {
	for _, s := range append([]*segment(nil), k.segments...) {
		if s.creator == p && !s.used {
			k.removeSegment(s)
		}
	}
}

// segmentByKey returns the segment of key, nil if none.
func (k *Kernel) segmentByKey(key uint32) *segment {
	for _, s := range k.segments {
		if s.key == key {
			return s
		}
	}
	return nil
}

// segmentByID returns the segment id, nil if none.
func (k *Kernel) segmentByID(id uint32) *segment {
	for _, s := range k.segments {
		if s.id == id {
			return s
		}
	}
	return nil
}

// segmentOf returns the segment whose object is o. A region named shm
// without a segment is a broken invariant: it panics.
func (k *Kernel) segmentOf(o *vm.Object) *segment {
	for _, s := range k.segments {
		if s.object == o {
			return s
		}
	}
	panic("kernel.segmentOf: a shm region maps no segment")
}

// Segments returns the shared memory segments as the debugger shows them:
// key, id, pages and attaches, by id.
func (k *Kernel) Segments() []SegmentInfo {
	out := make([]SegmentInfo, 0, len(k.segments))
	for _, s := range k.segments {
		out = append(out, SegmentInfo{ID: s.id, Key: s.key, Pages: s.pages, Attached: s.attached})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// SegmentInfo describes a shared memory segment.
type SegmentInfo struct {
	ID, Key  uint32
	Pages    int
	Attached int
}
