package vm

import (
	"fmt"
	"io"
	"slices"

	"toyvm/dev"
	"toyvm/mmu"
)

// Source is where the pages of an object come from the first time they
// are touched: zeros (anonymous memory: heap, stack) or a segment of the
// program image. It is a seam a student may replace (a file, a network
// page server).
type Source interface {
	// Locate returns where page i's initial contents are: n bytes at
	// offset off of store, the rest of the page being zeros. A nil store
	// means the whole page is zeros, filled without I/O.
	Locate(i uint32) (store dev.Store, off int64, n int)
	// Kind names the source for traces and the debugger.
	Kind() string
}

// ZeroSource backs anonymous memory: every page starts as zeros.
type ZeroSource struct{}

// Locate returns no store: zero-fill.
func (ZeroSource) Locate(uint32) (dev.Store, int64, int) { return nil, 0, 0 }

// Kind returns "zero".
func (ZeroSource) Kind() string { return "zero" }

// ImageSource backs a segment of the program image, read from the image
// by DMA: its bytes, then zeros to the end of the region.
type ImageSource struct {
	Image dev.Store // the segment's bytes as seen from its region's first page
}

// Locate returns the part of the segment in page i.
func (s ImageSource) Locate(i uint32) (dev.Store, int64, int) {
	off := int64(i) * mmu.PageSize
	n := min(s.Image.Size()-off, mmu.PageSize)
	if n <= 0 {
		return nil, 0, 0
	}
	return s.Image, off, int(n)
}

// Kind returns "image".
func (ImageSource) Kind() string { return "image" }

// FileSource backs a mapping of a host file: page i of the object is the
// page of the file at Offset + i*4K; what lies past the file's end reads
// as zeros. The object holds its own open file (File), which outlives the
// descriptor it was mapped from.
type FileSource struct {
	File *dev.FileStore
}

// Locate returns the part of the file in page i: n bytes at i*4K, fewer
// at its end, none past it (zeros).
func (s FileSource) Locate(i uint32) (dev.Store, int64, int) {
	off := int64(i) * mmu.PageSize
	n := min(s.File.Size()-off, mmu.PageSize)
	if n <= 0 {
		return nil, 0, 0
	}
	return s.File, off, int(n)
}

// Kind returns "file".
func (FileSource) Kind() string { return "file" }

// SelfSource backs a self-paged range (kernel/libos.go): the process's
// own library OS brings in every page, with frames it holds through
// capabilities. The kernel never fills such a page itself.
type SelfSource struct{}

// Locate returns no store: the kernel has no contents for the page.
func (SelfSource) Locate(uint32) (dev.Store, int64, int) { return nil, 0, 0 }

// Kind returns "self".
func (SelfSource) Kind() string { return "self" }

// PagerSource backs a memory object served by a user-level pager
// (kernel/pager.go): the kernel asks the pager, a process, for each page
// it does not hold, and sends it the bytes of each dirty page it evicts.
// Pager names the pager object in the kernel's table.
type PagerSource struct{ Pager int }

// Locate returns no store: the pager supplies the page.
func (PagerSource) Locate(uint32) (dev.Store, int64, int) { return nil, 0, 0 }

// Kind returns "pager".
func (PagerSource) Kind() string { return "pager" }

// Object is a backing object (Tornado's file cache manager): the pages of
// one region's contents, with its page cache, which of its pages are in
// which frames, and where each page lives when it is not in memory.
type Object struct {
	Name   string
	Source Source
	// Swappable says whether a dirty page of the object goes to swap.
	// Text is never written, so its pages are always clean: they are
	// dropped and read again from the image.
	Swappable bool
	// WritesBack says whether a dirty page goes back to where it came
	// from (its source's store, a file mapped shared) rather than to
	// swap. Such an object is not Swappable.
	WritesBack bool
	// Refs counts the regions that use the object: one for a private
	// region's own object, one for each region that maps a shared one.
	// The object is freed with its last region.
	Refs  int
	pages map[uint32]*Page // by page index; a page never touched has none
	runs  []SwapRun        // slots reserved for it (static swap layout)
}

// SwapRun is a run of N swap slots, from Slot, reserved for the pages
// First..First+N-1 of an object (static layout).
type SwapRun struct {
	First uint32
	Slot  Slot
	N     int
}

// StaticSlot returns the reserved slot of page i: its run's base plus its
// place in the run.
func (o *Object) StaticSlot(i uint32) Slot {
	for _, r := range o.runs {
		if i >= r.First && i < r.First+uint32(r.N) {
			return r.Slot + Slot(i-r.First)
		}
	}
	panic(fmt.Sprintf("vm.Object.StaticSlot: page %d of %s has no reserved slot", i, o.Name))
}

// covered reports whether page i has a reserved slot.
func (o *Object) covered(i uint32) bool {
	for _, r := range o.runs {
		if i >= r.First && i < r.First+uint32(r.N) {
			return true
		}
	}
	return false
}

// Uncovered trims from both ends of pages first..first+n-1 those that
// have reserved slots already (a region grows at one end, so what is
// left is one run) and returns the rest.
func (o *Object) Uncovered(first uint32, n int) (uint32, int) {
	for n > 0 && o.covered(first) {
		first, n = first+1, n-1
	}
	for n > 0 && o.covered(first+uint32(n-1)) {
		n--
	}
	return first, n
}

