package kernel

import (
	"io"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"toyvm/cpu"
	"toyvm/dev"
	"toyvm/kernel/vm"
)

const loopForever = "start:  br      start\n"

func TestNewRefusesAnImpossibleMachine(t *testing.T) {
	for name, c := range map[string]struct {
		change func(*Config)
		msg    string
	}{
		"memory not in pages": {func(c *Config) { c.MemBytes = 65<<10 + 1 }, "not a multiple of the page size"},
		"too little memory":   {func(c *Config) { c.MemBytes = 60 << 10 }, "memory size 60K is out of range (64K to 4G)"},
		"too much memory":     {func(c *Config) { c.MemBytes = 8 << 30 }, "memory size 8G is out of range (64K to 4G)"},
		"no TLB":              {func(c *Config) { c.TLBSize = 0 }, "TLB size 0 is out of range (1 to 4096)"},
		"huge TLB":            {func(c *Config) { c.TLBSize = 4097 }, "TLB size 4097 is out of range"},
		"no quantum":          {func(c *Config) { c.Quantum = 0 }, "quantum 0 is out of range"},
		"endless quantum":     {func(c *Config) { c.Quantum = ^uint64(0) }, "quantum 18446744073709551615 is out of range (1 to 1000000000000 cycles)"},
		"endless disk":        {func(c *Config) { c.DiskLatency = 1 << 63 }, "disk latency 9223372036854775808 is out of range (0 to 1000000000000 cycles)"},
	} {
		cfg := testConfig()
		c.change(&cfg)
		cfg.Stdout, cfg.Stderr = new(strings.Builder), new(strings.Builder)
		_, err := New(cfg)
		require.Error(t, err, name)
		assert.Contains(t, err.Error(), c.msg, name)
	}
}

func TestMaxStepsStopsTheRunWithStatus124AndAMessage(t *testing.T) {
	cfg := testConfig()
	cfg.MaxSteps = 100
	out, errs, status, k := runProgram(t, loopForever, cfg)
	assert.Equal(t, StatusMaxSteps, status)
	assert.Equal(t, 124, status)
	assert.Empty(t, out)
	assert.Equal(t, "toyvm: stopped after 100 instructions (--max-steps 100)\n", errs)
	assert.Equal(t, uint64(100), k.Stats().Instructions)
}

func TestMaxStepsIsNotReachedByAProgramThatExitsWithinIt(t *testing.T) {
	cfg := testConfig()
	cfg.MaxSteps = 3 // mov, clr, sys
	_, errs, status, _ := runProgram(t, exitProgram, cfg)
	assert.Equal(t, 0, status)
	assert.Empty(t, errs)
}

func TestMaxStepsFlushesTheOutputBeforeItsMessage(t *testing.T) {
	src := `
start:  mov     #2, r0
        mov     #1, r1
        mov     #msg, r2
        mov     #3, r3
        sys
loop:   br      loop
        .data
msg:    .ascii  "hi\n"
`
	cfg := testConfig()
	cfg.MaxSteps = 50
	out, _, status, _ := runProgram(t, src, cfg)
	assert.Equal(t, 124, status)
	assert.Equal(t, "hi\n", out)
}

func TestMemoryOfAProcessIsAllFreedWhenItExits(t *testing.T) {
	src := `
start:  mov     #1, @0x2000     ; data
        mov     #1, @0x3800     ; another data page
        push    #1              ; the stack
        mov     #1, -8192(sp)   ; two stack pages further down
        mov     #1, r0
        clr     r1
        sys
        .data
        .space  8192
`
	cfg := testConfig()
	_, _, status, k := runProgram(t, src, cfg)
	require.Equal(t, 0, status)
	assert.Equal(t, bootFree(cfg), k.Frames.FreeCount())
}

