package kernel

// The fork kit's tests of the parts, one at a time: what fork gives the
// child, what it takes from the parent (W), the first write of either
// (a copy, or a reuse when the page is no longer shared), and the
// kernel's own writes into a shared page. Each checks the kernel's
// invariants (Check) after each step.

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"toyvm/isa"
	"toyvm/kernel/vm"
	"toyvm/mmu"
)

// kitForkParent returns a machine of 1M with one process whose heap has
// n pages, page i holding the word i+1 (dirty, resident), and a shared
// anonymous mapping of one page holding 77: a process about to fork.
func kitForkParent(t *testing.T, n int) (*Kernel, *Process, mmu.VAddr) {
	t.Helper()
	cfg := testConfig()
	cfg.Check, cfg.TrackAllocations = true, true
	k, _, _ := newKernel(t, cfg)
	p := spawn(t, k, exitProgram)
	require.NoError(t, k.resizeHeap(p, uint32(p.heap.Start)+pages(n)))
	for i := range n {
		kitForkStore(t, k, p, kitForkVA(p, i), uint32(i+1))
	}
	shared, _ := sysMmap(k, p, [6]uint32{0, isa.PageSize, MmapRead | MmapWrite, MmapAnonymous | MmapShared})
	require.Positive(t, shared, "mmap of a shared page")
	kitForkStore(t, k, p, mmu.VAddr(shared), 77)
	require.NoError(t, k.Check())
	return k, p, mmu.VAddr(shared)
}

// kitForkVA returns the address of p's heap page i.
func kitForkVA(p *Process, i int) mmu.VAddr { return p.heap.Start + mmu.VAddr(pages(i)) }

// kitForkStore stores word v at va for p, through the kernel (copyOut).
func kitForkStore(t *testing.T, k *Kernel, p *Process, va mmu.VAddr, v uint32) {
	t.Helper()
	require.NoError(t, k.copyOut(p, uint32(va), []byte{byte(v), byte(v >> 8), byte(v >> 16), byte(v >> 24)}), "store at %s", va)
	require.NoError(t, k.Check(), "after the store at %s", va)
}

// kitForkLoad returns the word p sees at va (copyIn).
func kitForkLoad(t *testing.T, k *Kernel, p *Process, va mmu.VAddr) uint32 {
	t.Helper()
	b, err := k.copyIn(p, uint32(va), 4)
	require.NoError(t, err, "load at %s", va)
	return uint32(b[0]) | uint32(b[1])<<8 | uint32(b[2])<<16 | uint32(b[3])<<24
}

// kitForkWrite is p's own write to va, which its entry does not allow:
// the protection fault the CPU raises, served by writeFault.
func kitForkWrite(t *testing.T, k *Kernel, p *Process, va mmu.VAddr) Result {
	t.Helper()
	r := p.Space.Region(va)
	require.NotNil(t, r, "a region at %s", va)
	res := k.writeFault(p, r, mmu.Fault{Cause: isa.Protection, Access: isa.Write, Addr: va, User: true})
	require.NoError(t, k.Check(), "after the write fault at %s", va)
	return res
}

func TestKitForkSharesEveryPrivatePageCopyOnWrite(t *testing.T) {
	k, p, shared := kitForkParent(t, 3)
	p.Ctx.R[0], p.Ctx.R[5], p.Ctx.PC = 8, 1234, 0x1002
	procs, next := len(k.procs), k.nextPID
	c, err := k.forkProcess(p)
	require.NoError(t, err)
	require.NoError(t, k.Check(), "after the fork")

	assert.Equal(t, next, c.PID, "the child takes the next pid")
	assert.Equal(t, next+1, k.nextPID)
	assert.Len(t, k.procs, procs+1, "and joins the process table")
	assert.Same(t, c, k.procs[len(k.procs)-1])
	assert.Same(t, p, c.Parent)
	assert.Equal(t, p.Name, c.Name)
	assert.Equal(t, Runnable, c.State)
	assert.Equal(t, uint32(0), c.Ctx.R[0], "fork returns 0 in the child")
	assert.Equal(t, uint32(1234), c.Ctx.R[5], "the other registers are the parent's")
	assert.Equal(t, p.Ctx.PC, c.Ctx.PC)
	assert.Equal(t, p.brk, c.brk, "the break")
	assert.Equal(t, 1, int(k.Stats().Forks))
	require.NotNil(t, c.heap, "the child has a heap")
	assert.NotSame(t, p.heap, c.heap, "its own")
	assert.Equal(t, p.heap.Start, c.heap.Start)
	assert.Equal(t, p.heap.End, c.heap.End)
	require.Len(t, c.Space.Regions, len(p.Space.Regions), "a copy of each region")
	assert.NotSame(t, p.Space, c.Space, "a new address space")
	assert.NotEqual(t, p.Space.PT.CR3(), c.Space.PT.CR3(), "with its own page directory")

	assert.NotSame(t, p.heap.Object, c.heap.Object, "a private region's copy has an object of its own")
	for i := range 3 {
		pg := p.heap.Object.Lookup(uint32(i))
		require.NotNil(t, pg)
		assert.Same(t, pg, c.heap.Object.Lookup(uint32(i)), "holding the same page records: heap page %d", i)
		assert.True(t, pg.Shared(), "heap page %d is shared", i)
		pte := p.Space.PT.Lookup(kitForkVA(p, i)).PTE
		assert.True(t, pte.Has(mmu.P), "the parent's page %d stays present", i)
		assert.False(t, pte.Has(mmu.W), "but loses W, so that its next write faults: %v", pte)
		assert.False(t, present(c, uint32(kitForkVA(c, i))), "the child's table starts empty")
	}
	assert.Same(t, p.Space.Region(shared).Object, c.Space.Region(shared).Object, "a shared region is the same object in both")
	assert.True(t, p.Space.PT.Lookup(shared).PTE.Has(mmu.W), "and keeps W")

	assert.Equal(t, SharedHit.String(), k.getPage(c, c.heap, kitForkVA(c, 1)).how.String(), "the child's first touch maps the parent's frame")
	assert.Equal(t, uint32(2), kitForkLoad(t, k, c, kitForkVA(c, 1)))
	assert.Equal(t, uint32(77), kitForkLoad(t, k, c, shared))
	require.NoError(t, k.Check())
}