// Indexes returns the indexes of the object's page records in
// increasing order, so that walking them is deterministic.
func (o *Object) Indexes() []uint32 {
	idx := make([]uint32, 0, len(o.pages))
	for i := range o.pages {
		idx = append(idx, i)
	}
	slices.Sort(idx)
	return idx
}

// NewObject returns an object with no page in memory.
func NewObject(name string, src Source, swappable bool) *Object {
	return &Object{Name: name, Source: src, Swappable: swappable, pages: map[uint32]*Page{}}
}

// Page returns the record of page i, creating it on first use.
func (o *Object) Page(i uint32) *Page {
	pg := o.pages[i]
	if pg == nil {
		pg = &Page{Index: i, Slot: NoSlot}
		pg.holders = pg.home[:1:1]
		pg.holders[0] = o
		o.pages[i] = pg
	}
	return pg
}

// Lookup returns the record of page i, or nil if the page was never
// touched.
func (o *Object) Lookup(i uint32) *Page { return o.pages[i] }

// Share makes the object hold pg, another object's page, as its page i
// (a fork's copy of a private region: the two share it copy-on-write).
// It panics if the object has a page i already.
func (o *Object) Share(i uint32, pg *Page) {
	if o.pages[i] != nil {
		panic(fmt.Sprintf("vm.Object.Share: %s has a page %d already", o.Name, i))
	}
	o.pages[i] = pg
	pg.holders = append(pg.holders, o)
}

// Drop forgets page i and returns it; the object no longer holds it. If
// no object holds it now (Gone), the caller frees its frame and slot.
// It returns nil if the object has no page i.
func (o *Object) Drop(i uint32) *Page {
	pg := o.pages[i]
	if pg == nil {
		return nil
	}
	delete(o.pages, i)
	pg.holders = slices.DeleteFunc(pg.holders, func(h *Object) bool { return h == o })
	return pg
}

// Runs returns the runs of swap slots reserved for the object (static
// layout).
func (o *Object) Runs() []SwapRun { return o.runs }

// AddRun records a run of slots reserved for the object.
func (o *Object) AddRun(r SwapRun) { o.runs = append(o.runs, r) }

// ClearRuns forgets the reserved runs (the caller has released them).
func (o *Object) ClearRuns() { o.runs = nil }

// Page is one page of contents: where they are now, and which objects
// hold it. A page is held by one object, or, after a fork, by the
// objects of each process that shares it copy-on-write. The first holder
// is its home: its source gave the page's first contents, and its swap
// layout places the page.
type Page struct {
	Index uint32 // the page's index in each object that holds it
	Frame uint32 // the frame holding it, 0 when it is not in memory
	Slot  Slot   // the swap slot holding a copy of it, NoSlot if none
	// Dirty: its contents in memory differ from the copy in Slot (or in
	// its source when it has no slot), so evicting it needs a write. The
	// D bits of the entries that map it say so too (the kernel folds
	// them in when an entry goes away).
	Dirty bool
	// Writing: a write-back of it to Slot is in flight.
	Writing bool
	// Ahead: it was read ahead of any fault on it (a prefetch), and no
	// address space has mapped it since.
	Ahead   bool
	holders []*Object // its holders; the first one's storage is home, so one holder costs no allocation
	home    [1]*Object
}

// Home returns the page's first holder, nil if no object holds it.
func (pg *Page) Home() *Object {
	if len(pg.holders) == 0 {
		return nil
	}
	return pg.holders[0]
}

// Holders returns how many objects hold the page; Shared reports
// whether more than one does (the page is then copy-on-write); Gone,
// whether none does (the page is to be freed).
func (pg *Page) Holders() int          { return len(pg.holders) }
func (pg *Page) Shared() bool          { return len(pg.holders) > 1 }
func (pg *Page) Gone() bool            { return len(pg.holders) == 0 }
func (pg *Page) HeldBy(o *Object) bool { return slices.Contains(pg.holders, o) }

// Location returns where the page's contents are when it is not in
// memory: its swap slot if it has one, else its home's source.
func (pg *Page) Location(sw *Swap) (dev.Store, int64, int) {
	if pg.Slot != NoSlot {
		return sw.Store, sw.Offset(pg.Slot), mmu.PageSize
	}
	return pg.Home().Source.Locate(pg.Index)
}

// ImageStore is a segment of a program image as a disk store: the pages
// of text and data are read from it by DMA. It is read-only.
type ImageStore struct {
	Label string // its name in traces: "image:text"
	Data  []byte
}

// ReadAt fills p from the segment's bytes at off; past their end it
// returns what there was and io.EOF.
func (s ImageStore) ReadAt(p []byte, off int64) (int, error) {
	if off >= int64(len(s.Data)) {
		return 0, io.EOF
	}
	n := copy(p, s.Data[off:])
	if n < len(p) {
		return n, io.EOF
	}
	return n, nil
}

// WriteAt refuses: an image is never written.
func (s ImageStore) WriteAt([]byte, int64) (int, error) {
	return 0, fmt.Errorf("%s is read-only", s.Label)
}

// Size returns the length of the segment's bytes; Name, its label.
func (s ImageStore) Size() int64  { return int64(len(s.Data)) }
func (s ImageStore) Name() string { return s.Label }