func TestMemoryOfAKilledProcessIsAllFreed(t *testing.T) {
	for name, src := range map[string]string{
		"null store":      "start: clr r6\n mov #1, (r6)\n",
		"write into text": "start: mov #1, start\n",
		"divide by zero":  "start: clr r1\n mov #1, r2\n div r1, r2\n",
		"privileged":      "start: halt\n",
	} {
		cfg := testConfig()
		_, errs, status, k := runProgram(t, src, cfg)
		assert.Greater(t, status, 128, name)
		assert.Contains(t, errs, "killed", name)
		assert.Equal(t, bootFree(cfg), k.Frames.FreeCount(), name)
	}
}

func TestKilledProcessGetsTheStatusOfItsCauseAndOneLine(t *testing.T) {
	for _, c := range []struct {
		name, src string
		status    int
		line      string
	}{
		{"null store", "start: clr r6\n mov #1, (r6)\n", 139,
			"toyvm: process 1 (test.s) killed: INVALID fault (write, user mode) at 0x00000000, pc 0x00001002 (exit status 139)\n"},
		{"write into text", "start: mov #1, start\n", 139,
			"toyvm: process 1 (test.s) killed: PROTECTION fault (write, user mode) at 0x00001000, pc 0x00001000 (exit status 139)\n"},
		{"read above the stack", "start: mov @0x80000000, r1\n", 139,
			"toyvm: process 1 (test.s) killed: INVALID fault (read, user mode) at 0x80000000, pc 0x00001000 (exit status 139)\n"},
		{"jump to page 0", "start: jmp @0x10\n", 139,
			"toyvm: process 1 (test.s) killed: INVALID fault (fetch, user mode) at 0x00000010, pc 0x00000010 (exit status 139)\n"},
		{"divide by zero", "start: clr r1\n div r1, r2\n", 136,
			"toyvm: process 1 (test.s) killed: DIVIDE by zero at 0x00001002, pc 0x00001002 (exit status 136)\n"},
		{"halt in user mode", "start: halt\n", 132,
			"toyvm: process 1 (test.s) killed: PRIVILEGED instruction in user mode at 0x00001000, pc 0x00001000 (exit status 132)\n"},
		{"illegal opcode", "start: .byte 0xFF\n", 132,
			"toyvm: process 1 (test.s) killed: ILLEGAL instruction at 0x00001000, pc 0x00001000 (exit status 132)\n"},
		{"breakpoint", "start: bpt\n", 133,
			"toyvm: process 1 (test.s) killed: BREAKPOINT with no debugger at 0x00001000, pc 0x00001000 (exit status 133)\n"},
	} {
		for _, level := range []cpu.Level{cpu.Precise, cpu.Log, cpu.Decode} {
			cfg := testConfig()
			cfg.Backup = level
			_, errs, status, _ := runProgram(t, c.src, cfg)
			assert.Equal(t, c.status, status, "%s at %s", c.name, level)
			assert.Equal(t, c.line, errs, "%s at %s", c.name, level)
		}
	}
}

// touchPages touches one new stack page after another, 4 KiB apart,
// until it has touched the whole stack.
const touchPages = `
start:  sub     #4096, sp
        mov     #1, (sp)
        br      start
`

func TestProgramThatExhaustsMemoryAndSwapIsKilledWith137(t *testing.T) {
	cfg := testConfig()
	cfg.MemBytes, cfg.SwapSize = 64<<10, 16<<10
	cfg.PoolLow, cfg.PoolHigh = DefaultPool(16)
	_, errs, status, k := runProgram(t, touchPages, cfg)
	assert.Equal(t, StatusNoMemory, status)
	assert.Equal(t, 137, status)
	assert.Regexp(t, `^toyvm: process 1 \(test.s\) killed: out of swap space while paging in at 0x7ff[0-9a-f]{5}, pc 0x0000100[0-9a-f] \(exit status 137\)\n$`, errs)
	assert.Equal(t, bootFree(cfg), k.Frames.FreeCount(), "and its memory is freed")
	assert.Equal(t, 4, k.swap.Free(), "and its swap")
}

