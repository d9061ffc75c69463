package kernel

import (
	"fmt"
	"io"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"toyvm/asm"
	"toyvm/cpu"
	"toyvm/kernel/policy"
	"toyvm/kernel/vm"
	"toyvm/mmu"
)

// fillAndVerify writes a word into every 256 bytes of 24 pages of data
// (more than a 64K machine holds), then reads them all back, so that
// dirty pages go to swap and come back; it prints "ok" if every word
// is what it wrote.
const fillAndVerify = `
start:  mov     #buf, r4
        mov     #384, r5
fill:   mov     r5, (r4)
        add     #256, r4
        dec     r5
        bne     fill
        mov     #buf, r4
        mov     #384, r5
verify: cmp     r5, (r4)
        bne     bad
        add     #256, r4
        dec     r5
        bne     verify
        mov     #2, r0
        mov     #1, r1
        mov     #ok, r2
        mov     #3, r3
        sys
        mov     #1, r0
        clr     r1
        sys
bad:    mov     #1, r0
        mov     #1, r1
        sys
        .data
buf:    .space  98304
ok:     .ascii  "ok\n"
`

// fillForever stores into each of 24 data pages in turn, forever: a run
// stopped by --max-steps leaves pages mapped, in the pool and in swap.
const fillForever = `
start:  mov     #buf, r4
        mov     #24, r5
fill:   mov     r5, (r4)
        add     #4096, r4
        dec     r5
        bne     fill
        br      start
        .data
buf:    .space  98304
`

const bufStart = 0x2000 // where fillAndVerify's and fillForever's buf begins

// tinyConfig is a 64K machine with --check on.
func tinyConfig() Config {
	cfg := testConfig()
	cfg.MemBytes = 64 << 10
	cfg.PoolLow, cfg.PoolHigh = DefaultPool(16)
	cfg.Check = true
	return cfg
}

// requireNoViolation fails the test if --check stopped the run or finds
// the final state broken.
func requireNoViolation(t *testing.T, k *Kernel, errs, name string) {
	t.Helper()
	require.NoError(t, k.checkErr, "%s: %s", name, errs)
	require.NotContains(t, errs, "--check", name)
	require.NoError(t, k.Check(), name)
}

func TestCheckFindsNoViolationUnderEveryPolicySwapLayoutAndHelpLevel(t *testing.T) {
	for _, pol := range policy.Names() {
		for _, layout := range []vm.SwapLayout{vm.SwapDynamic, vm.SwapStatic} {
			for _, level := range []cpu.Level{cpu.Precise, cpu.Log, cpu.Decode} {
				name := fmt.Sprintf("%s/%s/%s", pol, layout, level)
				cfg := tinyConfig()
				cfg.Policy, cfg.Swap, cfg.Backup = pol, layout, level
				out, errs, status, k := runProgram(t, fillAndVerify, cfg)
				requireNoViolation(t, k, errs, name)
				assert.Equal(t, 0, status, name)
				assert.Equal(t, "ok\n", out, name)
				assert.Positive(t, k.Stats().SwapIns, "%s: the run used swap", name)
			}
		}
	}
}

func TestCheckFindsNoViolationUnderEveryKindOfTLBAndDirtyBits(t *testing.T) {
	for name, change := range map[string]func(*Config){
		"software refill": func(c *Config) { c.SoftwareRefill = true },
		"software dirty":  func(c *Config) { c.SoftwareDirty = true },
		"asid":            func(c *Config) { c.ASID = true },
		"all three":       func(c *Config) { c.SoftwareRefill, c.SoftwareDirty, c.ASID = true, true, true },
		"one-entry tlb":   func(c *Config) { c.TLBSize = 1 },
		"short quantum":   func(c *Config) { c.Quantum = 50 },
	} {
		cfg := tinyConfig()
		change(&cfg)
		out, errs, status, k := runProgram(t, fillAndVerify, cfg)
		requireNoViolation(t, k, errs, name)
		assert.Equal(t, 0, status, name)
		assert.Equal(t, "ok\n", out, name)
	}
}