func TestKitForkTheFirstWriteCopiesAndTheLastHolderReuses(t *testing.T) {
	k, p, _ := kitForkParent(t, 2)
	c, err := k.forkProcess(p)
	require.NoError(t, err)
	va := kitForkVA(p, 0)
	old := p.heap.Object.Lookup(0)
	require.Equal(t, SharedHit.String(), k.getPage(c, c.heap, va).how.String())
	require.Equal(t, 2, k.Frames.Get(old.Frame).Shares())

	res := kitForkWrite(t, k, c, va)
	assert.Equal(t, CopiedOnWrite.String(), res.how.String(), "the child writes a shared page: it gets a copy")
	np := c.heap.Object.Lookup(0)
	assert.NotSame(t, old, np, "a page record of its own")
	assert.NotEqual(t, old.Frame, np.Frame, "in a frame of its own")
	assert.Equal(t, vm.FrameMapped.String(), k.Frames.Get(np.Frame).State.String())
	assert.True(t, np.Dirty, "a copy has no copy anywhere else: it is dirty")
	pte := c.Space.PT.Lookup(va).PTE
	assert.True(t, pte.Has(mmu.P|mmu.W), "mapped writable: %v", pte)
	assert.Equal(t, np.Frame, pte.Frame())
	assert.Same(t, old, p.heap.Object.Lookup(0), "the parent keeps the original")
	assert.False(t, old.Shared(), "now the parent's alone")
	assert.Equal(t, 1, k.Frames.Get(old.Frame).Shares(), "mapped once, by the parent")
	assert.Equal(t, uint32(1), kitForkLoad(t, k, c, va), "the copy holds the page's bytes")

	kitForkStore(t, k, c, va, 500)
	assert.Equal(t, uint32(500), kitForkLoad(t, k, c, va))
	assert.Equal(t, uint32(1), kitForkLoad(t, k, p, va), "the parent does not see the child's write")

	frame := old.Frame
	res = kitForkWrite(t, k, p, va)
	assert.Equal(t, Unshared.String(), res.how.String(), "the parent writes a page no longer shared: no copy")
	assert.Same(t, old, p.heap.Object.Lookup(0))
	assert.Equal(t, frame, old.Frame, "the same frame")
	assert.True(t, p.Space.PT.Lookup(va).PTE.Has(mmu.W|mmu.D), "made writable, and dirty")

	k.exit(c, 0)
	require.NoError(t, k.Check())
	va1 := kitForkVA(p, 1)
	assert.Equal(t, Unshared.String(), kitForkWrite(t, k, p, va1).how.String(), "the child has exited: the parent holds its pages alone")
	k.exit(p, 0)
	drainDisk(k)
	require.NoError(t, k.Leaks())
}

func TestKitForkAKernelWriteIntoASharedPageCopiesItFirst(t *testing.T) {
	k, p, shared := kitForkParent(t, 2)
	c, err := k.forkProcess(p)
	require.NoError(t, err)
	va := kitForkVA(c, 1)
	copies := k.Stats().COWCopies
	kitForkStore(t, k, c, va, 9999) // as a read() into the child's buffer does
	assert.Equal(t, int(copies+1), int(k.Stats().COWCopies), "the kernel's write copied the page, and counted it")
	assert.Equal(t, uint32(9999), kitForkLoad(t, k, c, va))
	assert.Equal(t, uint32(2), kitForkLoad(t, k, p, va), "the parent's page is untouched")
	assert.NotSame(t, p.heap.Object.Lookup(1), c.heap.Object.Lookup(1))

	kitForkStore(t, k, c, shared, 88)
	assert.Equal(t, int(copies+1), int(k.Stats().COWCopies), "a shared mapping is not copied")
	assert.Equal(t, uint32(88), kitForkLoad(t, k, p, shared), "both see a store into a shared mapping")
}

