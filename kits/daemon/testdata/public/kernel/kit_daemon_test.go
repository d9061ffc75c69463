package kernel

// The daemon kit's tests of the parts, one at a time, on a machine of
// 64K (16 frames) with one process whose heap pages are resident: what
// is available, the watermarks, the eviction of a clean page and of a
// dirty one, the end of a write-back, the reclaim, the locks. Each test
// checks the kernel's invariants (Check) after each step.

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"toyvm/isa"
	"toyvm/kernel/vm"
	"toyvm/mmu"
)

// kitDaemonMachine returns a machine of 64K with one process whose heap
// has n pages, each resident: zero-filled, clean, mapped. They are made
// while the daemon sleeps (both watermarks 0: nothing is ever below
// them); a test sets the watermarks it wants in k.cfg. The stack's page,
// dirty with the arguments, is written out and in the pool: every
// resident page is a clean heap page.
func kitDaemonMachine(t *testing.T, n int) (*Kernel, *Process) {
	t.Helper()
	cfg := testConfig()
	cfg.MemBytes, cfg.Check, cfg.TrackAllocations = 64<<10, true, true
	k, _, _ := newKernel(t, cfg)
	k.cfg.PoolLow, k.cfg.PoolHigh = 0, 0
	p := spawn(t, k, exitProgram)
	require.NoError(t, k.resizeHeap(p, uint32(p.heap.Start)+pages(n)))
	for i := range n {
		require.Equal(t, ZeroFilled.String(), k.getPage(p, p.heap, kitDaemonVA(p, i)).how.String(), "heap page %d", i)
	}
	stack := p.Space.Region(isa.StackTop - 4)
	kitDaemonEvictPage(t, k, stack.Object.Lookup(stack.Index(isa.StackTop-4)))
	drainDisk(k)
	require.NoError(t, k.Check())
	require.Equal(t, 1, k.Frames.PoolCount(), "the stack's page, written out, is in the pool")
	require.Equal(t, n, kitDaemonMapped(k), "every heap page is resident")
	return k, p
}

// kitDaemonVA returns the address of p's heap page i.
func kitDaemonVA(p *Process, i int) mmu.VAddr { return p.heap.Start + mmu.VAddr(pages(i)) }

// kitDaemonPage returns p's heap page i.
func kitDaemonPage(p *Process, i int) *vm.Page { return p.heap.Object.Lookup(uint32(i)) }

// kitDaemonEvict evicts p's heap page i, as the daemon does with a
// victim the policy chose (and so forgot).
func kitDaemonEvict(t *testing.T, k *Kernel, p *Process, i int) {
	t.Helper()
	kitDaemonEvictPage(t, k, kitDaemonPage(p, i))
}

// kitDaemonEvictPage evicts the resident page pg.
func kitDaemonEvictPage(t *testing.T, k *Kernel, pg *vm.Page) {
	t.Helper()
	require.NotZero(t, pg.Frame, "%s page %d is in a frame", pg.Home().Name, pg.Index)
	k.policy.Remove(policyPage(pg.Frame))
	require.NoError(t, k.evict(pg.Frame), "evict %s page %d", pg.Home().Name, pg.Index)
	require.NoError(t, k.Check(), "after the eviction of %s page %d", pg.Home().Name, pg.Index)
}

// kitDaemonMapped counts the frames holding user pages that are
// resident (mapped, followed by the policy).
func kitDaemonMapped(k *Kernel) int {
	n := 0
	for f := 1; f < k.Frames.Len(); f++ {
		if k.Frames.Get(uint32(f)).State == vm.FrameMapped {
			n++
		}
	}
	return n
}

func TestKitDaemonCountsTheFramesThatAreAvailable(t *testing.T) {
	k, p := kitDaemonMachine(t, 4)
	free := k.Frames.FreeCount()
	assert.Equal(t, free+1, k.available(), "free + pool (the stack's page), nothing written")

	kitDaemonEvict(t, k, p, 0)
	assert.Equal(t, 2, k.Frames.PoolCount(), "a clean victim is in the pool")
	assert.Equal(t, free+2, k.available(), "free + pool")

	require.NoError(t, k.copyOut(p, uint32(kitDaemonVA(p, 1)), []byte("dirty")))
	kitDaemonEvict(t, k, p, 1)
	assert.Equal(t, free, k.Frames.FreeCount())
	assert.Equal(t, 2, k.Frames.PoolCount(), "a dirty victim is not in the pool while it is written")
	assert.Equal(t, free+3, k.available(), "free + pool + the frames being written back")
	drainDisk(k)
	require.NoError(t, k.Check())
	assert.Equal(t, 3, k.Frames.PoolCount(), "a written page joins the pool")
	assert.Equal(t, free+3, k.available())

	user := k.Frames.Len() - 1 - k.Frames.KernelCount()
	k.cfg.PoolHigh = 3
	assert.Equal(t, 3, k.target(), "the high watermark")
	k.cfg.PoolHigh = 1000
	assert.Equal(t, user-MinResident, k.target(), "never so many that fewer than MinResident user pages stay")
}

