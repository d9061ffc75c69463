package kernel

import (
	"encoding/binary"
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"

	"toyvm/isa"
	"toyvm/mmu"
)

// FuzzAddressSpaces drives fork, mmap, munmap, shmget, shmat, shmdt,
// exit and stores of random words straight through the kernel's
// functions, on a machine small enough that pages are evicted and come
// back, and keeps a model of what each process must see: its own words
// in its private pages (copied at a fork, never changed by another
// process), the last word anyone stored in a shared page. After every
// step the kernel's invariants must hold (Check) and every page a
// process can see must hold what the model says; after the last step
// every process exits and nothing may be left (Leaks).

// fuzzSpace is the model of one process.
type fuzzSpace struct {
	p       *Process
	private map[mmu.VAddr]uint32    // the word each private page must hold
	shared  map[mmu.VAddr]*fuzzPage // the shared pages it maps
	maps    []fuzzMap               // its mappings, to unmap or detach
}

// fuzzPage is the word a shared page must hold, seen by all its mappers.
type fuzzPage struct{ word uint32 }

// fuzzMap is one mapping a process made: mmap (private or shared) or shm.
type fuzzMap struct {
	addr   mmu.VAddr
	pages  int
	shared bool
	shm    bool
}

// fuzzWorld is the machine and the model.
type fuzzWorld struct {
	t     *testing.T
	k     *Kernel
	procs []*fuzzSpace
	shm   map[uint32][]*fuzzPage // by segment id: its pages' model
	next  uint32                 // the next word to store
}

func FuzzAddressSpaces(f *testing.F) {
	f.Add([]byte{2, 0, 7, 0, 0, 0, 7, 1, 8, 0, 8, 1})
	f.Add([]byte{3, 0, 0, 0, 7, 0, 7, 1, 8, 0, 1, 1, 8, 0})
	f.Add([]byte{5, 0, 0, 0, 7, 1, 6, 0, 8, 1, 4, 1, 8, 0})
	f.Add([]byte{2, 0, 2, 0, 2, 0, 0, 0, 0, 1, 7, 2, 7, 1, 4, 0, 8, 2, 1, 0})
	f.Fuzz(func(t *testing.T, ops []byte) {
		w := newFuzzWorld(t)
		for i := 0; i+1 < len(ops) && i < 200; i += 2 {
			w.step(ops[i], ops[i+1])
			require.NoError(t, w.k.Check(), "after step %d (%d %d)", i/2, ops[i], ops[i+1])
			w.checkAll()
		}
		for len(w.procs) > 0 {
			w.exit(w.procs[len(w.procs)-1])
		}
		drainDisk(w.k)
		require.NoError(t, w.k.Leaks())
	})
}

// newFuzzWorld returns a machine of 256K (64 frames) with one process.
func newFuzzWorld(t *testing.T) *fuzzWorld {
	cfg := testConfig()
	cfg.MemBytes = 256 << 10
	cfg.PoolLow, cfg.PoolHigh = DefaultPool(64)
	k, _, _ := newKernel(t, cfg)
	w := &fuzzWorld{t: t, k: k, shm: map[uint32][]*fuzzPage{}, next: 1}
	w.procs = append(w.procs, newFuzzSpace(spawn(t, k, exitProgram)))
	return w
}

func newFuzzSpace(p *Process) *fuzzSpace {
	return &fuzzSpace{p: p, private: map[mmu.VAddr]uint32{}, shared: map[mmu.VAddr]*fuzzPage{}}
}

// step runs one operation, op, in the process arg picks.
func (w *fuzzWorld) step(op, arg byte) {
	s := w.procs[int(arg)%len(w.procs)]
	switch op % 9 {
	case 0:
		w.fork(s)
	case 1:
		if len(w.procs) > 1 {
			w.exit(s)
		}
	case 2, 3:
		w.mmap(s, op%9 == 3, int(arg)%8+1)
	case 4:
		w.unmap(s, int(arg), false)
	case 5:
		w.attach(s, uint32(arg)%3, int(arg)%3+1)
	case 6:
		w.unmap(s, int(arg), true)
	case 7:
		w.store(s, int(arg))
	case 8:
		w.check(s)
	}
}