func TestStackGrowsOnDemandToOneMebibyteThenFaults(t *testing.T) {
	cfg := testConfig()
	cfg.MemBytes = 2 << 20
	_, errs, status, k := runProgram(t, touchPages, cfg)
	assert.Equal(t, 139, status)
	assert.Contains(t, errs, "stack overflow: the stack may not grow below 0x7ff00000 (limit 1 MiB) at 0x7feffff0,", "one page below the stack's 1 MiB")
	assert.Equal(t, uint64(1+256), k.Stats().PageFaults, "the text and every page of the stack")
}

func TestTwoRunsOfTheSameProgramAreIdentical(t *testing.T) {
	src := `
start:  mov     #2, r0
        mov     #1, r1
        mov     #msg, r2
        mov     #6, r3
        sys
        mov     #1, @0x4000
        push    r0
        mov     #1, r0
        mov     #7, r1
        sys
        .data
msg:    .ascii  "hello\n"
        .space  12000
`
	cfg := testConfig()
	cfg.Trace = TraceFaults | TraceSyscalls
	out1, err1, st1, k1 := runProgram(t, src, cfg)
	out2, err2, st2, k2 := runProgram(t, src, cfg)
	assert.Equal(t, out1, out2)
	assert.Equal(t, err1, err2)
	assert.Equal(t, st1, st2)
	assert.Equal(t, k1.Stats(), k2.Stats())
	assert.NotEmpty(t, err1, "the trace has lines")
}

func TestStatsOfATinyProgramCountEachPageTouchedOnce(t *testing.T) {
	// It touches its text, one data page (twice), and the top stack page
	// (where the kernel wrote argv, and which push uses again).
	src := `
start:  mov     #5, val
        mov     val, r3
        push    r3
        mov     #1, r0
        clr     r1
        sys
        .data
val:    .word   0
`
	_, _, status, k := runProgram(t, src, testConfig())
	require.Equal(t, 0, status)
	s := k.Stats()
	assert.Equal(t, uint64(6), s.Instructions)
	assert.Equal(t, uint64(3), s.PageFaults, "text, data, stack")
	assert.Equal(t, uint64(1), s.MinorFaults, "the stack: zero-filled")
	assert.Equal(t, uint64(2), s.MajorFaults, "text and data: read from the image")
	assert.Zero(t, s.DirtyFaults)
	assert.Zero(t, s.SwapIns+s.SwapOuts)
	assert.Zero(t, s.ContextSwitches)
	assert.Equal(t, uint64(1), s.Processes)
	assert.Equal(t, uint64(1), s.Syscalls)
	assert.Greater(t, s.Cycles, s.Instructions-1)
	assert.GreaterOrEqual(t, s.TLBMisses, uint64(3), "one miss per page at least")
	assert.Positive(t, s.TLBHits)
}

func TestStatsCountOnePageFaultPerPageTouched(t *testing.T) {
	// A loop stores a word into each of the 5 data pages, twice.
	src := `
start:  mov     #2, r5
again:  mov     #buf, r2
        mov     #5, r3
loop:   mov     r3, (r2)
        add     #4096, r2
        dec     r3
        bne     loop
        dec     r5
        bne     again
        mov     #1, r0
        clr     r1
        sys
        .data
buf:    .space  5 * 4096
`
	src = strings.Replace(src, "5 * 4096", "20480", 1)
	_, _, status, k := runProgram(t, src, testConfig())
	require.Equal(t, 0, status)
	assert.Equal(t, uint64(1+5+1), k.Stats().PageFaults, "text, 5 data pages, the argv page")
}

func TestSoftwareDirtyBitsCountAFaultOnTheFirstWriteOfEachPage(t *testing.T) {
	src := `
start:  mov     val, r1         ; read first: the page comes in read-only
        mov     #1, val         ; first write: a dirty fault
        mov     #2, val         ; no more faults
        mov     #1, r0
        clr     r1
        sys
        .data
val:    .word   0
`
	cfg := testConfig()
	cfg.SoftwareDirty = true
	_, _, status, k := runProgram(t, src, cfg)
	require.Equal(t, 0, status)
	assert.Equal(t, uint64(1), k.Stats().DirtyFaults)
}