func TestCheckFindsNoViolationWithTwoProcessesSharingTinyMemory(t *testing.T) {
	for _, asid := range []bool{false, true} {
		cfg := tinyConfig()
		cfg.ASID, cfg.Quantum = asid, 500
		k, out, errb := newKernel(t, cfg)
		spawn(t, k, fillAndVerify)
		status, err := k.Run(assemble(t, fillAndVerify), []string{"test.s"})
		require.NoError(t, err)
		requireNoViolation(t, k, errb.String(), fmt.Sprint("asid ", asid))
		assert.Equal(t, 0, status)
		assert.Equal(t, "ok\nok\n", out.String())
		assert.Positive(t, k.Stats().ContextSwitches)
	}
}

func TestCheckFindsNoViolationWhenAProcessIsKilledForLackOfSwap(t *testing.T) {
	cfg := tinyConfig()
	cfg.SwapSize = 16 << 10
	_, errs, status, k := runProgram(t, touchPages, cfg)
	assert.Equal(t, StatusNoMemory, status)
	requireNoViolation(t, k, errs, "out of swap")
}

func TestCheckFindsNoViolationWhileWritingABufferLargerThanMemory(t *testing.T) {
	src := `
start:  mov     #2, r0
        mov     #1, r1
        mov     #buf, r2
        mov     #65536, r3
        sys
        mov     #1, r0
        clr     r1
        sys
        .data
buf:    .space  65536
`
	_, errs, status, k := runProgram(t, src, tinyConfig())
	assert.Equal(t, 0, status, errs)
	requireNoViolation(t, k, errs, "big write")
}

func TestCheckFindsNoViolationWhenAProcessExitsWithAWriteBackInFlight(t *testing.T) {
	fillAndExit := `
start:  mov     #buf, r4
        mov     #24, r5
fill:   mov     r5, (r4)
        add     #4096, r4
        dec     r5
        bne     fill
        mov     #1, r0
        clr     r1
        sys
        .data
buf:    .space  98304
`
	cfg := tinyConfig()
	cfg.MaxSteps = 20000
	k, _, errb := newKernel(t, cfg)
	spawn(t, k, fillForever)
	_, err := k.Run(assemble(t, fillAndExit), []string{"test.s"})
	require.NoError(t, err)
	requireNoViolation(t, k, errb.String(), "exit with a write in flight")
}

// midRun runs fillForever on a 64K machine for a while and returns the
// kernel as the step limit left it: pages mapped, in the pool and in
// swap, and no invariant broken yet.
func midRun(t *testing.T, change func(*Config)) (*Kernel, *Process) {
	t.Helper()
	cfg := tinyConfig()
	cfg.MaxSteps = 3000
	if change != nil {
		change(&cfg)
	}
	_, errs, status, k := runProgram(t, fillForever, cfg)
	require.Equal(t, StatusMaxSteps, status, errs)
	requireNoViolation(t, k, errs, "mid run")
	return k, firstProcess(t, k)
}

// framesIn returns the frames in a state, lowest first.
func framesIn(k *Kernel, state vm.FrameState) []uint32 {
	var fs []uint32
	for f := 1; f < k.Frames.Len(); f++ {
		if k.Frames.Get(uint32(f)).State == state {
			fs = append(fs, uint32(f))
		}
	}
	return fs
}

// aMappedDataFrame returns a frame that holds one of p's data pages,
// mapped by p alone.
func aMappedDataFrame(t *testing.T, k *Kernel, p *Process) uint32 {
	t.Helper()
	for _, f := range framesIn(k, vm.FrameMapped) {
		if m := k.Frames.Get(f).Maps; len(m) == 1 && m[0].Space == p.Space && m[0].VA >= bufStart {
			return f
		}
	}
	t.Fatal("no data page is mapped")
	return 0
}

// vaOf returns where frame f is mapped (its first mapping).
func vaOf(k *Kernel, f uint32) mmu.VAddr { return k.Frames.Get(f).Maps[0].VA }

// requireViolation checks that Check finds a violation of invariant whose
// message says each of says.
func requireViolation(t *testing.T, k *Kernel, invariant string, says ...string) {
	t.Helper()
	err := k.Check()
	require.Error(t, err, "the corruption goes unnoticed")
	var v *Violation
	require.ErrorAs(t, err, &v)
	assert.Equal(t, invariant, v.Invariant, err.Error())
	for _, s := range says {
		assert.Contains(t, err.Error(), s)
	}
}