func TestKitDaemonWakesBelowTheLowWatermarkAndFillsThePoolToTheHigh(t *testing.T) {
	k, p := kitDaemonMachine(t, 8)
	have, before := k.available(), k.Stats()
	k.cfg.PoolLow, k.cfg.PoolHigh = have, have+3
	k.daemonCheck()
	assert.Zero(t, k.Stats().DaemonRuns, "%d available, the low watermark %d: the daemon sleeps", have, have)
	assert.Equal(t, int(before.Evictions), int(k.Stats().Evictions), "the daemon slept: nothing was evicted")

	k.cfg.PoolLow = have + 1
	k.daemonCheck()
	require.NoError(t, k.Check())
	s := k.Stats()
	assert.Equal(t, 1, int(s.DaemonRuns), "%d available, the low watermark %d: the daemon runs", have, have+1)
	assert.Equal(t, int(before.Evictions+3), int(s.Evictions), "from %d available to the high watermark %d", have, have+3)
	assert.Equal(t, have+3, k.available(), "the high watermark is reached")
	assert.Equal(t, 1+3, k.Frames.PoolCount(), "clean victims go to the pool at once")
	assert.Equal(t, 1, int(s.SwapOuts), "the stack's page alone was written: a clean page never is")
	assert.Equal(t, 1, int(k.Disk.Stats().Writes), "one disk write: the stack's page")
	for i := range 8 {
		if k.Frames.Get(kitDaemonPage(p, i).Frame).State == vm.FramePool {
			assert.False(t, present(p, uint32(kitDaemonVA(p, i))), "an evicted page is not present")
		}
	}

	k.cfg.PoolLow, k.cfg.PoolHigh = 1000, 1000
	k.daemonCheck()
	require.NoError(t, k.Check())
	assert.Equal(t, MinResident, kitDaemonMapped(k), "however high the watermarks, MinResident pages stay")
	assert.Equal(t, k.target(), k.available(), "the daemon filled the pool as far as it may")
}

func TestKitDaemonPutsACleanVictimInThePoolAtOnce(t *testing.T) {
	k, p := kitDaemonMachine(t, 4)
	pg := kitDaemonPage(p, 2)
	frame := pg.Frame
	kitDaemonEvict(t, k, p, 2)
	fr := k.Frames.Get(frame)
	assert.Equal(t, vm.FramePool.String(), fr.State.String(), "a clean victim's frame")
	assert.Zero(t, fr.Locks)
	assert.Same(t, pg, fr.Page, "the frame keeps its page")
	assert.Equal(t, frame, pg.Frame, "and the page its frame")
	assert.Zero(t, fr.Shares(), "mapped nowhere")
	pte := p.Space.PT.Lookup(kitDaemonVA(p, 2)).PTE
	assert.True(t, pte.Has(mmu.V) && !pte.Has(mmu.P), "its entry stays valid, not present: %v", pte)
	s := k.Stats()
	assert.Equal(t, 2, int(s.Evictions), "the stack's page and this one")
	assert.Equal(t, 1, int(s.SwapOuts), "the stack's page alone: a clean page is not written")
	assert.Equal(t, 1, int(k.Disk.Stats().Writes), "one disk write: the stack's page")
	assert.False(t, k.Disk.Busy())
}

func TestKitDaemonWritesADirtyVictimOnceThenPoolsIt(t *testing.T) {
	k, p := kitDaemonMachine(t, 4)
	va := uint32(kitDaemonVA(p, 1))
	require.NoError(t, k.copyOut(p, va, []byte("a dirty page")))
	pg := kitDaemonPage(p, 1)
	frame := pg.Frame
	kitDaemonEvict(t, k, p, 1)
	fr := k.Frames.Get(frame)
	assert.Equal(t, vm.FrameBusy.String(), fr.State.String(), "a dirty victim's frame is busy while it is written")
	assert.Positive(t, fr.Locks, "and locked")
	assert.True(t, pg.Writing)
	assert.NotEqual(t, vm.NoSlot, pg.Slot, "it has a swap slot")
	assert.Equal(t, 1, k.pendingWrites)
	assert.Equal(t, 2, int(k.Stats().SwapOuts), "the stack's page, then this one")
	assert.False(t, present(p, va))
	slot := pg.Slot

	drainDisk(k)
	require.NoError(t, k.Check(), "after the write")
	assert.Equal(t, vm.FramePool.String(), fr.State.String(), "written, the frame joins the pool")
	assert.Zero(t, fr.Locks)
	assert.False(t, pg.Writing)
	assert.False(t, pg.Dirty, "its copy in swap is up to date: the page is clean")
	assert.Equal(t, slot, pg.Slot, "and keeps its slot")
	assert.Zero(t, k.pendingWrites)
	assert.Equal(t, 2, int(k.Disk.Stats().Writes), "two disk writes: the stack's page and this one")

	require.Equal(t, Reclaimed.String(), k.getPage(p, p.heap, mmu.VAddr(va)).how.String(), "touched again, it is reclaimed")
	require.NoError(t, k.Check())
	got, err := k.copyIn(p, va, 12)
	require.NoError(t, err)
	assert.Equal(t, "a dirty page", string(got))
	kitDaemonEvict(t, k, p, 1)
	assert.Equal(t, vm.FramePool.String(), k.Frames.Get(pg.Frame).State.String(), "clean now: to the pool at once")
	assert.Equal(t, 2, int(k.Stats().SwapOuts), "a page is written once, not at each eviction")
	assert.Equal(t, 2, int(k.Disk.Stats().Writes), "two disk writes: the stack's page and this one")
}