func TestSoftwareRefillRefillsOnEveryMissAndGivesTheSameOutput(t *testing.T) {
	cfg := testConfig()
	cfg.SoftwareRefill = true
	out, _, status, k := runProgram(t, writeProgram(1, "msg", 6), cfg)
	assert.Equal(t, 6, status)
	assert.Equal(t, "hello\n", out)
	s := k.Stats()
	assert.Equal(t, s.TLBMisses, s.TLBRefills, "every miss is a trap the kernel serves")
}

func TestTimerInterruptsAProgramWithoutChangingWhatItDoes(t *testing.T) {
	cfg := testConfig()
	cfg.Quantum = 5
	src := `
start:  mov     #200, r1
loop:   dec     r1
        bne     loop
        mov     #1, r0
        mov     #9, r1
        sys
`
	_, _, status, k := runProgram(t, src, cfg)
	assert.Equal(t, 9, status)
	s := k.Stats()
	assert.Positive(t, s.TimerInterrupts)
	assert.Zero(t, s.ContextSwitches, "there is no other process to switch to")
}

func TestFaultTraceShowsEachPageIn(t *testing.T) {
	cfg := testConfig()
	cfg.Trace = TraceFaults
	_, errs, _, _ := runProgram(t, exitProgram, cfg)
	assert.Contains(t, errs, "faults   pid 1: zero-fill 0x7ffff000 into frame")
	assert.Contains(t, errs, "faults   pid 1: INVALID fault (fetch) at 0x00001000, pc 0x00001000")
	assert.Contains(t, errs, "faults   pid 1: read 0x00001000 from image:text@0x0 into frame")
}

func TestTLBTraceShowsHardwareWalksFlushesAndInvalidations(t *testing.T) {
	cfg := testConfig()
	cfg.Trace = TraceTLB
	_, errs, _, _ := runProgram(t, exitProgram, cfg)
	assert.Contains(t, errs, "tlb      pid 1: cr3 0x")
	assert.Contains(t, errs, "(TLB flushed)")
	assert.Contains(t, errs, "tlb      pid 1: walk 0x00001000 -> INVALID fault\n")
	assert.Regexp(t, `tlb      pid 1: walk 0x00001000 -> frame 0x[0-9a-f]{5} V P - U`, errs)
	assert.Contains(t, errs, "tlb      invalidate 0x00001000 (asid 0)", "the exit unmaps text")

	cfg.Trace = 0
	_, errs, _, _ = runProgram(t, exitProgram, cfg)
	assert.Empty(t, errs, "no trace, no walks told")
}

func TestWriteOfABufferLargerThanMemoryWritesAShortCountAndGoesOn(t *testing.T) {
	// The buffer is filled first, so that its pages are dirty and live
	// in swap: the write must read them back from disk.
	src := `
start:  mov     #buf, r4
        mov     #16384, r5
fill:   mov     #0x41414141, (r4)+
        dec     r5
        bne     fill
        mov     #2, r0
        mov     #1, r1
        mov     #buf, r2
        mov     #65536, r3
        sys
        mov     r0, count
        mov     #1, r0
        clr     r1
        sys
        .data
count:  .word   0
buf:    .space  65536
`
	cfg := testConfig()
	cfg.MemBytes = 64 << 10
	cfg.PoolLow, cfg.PoolHigh = DefaultPool(16)
	out, errs, status, k := runProgram(t, src, cfg)
	assert.Equal(t, 0, status, errs)
	assert.NotEmpty(t, out, "some of the buffer is written")
	assert.Less(t, len(out), 65536, "but it cannot all be in 64K of memory at once")
	assert.Equal(t, strings.Repeat("A", len(out)), out, "and what is written is the buffer")
	assert.Equal(t, bootFree(cfg), k.Frames.FreeCount())
}