func TestKitForkLeavesNothingBehindWhicheverExitsFirst(t *testing.T) {
	for _, parentFirst := range []bool{true, false} {
		k, p, shared := kitForkParent(t, 4)
		c, err := k.forkProcess(p)
		require.NoError(t, err)
		require.NoError(t, k.Check(), "after the fork")

		// The child maps page 0 and copies page 1, the parent copies page
		// 2; page 3, shared, is written to swap, and the child reclaims it.
		require.Equal(t, SharedHit.String(), k.getPage(c, c.heap, kitForkVA(c, 0)).how.String())
		require.Equal(t, SharedHit.String(), k.getPage(c, c.heap, kitForkVA(c, 1)).how.String())
		require.Equal(t, CopiedOnWrite.String(), kitForkWrite(t, k, c, kitForkVA(c, 1)).how.String())
		require.Equal(t, CopiedOnWrite.String(), kitForkWrite(t, k, p, kitForkVA(p, 2)).how.String())
		pg3 := p.heap.Object.Lookup(3)
		k.policy.Remove(policyPage(pg3.Frame))
		require.NoError(t, k.evict(pg3.Frame))
		drainDisk(k)
		require.NoError(t, k.Check(), "after page 3 was written to swap")
		require.Equal(t, Reclaimed.String(), k.getPage(c, c.heap, kitForkVA(c, 3)).how.String())
		kitForkStore(t, k, c, shared, 55)

		first, last := p, c
		if !parentFirst {
			first, last = c, p
		}
		what := map[bool]string{true: "the parent exits first", false: "the child exits first"}[parentFirst]
		k.exit(first, 0)
		require.NoError(t, k.Check(), what)
		for i := range 4 {
			assert.Equal(t, uint32(i+1), kitForkLoad(t, k, last, kitForkVA(last, i)), "%s: the other keeps heap page %d", what, i)
		}
		assert.Equal(t, uint32(55), kitForkLoad(t, k, last, shared), "%s: and the shared page", what)
		copies, pg0 := k.Stats().COWCopies, last.heap.Object.Lookup(0)
		assert.NotEqual(t, CopiedOnWrite.String(), kitForkWrite(t, k, last, kitForkVA(last, 0)).how.String(),
			"%s: a page it shared is its alone now: made writable, not copied", what)
		assert.Same(t, pg0, last.heap.Object.Lookup(0), "%s: the same page", what)
		assert.Equal(t, int(copies), int(k.Stats().COWCopies), what)

		k.exit(last, 0)
		drainDisk(k)
		require.NoError(t, k.Check(), what)
		require.NoError(t, k.Leaks(), "%s, then the other", what)
		assert.Equal(t, k.Frames.Len()-1, k.Frames.FreeCount(), "%s: every frame is free", what)
		assert.Equal(t, k.swap.Slots(), k.swap.Free(), "%s: every swap slot is free", what)
	}
}

func TestKitForkThatFailsCreatesNothing(t *testing.T) {
	cfg := testConfig()
	cfg.Check, cfg.TrackAllocations = true, true
	cfg.Swap, cfg.SwapSize = vm.SwapStatic, 40*isa.PageSize
	k, _, _ := newKernel(t, cfg)
	p := spawn(t, k, exitProgram)
	require.NoError(t, k.resizeHeap(p, uint32(p.heap.Start)+pages(24)))
	for i := range 24 {
		kitForkStore(t, k, p, kitForkVA(p, i), uint32(i+1))
	}
	require.Less(t, k.swap.Free(), k.swap.Slots()-k.swap.Free(), "the parent's regions take more than half of swap")
	procs, next, free, swapFree := len(k.procs), k.nextPID, k.Frames.FreeCount(), k.swap.Free()

	c, err := k.forkProcess(p)
	require.Error(t, err, "static swap has no room for a copy of the parent's regions")
	assert.ErrorIs(t, err, vm.ErrSwapFull)
	assert.Nil(t, c)
	require.NoError(t, k.Check(), "after the failed fork")
	assert.Len(t, k.procs, procs, "no child in the process table")
	assert.Equal(t, next, k.nextPID, "no pid taken")
	assert.Zero(t, k.Stats().Forks, "no fork counted")
	assert.Equal(t, free, k.Frames.FreeCount(), "the child's page directory and tables are given back")
	assert.Equal(t, swapFree, k.swap.Free(), "and the swap it reserved")
	for i := range 24 {
		assert.False(t, p.heap.Object.Lookup(uint32(i)).Shared(), "heap page %d is the parent's alone again", i)
	}
	pg5 := p.heap.Object.Lookup(5)
	assert.NotEqual(t, CopiedOnWrite.String(), kitForkWrite(t, k, p, kitForkVA(p, 5)).how.String(), "the parent writes its page without a copy")
	assert.Same(t, pg5, p.heap.Object.Lookup(5), "the same page")
	assert.Equal(t, uint32(6), kitForkLoad(t, k, p, kitForkVA(p, 5)))

	k.exit(p, 0)
	drainDisk(k)
	require.NoError(t, k.Leaks())
}