func TestKitDaemonReclaimsAPageFromThePoolWithoutIO(t *testing.T) {
	k, p := kitDaemonMachine(t, 6)
	va := kitDaemonVA(p, 3)
	require.NoError(t, k.copyOut(p, uint32(va), []byte("kept in the pool")))
	kitDaemonEvict(t, k, p, 3)
	drainDisk(k)
	pg := kitDaemonPage(p, 3)
	frame := pg.Frame
	require.Equal(t, vm.FramePool.String(), k.Frames.Get(frame).State.String(), "the dirty page, written, is in the pool")
	reads := k.Disk.Stats().Reads

	res := k.getPage(p, p.heap, va)
	require.NoError(t, k.Check(), "after the reclaim")
	assert.Equal(t, Reclaimed.String(), res.how.String(), "a page in the pool is reclaimed")
	assert.Equal(t, frame, pg.Frame, "the page is where it was")
	assert.Equal(t, vm.FrameMapped.String(), k.Frames.Get(frame).State.String(), "resident again")
	assert.Equal(t, 1, k.Frames.Get(frame).Shares(), "and mapped")
	assert.True(t, present(p, uint32(va)))
	assert.Equal(t, int(reads), int(k.Disk.Stats().Reads), "no disk read")
	assert.Equal(t, 1, k.Frames.PoolCount(), "the stack's page alone is left in the pool")
	got, err := k.copyIn(p, uint32(va), 16)
	require.NoError(t, err)
	assert.Equal(t, "kept in the pool", string(got))

	// A reclaim takes a frame out of the pool: below the low watermark,
	// it wakes the daemon, which must not take the reclaimed page.
	kitDaemonEvict(t, k, p, 4)
	k.cfg.PoolLow, k.cfg.PoolHigh = k.available(), k.available()+1
	require.Equal(t, k.cfg.PoolHigh, k.target())
	runs := k.Stats().DaemonRuns
	require.Equal(t, Reclaimed.String(), k.getPage(p, p.heap, kitDaemonVA(p, 4)).how.String(),
		"heap page 4, evicted clean, is in the pool: touched again, it is reclaimed")
	require.NoError(t, k.Check())
	assert.Equal(t, int(runs+1), int(k.Stats().DaemonRuns), "the reclaim left too few available: the daemon ran")
	assert.Equal(t, k.cfg.PoolHigh, k.available(), "and filled the pool to the high watermark")
	assert.True(t, present(p, uint32(kitDaemonVA(p, 4))), "the reclaimed page is mapped")
}

func TestKitDaemonNeverEvictsALockedFrame(t *testing.T) {
	k, p := kitDaemonMachine(t, 8)
	var locked []uint32
	for i := range 4 {
		f := kitDaemonPage(p, i).Frame
		k.Frames.Lock(f) // as a read() into the page does
		locked = append(locked, f)
	}
	for _, f := range locked {
		assert.False(t, k.evictable(policyPage(f)), "frame %#x is locked", f)
	}
	assert.True(t, k.evictable(policyPage(kitDaemonPage(p, 5).Frame)), "a mapped frame nobody locked")
	kitDaemonEvict(t, k, p, 6)
	assert.False(t, k.evictable(policyPage(kitDaemonPage(p, 6).Frame)), "a frame in the pool")

	k.cfg.PoolLow, k.cfg.PoolHigh = 1000, 1000
	k.daemonCheck()
	require.NoError(t, k.Check())
	for i, f := range locked {
		assert.Equal(t, vm.FrameMapped.String(), k.Frames.Get(f).State.String(), "heap page %d, locked, stays", i)
		assert.True(t, present(p, uint32(kitDaemonVA(p, i))), "heap page %d, locked, stays mapped", i)
	}
	assert.Positive(t, k.Stats().LockSkips, "the locked frames were passed over")
	for _, f := range locked {
		k.Frames.Unlock(f)
	}
	require.NoError(t, k.Check())
}

func TestKitDaemonFreesAPageWrittenBackForAProcessThatHasExited(t *testing.T) {
	k, p := kitDaemonMachine(t, 4)
	for i := range 3 {
		require.NoError(t, k.copyOut(p, uint32(kitDaemonVA(p, i)), []byte{1, 2, 3, byte(i)}))
		kitDaemonEvict(t, k, p, i)
	}
	require.Equal(t, 3, k.pendingWrites)
	k.exit(p, 0) // its pages are gone while they are written
	drainDisk(k)
	require.NoError(t, k.Check())
	assert.Zero(t, k.pendingWrites)
	assert.NoError(t, k.Leaks(), "the frames and slots of pages written for nobody are freed")
}