func TestCheckFindsAPresentBitClearedBehindTheFrameTablesBack(t *testing.T) {
	k, p := midRun(t, nil)
	f := aMappedDataFrame(t, k, p)
	va := vaOf(k, f)
	w := p.Space.PT.Lookup(va)
	k.Phys.WritePTE(w.PTEAddr, w.PTE.Without(mmu.P))
	requireViolation(t, k, InvFrames, fmt.Sprintf("frame %#x holds data page", f),
		fmt.Sprintf("mapped by pid 1 at %s, but that entry is", va), fmt.Sprintf("want frame %#x V P", f))
}

func TestCheckFindsAMappedFrameInThePool(t *testing.T) {
	k, p := midRun(t, nil)
	f := aMappedDataFrame(t, k, p)
	va := vaOf(k, f)
	k.policy.Remove(policyPage(f))
	k.Frames.Get(f).Maps = nil
	k.Frames.ToPool(f)
	requireViolation(t, k, InvFrames, fmt.Sprintf("pid 1 maps %s present to frame %#x, which is pool", va, f))
}

func TestCheckFindsAFrameMappedTwice(t *testing.T) {
	k, p := midRun(t, nil)
	f := aMappedDataFrame(t, k, p)
	va := mmu.VAddr(bufStart)
	for present(p, uint32(va)) {
		va += mmu.PageSize
	}
	require.NoError(t, p.Space.PT.Map(va, f, mmu.U))
	requireViolation(t, k, InvFrames, fmt.Sprintf("pid 1 maps %s to frame %#x, whose reverse map does not say so", va, f))
}

// roomy gives fillForever more memory than it uses, so that some frames
// stay free.
func roomy(c *Config) {
	c.MemBytes = 256 << 10
	c.PoolLow, c.PoolHigh = DefaultPool(64)
}

func TestCheckFindsALockedFreeFrame(t *testing.T) {
	k, _ := midRun(t, roomy)
	free := framesIn(k, vm.FrameFree)
	require.NotEmpty(t, free)
	k.Frames.Lock(free[0])
	requireViolation(t, k, InvLocks, fmt.Sprintf("frame %#x is free but has 1 locks", free[0]))
}

func TestCheckFindsALockedPoolFrame(t *testing.T) {
	k, _ := midRun(t, nil)
	pool := framesIn(k, vm.FramePool)
	require.NotEmpty(t, pool, "the daemon keeps a pool")
	k.Frames.Lock(pool[0])
	requireViolation(t, k, InvLocks, fmt.Sprintf("frame %#x is pool but has 1 locks", pool[0]))
}

func TestCheckFindsABusyFrameThatNoTransferLocks(t *testing.T) {
	k, p := midRun(t, nil)
	f := aMappedDataFrame(t, k, p)
	k.Frames.Get(f).State = vm.FrameBusy
	requireViolation(t, k, InvLocks, fmt.Sprintf("frame %#x is busy (a transfer in flight) but not locked", f))
}

func TestCheckFindsAFreeFrameMissingFromTheFreeList(t *testing.T) {
	k, _ := midRun(t, roomy)
	lost, ok := k.Frames.Alloc(vm.FrameKernel, 0) // off the free list...
	require.True(t, ok)
	k.Frames.Get(lost).State = vm.FrameFree // ... yet free
	requireViolation(t, k, InvLists, fmt.Sprintf("frame %#x is free but not on the free list", lost))
}

func TestCheckFindsAMappedFrameOnTheFreeList(t *testing.T) {
	k, p := midRun(t, nil)
	f := aMappedDataFrame(t, k, p)
	k.policy.Remove(policyPage(f))
	k.Frames.Get(f).Maps = nil
	k.Frames.Release(f)                    // on the free list...
	k.Frames.Get(f).State = vm.FrameMapped // ... yet mapped
	requireViolation(t, k, InvLists, fmt.Sprintf("frame %#x is on the free list but mapped", f))
}

