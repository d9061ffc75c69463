package kernel

// The daemon kit's hidden tests: more programs under both swap layouts
// and two policies, several processes sharing the pool, watermarks tiny
// and huge, and swap full. They use the public tests' helpers.

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"toyvm/isa"
	"toyvm/kernel/vm"
)

func TestKitDaemonHiddenMoreProgramsUnderBothSwapLayouts(t *testing.T) {
	for _, swap := range []vm.SwapLayout{vm.SwapDynamic, vm.SwapStatic} {
		for _, policy := range []string{"clock", "lru"} {
			for _, name := range []string{"linear.s", "bigread.s", "shuffle.s", "recursion.s", "mapsum.s",
				"sbrk.s", "shm.s", "cow.s", "fork.s", "parallel.s"} {
				cfg := kitDaemonConfig(64 << 10)
				cfg.Swap, cfg.Policy = swap, policy
				out, status, k := kitDaemonRun(t, kitDaemonProgram(t, name), name, cfg)
				assert.Equal(t, 0, status, "%s, %s swap, %s", name, swap, policy)
				assert.Equal(t, kitDaemonWant(t, name), out, "%s, %s swap, %s", name, swap, policy)
				assert.Positive(t, k.Stats().Evictions, "%s, %s swap, %s", name, swap, policy)
			}
		}
	}
}

func TestKitDaemonHiddenSeveralProcessesShareThePool(t *testing.T) {
	for _, mem := range []uint64{64 << 10, 128 << 10} {
		out, status, k := kitDaemonRun(t, kitDaemonProgram(t, "parallel.s"), "parallel.s", kitDaemonConfig(mem))
		assert.Equal(t, 0, status)
		assert.Equal(t, kitDaemonWant(t, "parallel.s"), out, "parallel.s in %s", SizeText(mem))
		assert.Positive(t, k.Stats().Reclaims, "parallel.s in %s", SizeText(mem))
	}
	cfg := kitDaemonConfig(128 << 10)
	out, status, k := kitDaemonRun(t, assemble(t, cowSweep), "cowsweep.s", cfg)
	assert.Equal(t, 0, status)
	assert.Equal(t, []uint32{1176, 1176 + 2400, 1176}, words(out), "48 pages shared by a parent and its child")
	assert.Positive(t, k.Stats().SwapOuts)

	out, status, _ = kitDaemonRun(t, assemble(t, forkTree(3)), "forktree.s", kitDaemonConfig(128<<10))
	assert.Equal(t, 0, status)
	assert.Equal(t, kitDaemonTree("r", 3), out, "a tree of 15 processes in 128K")
}

// kitDaemonTree returns what forkTree(levels) prints below path: each
// process's path, depth first.
func kitDaemonTree(path string, levels int) string {
	if levels == 0 {
		return path + "\n"
	}
	return path + "\n" + kitDaemonTree(path+"0", levels-1) + kitDaemonTree(path+"1", levels-1)
}

func TestKitDaemonHiddenTinyAndHugeWatermarks(t *testing.T) {
	for _, marks := range [][2]int{{0, 0}, {1, 1}, {1, 2}, {4, 8}, {8, 8}} {
		for _, name := range []string{"linear.s", "cow.s", "bigread.s"} {
			cfg := kitDaemonConfig(64 << 10)
			cfg.PoolLow, cfg.PoolHigh = marks[0], marks[1]
			out, status, k := kitDaemonRun(t, kitDaemonProgram(t, name), name, cfg)
			assert.Equal(t, 0, status, "%s, watermarks %v", name, marks)
			assert.Equal(t, kitDaemonWant(t, name), out, "%s, watermarks %v", name, marks)
			if marks[0] == 0 {
				assert.Zero(t, k.Stats().DaemonRuns, "%s: nothing is ever below a low watermark of 0", name)
			} else {
				assert.Positive(t, k.Stats().DaemonRuns, "%s, watermarks %v", name, marks)
			}
		}
	}
}

func TestKitDaemonHiddenAVictimThatFindsSwapFullIsKeptAndTheHogKilled(t *testing.T) {
	cfg := testConfig()
	cfg.MemBytes, cfg.SwapSize, cfg.Check, cfg.TrackAllocations = 64<<10, 8<<10, true, true
	k, _, _ := newKernel(t, cfg)
	k.cfg.PoolLow, k.cfg.PoolHigh = 0, 0
	p := spawn(t, k, exitProgram)
	require.NoError(t, k.resizeHeap(p, uint32(p.heap.Start)+pages(4)))
	for i := range 4 {
		require.Equal(t, ZeroFilled.String(), k.getPage(p, p.heap, kitDaemonVA(p, i)).how.String())
		require.NoError(t, k.copyOut(p, uint32(kitDaemonVA(p, i)), []byte{byte(i + 1)}))
	}
	stack := p.Space.Region(isa.StackTop - 4)
	kitDaemonEvictPage(t, k, stack.Object.Lookup(stack.Index(isa.StackTop-4)))
	kitDaemonEvict(t, k, p, 0)
	drainDisk(k)
	require.Zero(t, k.swap.Free(), "both slots are taken")

	pg := kitDaemonPage(p, 1)
	evictions := k.Stats().Evictions
	k.policy.Remove(policyPage(pg.Frame))
	assert.ErrorIs(t, k.evict(pg.Frame), vm.ErrSwapFull)
	k.policy.Insert(policyPage(pg.Frame))
	require.NoError(t, k.Check())
	assert.Equal(t, vm.FrameMapped.String(), k.Frames.Get(pg.Frame).State.String(), "the victim stays where it was")
	assert.True(t, present(p, uint32(kitDaemonVA(p, 1))), "and mapped")
	assert.Equal(t, vm.NoSlot, pg.Slot)
	assert.Equal(t, int(evictions), int(k.Stats().Evictions), "nothing was evicted")
	assert.Zero(t, k.pendingWrites)

	k.cfg.PoolLow, k.cfg.PoolHigh = 1000, 1000
	k.daemonCheck() // every victim left is dirty, and swap is full
	require.NoError(t, k.Check())
	for i := 1; i < 4; i++ {
		assert.True(t, present(p, uint32(kitDaemonVA(p, i))), "heap page %d could not be written: it stays", i)
	}
	got, err := k.copyIn(p, uint32(kitDaemonVA(p, 3)), 1)
	require.NoError(t, err)
	assert.Equal(t, []byte{4}, got)
	k.exit(p, 0)
	drainDisk(k)
	require.NoError(t, k.Leaks())

	cfg = kitDaemonConfig(64 << 10)
	cfg.SwapSize = 16 << 10
	_, status, k := kitDaemonRun(t, assemble(t, touchPages), "touch.s", cfg)
	assert.Equal(t, StatusNoMemory, status, "a program that fills memory and swap is killed")
	assert.Equal(t, bootFree(cfg), k.Frames.FreeCount(), "and its memory is freed")
	assert.Equal(t, 4, k.swap.Free(), "and its swap")
}