func TestASoftwareRefilledTLBSmallerThanOneInstructionsPagesIsRefused(t *testing.T) {
	cfg := testConfig()
	cfg.SoftwareRefill, cfg.TLBSize = true, MinSoftwareTLB-1
	cfg.Stdout, cfg.Stderr = io.Discard, io.Discard
	_, err := New(cfg)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "a software-refilled TLB needs at least 16 entries, not 15")
	cfg.SoftwareRefill = false
	_, err = New(cfg)
	assert.NoError(t, err, "the hardware walker needs no such minimum: it walks within the instruction")
}

func TestAStackThatCannotReserveStaticSwapToGrowIsKilledWith137(t *testing.T) {
	cfg := testConfig()
	cfg.Swap, cfg.SwapSize = vm.SwapStatic, 16<<10 // four slots: the stack can reserve only four pages
	_, errs, status, _ := runProgram(t, touchPages, cfg)
	assert.Equal(t, StatusNoMemory, status, errs)
	assert.Contains(t, errs, "out of swap space")
}

// sweepPages writes a word into each of 64 pages, three times over: in a
// small memory it faults, evicts, swaps and is preempted.
const sweepPages = `
start:  mov     #3, r3
again:  mov     #buf, r1
        mov     #64, r2
loop:   add     r2, (r1)
        add     #4096, r1
        dec     r2
        bne     loop
        dec     r3
        bne     again
        mov     #1, r0
        mov     buf, r1
        sys
        .data
buf:    .space  262144
`

func TestARunIsTheSameHoweverItIsCutIntoSlices(t *testing.T) {
	cfg := testConfig()
	cfg.MemBytes, cfg.Quantum = 128<<10, 500
	cfg.PoolLow, cfg.PoolHigh = DefaultPool(32)
	out1, err1, st1, k1 := runProgram(t, sweepPages, cfg)
	defer func(old uint64) { runSlice = old }(runSlice)
	runSlice = 7
	out2, err2, st2, k2 := runProgram(t, sweepPages, cfg)
	assert.Equal(t, out1, out2)
	assert.Equal(t, err1, err2)
	assert.Equal(t, st1, st2)
	assert.Equal(t, 192, st1, "3 times 64 added into the first word")
	assert.Equal(t, k1.Stats(), k2.Stats())
	assert.NotZero(t, k1.Stats().SwapOuts, "the run swaps")
}

func TestAnInterruptFromTheHostStopsTheRunWithItsStatusSayingWhere(t *testing.T) {
	k, _, errb := newKernel(t, testConfig())
	k.Interrupt(HostInterrupt{Name: "SIGINT", Status: 130})
	k.Interrupt(HostInterrupt{Name: "SIGTERM", Status: 143}) // the first one wins
	status, err := k.Run(assemble(t, loopForever), []string{"test.s"})
	require.NoError(t, err)
	assert.Equal(t, 130, status)
	assert.Equal(t, "toyvm: interrupted by SIGINT: process 1 (test.s) at pc 0x00001000 <start>, after 0 instructions (exit status 130)\n", errb.String())
}

func TestASleepBeyondTheClocksLimitEndsTheRunWith124(t *testing.T) {
	src := `
start:  mov     #18, r0
        mov     #0x7fffffff, r1
        sys
        br      start
`
	cfg := testConfig()
	cfg.Quantum = MaxCycles
	_, errs, status, k := runProgram(t, src, cfg)
	assert.Equal(t, StatusMaxSteps, status)
	assert.Contains(t, errs, "toyvm: stopped at cycle ")
	assert.Contains(t, errs, "the clock's limit")
	assert.Less(t, k.Clock.Now(), dev.MaxTime)
}

func TestAWildAccessFarBelowTheStackIsNotCalledAStackOverflow(t *testing.T) {
	_, errs, status, _ := runProgram(t, "start: mov #1, @0x7fe00000\n", testConfig())
	assert.Equal(t, StatusSegfault, status)
	assert.Contains(t, errs, "INVALID fault (write, user mode) at 0x7fe00000,")
}