// fork forks s: the child's model is a copy of s's (its own private
// words, the same shared pages).
func (w *fuzzWorld) fork(s *fuzzSpace) {
	if len(w.procs) >= 8 {
		return
	}
	c, err := w.k.forkProcess(s.p)
	for err == errWaitForFrame {
		drainDisk(w.k)
		c, err = w.k.forkProcess(s.p)
	}
	if err != nil {
		return
	}
	cs := newFuzzSpace(c)
	for va, v := range s.private {
		cs.private[va] = v
	}
	for va, pg := range s.shared {
		cs.shared[va] = pg
	}
	cs.maps = append(cs.maps, s.maps...)
	w.procs = append(w.procs, cs)
}

// exit ends s's process.
func (w *fuzzWorld) exit(s *fuzzSpace) {
	w.k.exit(s.p, 0)
	for i, x := range w.procs {
		if x == s {
			w.procs = append(w.procs[:i], w.procs[i+1:]...)
			return
		}
	}
}

// mmap maps pages of anonymous memory, shared or private, and stores a
// word in each.
func (w *fuzzWorld) mmap(s *fuzzSpace, shared bool, pages int) {
	flags := uint32(MmapAnonymous | MmapPrivate)
	if shared {
		flags = MmapAnonymous | MmapShared
	}
	res, _ := sysMmap(w.k, s.p, [6]uint32{0, uint32(pages) * isa.PageSize, MmapRead | MmapWrite, flags})
	if res < 0 {
		return
	}
	m := fuzzMap{addr: mmu.VAddr(res), pages: pages, shared: shared}
	s.maps = append(s.maps, m)
	for i := range pages {
		va := m.addr + mmu.VAddr(i)*isa.PageSize
		if shared {
			s.shared[va] = &fuzzPage{}
		} else {
			s.private[va] = 0
		}
		w.storeAt(s, va)
	}
}

// attach gets the segment of key (pages long, if it is new) and attaches
// it.
func (w *fuzzWorld) attach(s *fuzzSpace, key uint32, pages int) {
	id, _ := sysShmget(w.k, s.p, [6]uint32{key, uint32(pages) * isa.PageSize})
	if id < 0 {
		return
	}
	addr, _ := sysShmat(w.k, s.p, [6]uint32{uint32(id)})
	if addr < 0 {
		return
	}
	model := w.shm[uint32(id)] // segment ids are never reused: a new segment has no model yet
	if model == nil {
		model = make([]*fuzzPage, w.k.segmentByID(uint32(id)).pages)
		for i := range model {
			model[i] = &fuzzPage{}
		}
		w.shm[uint32(id)] = model
	}
	m := fuzzMap{addr: mmu.VAddr(addr), pages: len(model), shared: true, shm: true}
	s.maps = append(s.maps, m)
	for i, pg := range model {
		s.shared[m.addr+mmu.VAddr(i)*isa.PageSize] = pg
	}
}

// unmap removes one of s's mappings (shmdt for a segment, munmap for the
// others): the one i picks, of the kind shm says.
func (w *fuzzWorld) unmap(s *fuzzSpace, i int, shm bool) {
	var pick []int
	for j, m := range s.maps {
		if m.shm == shm {
			pick = append(pick, j)
		}
	}
	if len(pick) == 0 {
		return
	}
	j := pick[i%len(pick)]
	m := s.maps[j]
	if shm {
		res, _ := sysShmdt(w.k, s.p, [6]uint32{uint32(m.addr)})
		require.Equal(w.t, int32(0), res)
	} else {
		res, _ := sysMunmap(w.k, s.p, [6]uint32{uint32(m.addr), uint32(m.pages) * isa.PageSize})
		require.Equal(w.t, int32(0), res)
	}
	s.maps = append(s.maps[:j], s.maps[j+1:]...)
	for k := range m.pages {
		va := m.addr + mmu.VAddr(k)*isa.PageSize
		delete(s.private, va)
		delete(s.shared, va)
	}
}