func TestCheckFindsALeakedSwapSlot(t *testing.T) {
	for _, layout := range []vm.SwapLayout{vm.SwapDynamic, vm.SwapStatic} {
		k, _ := midRun(t, func(c *Config) { c.Swap = layout })
		s, err := k.swap.Alloc()
		require.NoError(t, err)
		requireViolation(t, k, InvSwap, fmt.Sprintf("slot %d is marked in use but nothing holds it", s))
	}
}

// aPageInSwap returns a data page of p that has a swap slot.
func aPageInSwap(t *testing.T, p *Process) *vm.Page {
	t.Helper()
	for _, r := range p.Space.Regions {
		for _, i := range r.Object.Indexes() {
			if pg := r.Object.Lookup(i); pg.Slot != vm.NoSlot {
				return pg
			}
		}
	}
	t.Fatal("no page is in swap")
	return nil
}

func TestCheckFindsASwapSlotHeldTwice(t *testing.T) {
	k, p := midRun(t, nil)
	pg := aPageInSwap(t, p)
	other := pg.Home().Page(pg.Index + 100)
	other.Slot = pg.Slot
	requireViolation(t, k, InvSwap, fmt.Sprintf("slot %d is held twice: by data page %d and by data page %d",
		pg.Slot, pg.Index, other.Index))
}

func TestCheckFindsAPageWhoseSlotIsMarkedFree(t *testing.T) {
	k, p := midRun(t, nil)
	pg := aPageInSwap(t, p)
	k.swap.Release(pg.Slot)
	requireViolation(t, k, InvSwap, fmt.Sprintf("data page %d holds slot %d, which is not marked so", pg.Index, pg.Slot))
}

func TestCheckFindsAStaleTLBEntryForAPageNotPresent(t *testing.T) {
	for _, asid := range []bool{false, true} {
		k, p := midRun(t, func(c *Config) { c.ASID = asid })
		f := aMappedDataFrame(t, k, p)
		va := mmu.VAddr(0x40000000)
		k.MMU.InsertTLB(va, mmu.NewPTE(f, mmu.V|mmu.P|mmu.U|mmu.W))
		requireViolation(t, k, InvTLB, fmt.Sprintf("maps pid 1's page %s, but its page-table entry is", va),
			"want present")
	}
}

func TestCheckFindsATLBEntryThatAllowsAWriteThePageTableForbids(t *testing.T) {
	k, p := midRun(t, nil)
	w := p.Space.PT.Lookup(0x1000)
	require.True(t, w.PTE.Has(mmu.P), "the text is present while it runs")
	k.MMU.InsertTLB(0x1000, w.PTE.With(mmu.W))
	requireViolation(t, k, InvTLB, "pid 1's page 0x00001000", "want writable")
}

func TestCheckFindsATLBEntryOfNoLiveProcess(t *testing.T) {
	k, p := midRun(t, func(c *Config) { c.ASID = true })
	f := aMappedDataFrame(t, k, p)
	k.MMU.SetCR3(p.Space.CR3() + 7) // the ASID of no process
	k.MMU.InsertTLB(0x5000, mmu.NewPTE(f, mmu.V|mmu.P|mmu.U))
	requireViolation(t, k, InvTLB, "asid 0x008", "belongs to no live process")
}

func TestCheckFindsTheCurrentProcessNotRunnable(t *testing.T) {
	k, p := midRun(t, nil)
	k.block(p, framesChannel{}, "a free frame")
	requireViolation(t, k, InvProcesses, "the current process, process 1 (test.s), is blocked")
}

func TestCheckFindsABlockedProcessWithNoChannel(t *testing.T) {
	k, _ := midRun(t, nil)
	other := spawn(t, k, exitProgram)
	other.State, other.WaitingFor = Blocked, "nothing"
	requireViolation(t, k, InvProcesses, "process 2 (test.s) is blocked (\"nothing\") on no channel")
}

func TestCheckFindsAnExitedProcessThatKeptItsMemory(t *testing.T) {
	k, _ := midRun(t, nil)
	other := spawn(t, k, exitProgram)
	other.State = Zombie
	requireViolation(t, k, InvProcesses, "process 2 (test.s) has exited but still has 3 regions")
}

