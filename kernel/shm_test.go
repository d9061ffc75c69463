package kernel

import (
	"maps"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"toyvm/isa"
	"toyvm/kernel/vm"
)

// shmRelay: the parent gets the segment of key 7 (3 pages), attaches it,
// forks; the child attaches it again (a second mapping of the same
// pages), writes 1, 2, 3 into the first word of each page and exits; the
// parent, having waited, exits with the sum it reads through its own
// mapping, times 10, plus the number of segments left after detaching
// (its own attach and the child's inherited one are gone: 0).
const shmRelay = `
start:  mov     #14, r0         ; shmget(7, 3 pages)
        mov     #7, r1
        mov     #12288, r2
        sys
        mov     r0, r6          ; id
        mov     #15, r0         ; shmat(id)
        mov     r6, r1
        sys
        mov     r0, r7          ; the parent's mapping
        mov     #8, r0
        sys
        tst     r0
        beq     child
        mov     r0, r1
        mov     #7, r0
        sys
        mov     (r7), r1
        add     4096(r7), r1
        add     8192(r7), r1
        mul     #10, r1
        mov     r1, r5
        mov     #16, r0         ; shmdt
        mov     r7, r1
        sys
        mov     #14, r0         ; the key is free again: a new segment, id 2
        mov     #7, r1
        mov     #4096, r2
        sys
        add     r0, r5
        mov     r5, r1
        mov     #1, r0
        sys
child:  mov     #15, r0         ; attach again
        mov     r6, r1
        sys
        mov     r0, r4
        mov     #1, (r4)
        mov     #2, 4096(r4)
        mov     #3, 8192(r4)
        mov     #1, r0
        clr     r1
        sys
`

func TestASharedMemorySegmentIsSharedByFrameAndItsKeyFreedAtTheLastDetach(t *testing.T) {
	for name, change := range map[string]func(*Config){
		"defaults":         func(*Config) {},
		"sw refill, dirty": func(c *Config) { c.SoftwareRefill, c.SoftwareDirty = true, true },
		"asid, tlb 4":      func(c *Config) { c.ASID, c.TLBSize = true, 4 },
		"static swap":      func(c *Config) { c.Swap = vm.SwapStatic },
	} {
		cfg := testConfig()
		cfg.Check = true
		change(&cfg)
		_, errs, status, k := runProgram(t, shmRelay, cfg)
		assert.Empty(t, errs, name)
		assert.Equal(t, 60+2, status, name)
		require.NoError(t, k.Leaks(), name)
	}
}

func TestMisusesOfSharedMemoryReturnTheirErrors(t *testing.T) {
	_, res := runScript(t, testConfig(), []step{
		call(SysShmget, "#1", "#0"),          // size 0
		call(SysShmget, "#1", "#0x40000000"), // too large
		call(SysShmget, "#1", "#4096"),       // id 1
		call(SysShmget, "#1", "#8192"),       // larger than the key's segment
		call(SysShmget, "#1", "#100"),        // smaller: the same segment
		call(SysShmat, "#99"),                // no such segment
		call(SysShmdt, "#0x40000000"),        // nothing attached there
		call(SysShmat, "#1"),
		call(SysShmdt, "res7"),
		call(SysShmdt, "res7"), // twice
	}, "")
	assert.Equal(t, []int32{EINVAL, EINVAL, 1, EINVAL, 1, EINVAL, EINVAL, isa.MmapBase, 0, EINVAL}, res)
}

func TestASegmentThatWasNeverAttachedGoesWithItsMaker(t *testing.T) {
	cfg := testConfig()
	cfg.Swap = vm.SwapStatic // its swap is reserved at once
	_, res := runScript(t, cfg, []step{call(SysShmget, "#5", "#65536")}, "")
	assert.Equal(t, []int32{1}, res)
}

// pinner maps 4 anonymous pages, stores into each, pins them all, and
// then sweeps 64 other pages (more than memory) so that everything else
// is evicted; it exits with the sum of the pinned pages' words, which
// must still be in the same frames.
const pinner = `
start:  mov     #12, r0
        clr     r1
        mov     #16384, r2
        mov     #3, r3
        mov     #6, r4
        sys
        mov     r0, r7
        mov     #1, (r7)
        mov     #2, 4096(r7)
        mov     #3, 8192(r7)
        mov     #4, 12288(r7)
        mov     #20, r0         ; mlock(addr, 4 pages)
        mov     r7, r1
        mov     #16384, r2
        sys
        mov     r0, r6
        mov     #buf, r1
        mov     #64, r2
sweep:  mov     r2, (r1)
        add     #4096, r1
        dec     r2
        bne     sweep
        mov     (r7), r1
        add     4096(r7), r1
        add     8192(r7), r1
        add     12288(r7), r1
        add     r6, r1          ; mlock's result, 0
        mov     #1, r0
        sys
        .data
buf:    .space  262144
`

func TestPinnedPagesAreNeverEvicted(t *testing.T) {
	cfg := testConfig()
	cfg.MemBytes, cfg.Check = 128<<10, true
	cfg.PoolLow, cfg.PoolHigh = DefaultPool(32)
	k, _, errb := newKernel(t, cfg)
	require.NoError(t, k.Boot(assemble(t, pinner), []string{"test.s"}))
	p := k.Current()
	for k.Stats().Syscalls < 2 {
		k.CPU.Step()
	}
	require.Len(t, p.Space.Locked, 4)
	pinned := maps.Clone(p.Space.Locked)
	for k.Stats().Evictions < 30 && !k.Done() {
		k.CPU.Step()
	}
	require.Equal(t, pinned, p.Space.Locked, "the sweep evicted much, but none of them")
	for va, f := range pinned {
		assert.True(t, present(p, uint32(va)))
		assert.Equal(t, vm.FrameMapped, k.Frames.Get(f).State)
	}
	require.NoError(t, k.Check())
	k.CPU.Run(1 << 24)
	require.True(t, k.Done(), errb.String())
	assert.Equal(t, 10, k.first.Status)
	require.NoError(t, k.Leaks())
}

func TestMlockBeyondTheLimitIsEAGAINAndOfNoRegionENOMEM(t *testing.T) {
	cfg := testConfig() // 1M: 256 frames, a limit of 32 pages
	_, res := runScript(t, cfg, []step{
		mmapCall("#0", "#262144", rdWr, anonPriv, "#0", "#0"), // 64 pages
		call(SysMlock, "res0", "#131072"),                     // 32: fine
		call(SysMlock, "res0", "#131072"),                     // the same again: nothing new
		call(SysMlock, "res0", "#135168"),                     // 33
		call(SysMlock, "#0x30000000", "#4096"),                // no region
		call(SysMunlock, "res0", "#262144"),
		call(SysMlock, "res0", "#4096"),
	}, "")
	assert.Equal(t, []int32{isa.MmapBase, 0, 0, EAGAIN, ENOMEM, 0, 0}, res)
}