// store stores a new word in one of the pages of s that i picks.
func (w *fuzzWorld) store(s *fuzzSpace, i int) {
	pages := s.pages()
	if len(pages) == 0 {
		return
	}
	w.storeAt(s, pages[i%len(pages)])
}

// pages returns every page s has in the model, in address order.
func (s *fuzzSpace) pages() []mmu.VAddr {
	var out []mmu.VAddr
	for va := range s.private {
		out = append(out, va)
	}
	for va := range s.shared {
		out = append(out, va)
	}
	sortVAs(out)
	return out
}

// storeAt stores the next word at va in s, through the kernel's own
// copy (which copies a page shared copy-on-write first), and records it.
func (w *fuzzWorld) storeAt(s *fuzzSpace, va mmu.VAddr) {
	v := w.next
	w.next++
	b := binary.LittleEndian.AppendUint32(nil, v)
	w.retry(s, func() error { return w.k.copyOut(s.p, uint32(va), b) })
	if pg := s.shared[va]; pg != nil {
		pg.word = v
	} else {
		s.private[va] = v
	}
}

// retry calls copy until it stops waiting for the disk.
func (w *fuzzWorld) retry(s *fuzzSpace, copy func() error) {
	for range 100 {
		err := copy()
		if err != errBlocked && err != errShort {
			require.NoError(w.t, err)
			return
		}
		drainDisk(w.k)
	}
	w.t.Fatal("a copy never completed")
}

// check reads every page of s and compares it with the model.
func (w *fuzzWorld) check(s *fuzzSpace) {
	for _, va := range s.pages() {
		want := s.private[va]
		if pg := s.shared[va]; pg != nil {
			want = pg.word
		}
		var got []byte
		w.retry(s, func() (err error) {
			got, err = w.k.copyIn(s.p, uint32(va), 4)
			if err == nil && len(got) < 4 {
				return errShort
			}
			return err
		})
		require.Equal(w.t, want, binary.LittleEndian.Uint32(got),
			fmt.Sprintf("pid %d at %s: another process's word, or a lost one", s.p.PID, va))
	}
}

// checkAll checks every process.
func (w *fuzzWorld) checkAll() {
	for _, s := range w.procs {
		w.check(s)
	}
}

// sortVAs sorts addresses in increasing order.
func sortVAs(vas []mmu.VAddr) {
	for i := 1; i < len(vas); i++ {
		for j := i; j > 0 && vas[j] < vas[j-1]; j-- {
			vas[j], vas[j-1] = vas[j-1], vas[j]
		}
	}
}

func TestEveryProcessSeesItsOwnWordsThroughForksMappingsAndEviction(t *testing.T) {
	ops := make([]byte, 0, 400)
	x := uint32(12345)
	for range 200 {
		x = x*1103515245 + 12345
		ops = append(ops, byte(x>>16), byte(x>>24))
	}
	w := newFuzzWorld(t)
	for i := 0; i+1 < len(ops); i += 2 {
		w.step(ops[i], ops[i+1])
		require.NoError(t, w.k.Check(), "after step %d", i/2)
		w.checkAll()
	}
	s := w.k.Stats()
	require.NotZero(t, s.Forks)
	require.NotZero(t, s.COWCopies)
	require.NotZero(t, s.SwapOuts, "the pages are evicted and come back")
	for len(w.procs) > 0 {
		w.exit(w.procs[len(w.procs)-1])
	}
	drainDisk(w.k)
	require.NoError(t, w.k.Leaks())
}