func TestCheckFindsAPageTableOfAnExitedProcess(t *testing.T) {
	k, _ := midRun(t, nil)
	other := spawn(t, k, exitProgram)
	other.Space.Regions = nil
	dir := other.Space.PT.CR3() / mmu.PageSize
	other.Space.PT = &vm.PageTable{} // forgotten, not freed
	other.State = Zombie
	requireViolation(t, k, InvProcesses, fmt.Sprintf("frame %#x holds a page table of pid 2, which is not a live process", dir))
}

func TestCheckAfterEntryPrintsTheViolationAndStopsTheRun(t *testing.T) {
	cfg := tinyConfig()
	cfg.Check, cfg.MaxSteps = false, 3000
	k, out, errb := newKernel(t, cfg)
	status, err := k.Run(assemble(t, fillForever), []string{"test.s"})
	require.NoError(t, err)
	require.Equal(t, StatusMaxSteps, status)
	errb.Reset()
	s, err := k.swap.Alloc()
	require.NoError(t, err)

	k.cfg.Check = true
	ran := k.CPU.Run(1_000_000)
	assert.Less(t, ran, uint64(1_000_000), "the run stops at the first kernel entry")
	require.Error(t, k.checkErr)
	assert.Equal(t, fmt.Sprintf("toyvm: --check: after instruction %d: swap slots: slot %d is marked in use but nothing holds it (a leak)\n",
		k.CPU.Instructions, s), errb.String())
	assert.Empty(t, out.String())
}

func TestCheckAfterEntryDoesNothingWithoutCheck(t *testing.T) {
	k, _ := midRun(t, func(c *Config) { c.Check = false })
	_, err := k.swap.Alloc()
	require.NoError(t, err)
	k.checkAfterEntry(k.CPU)
	assert.NoError(t, k.checkErr)
}

func TestCheckOfAnIdleMachineFindsNothing(t *testing.T) {
	k, _, _ := newKernel(t, tinyConfig())
	assert.NoError(t, k.Check())
	spawn(t, k, exitProgram)
	assert.NoError(t, k.Check())
}

func TestViolationNamesItsInvariant(t *testing.T) {
	err := violation(InvSwap, "slot %d is free", 3)
	assert.EqualError(t, err, "swap slots: slot 3 is free")
}

// BenchmarkCheckWith1000ResidentPages measures one Check on a 16M machine
// whose process has touched 1000 pages.
func BenchmarkCheckWith1000ResidentPages(b *testing.B) {
	src := `
start:  mov     #buf, r4
        mov     #1000, r5
touch:  mov     r5, (r4)
        add     #4096, r4
        dec     r5
        bne     touch
spin:   br      spin
        .data
buf:    .space  4096000
`
	cfg := DefaultConfig()
	cfg.MaxSteps, cfg.Stdout, cfg.Stderr = 10000, io.Discard, io.Discard
	img, err := asm.Assemble("bench.s", []byte(src))
	require.NoError(b, err)
	k, err := New(cfg)
	require.NoError(b, err)
	status, err := k.Run(img, []string{"bench.s"})
	require.NoError(b, err)
	require.Equal(b, StatusMaxSteps, status)
	require.GreaterOrEqual(b, k.Stats().PageFaults, uint64(1000))
	b.ResetTimer()
	for b.Loop() {
		if err := k.Check(); err != nil {
			b.Fatal(err)
		}
	}
}

func TestLeaksSayWhereALeakedFrameWasTaken(t *testing.T) {
	cfg := testConfig()
	cfg.TrackAllocations = true
	_, _, status, k := runProgram(t, exitProgram, cfg)
	require.Equal(t, 0, status)
	require.NoError(t, k.Leaks())
	frame, ok := k.Frames.Alloc(vm.FrameKernel, 1) // a page table no one frees
	require.True(t, ok)
	err := k.Leaks()
	require.Error(t, err)
	assert.Contains(t, err.Error(), fmt.Sprintf("frame %#x is kernel, owner pid 1, taken at kernel/check_test.go:", frame))
	assert.Contains(t, err.Error(), "(kernel.TestLeaksSayWhereALeakedFrameWasTaken)")
}
