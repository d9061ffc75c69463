package kernel

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"toyvm/cpu"
	"toyvm/kernel/vm"
	"toyvm/mmu"
)

// forkTwoWriters forks; parent and child each write their own value into
// the same word of data (the child first, as the parent waits for it),
// then print it: each must see its own. The parent exits with the
// child's status.
const forkTwoWriters = `
start:  mov     #8, r0          ; fork
        sys
        tst     r0
        beq     child
        mov     r0, r6          ; the parent: wait for the child
        mov     #7, r0
        mov     r6, r1
        sys
        mov     r1, r7          ; the child's status
        movb    #'P', word
        call    show
        mov     r7, r1
        mov     #1, r0
        sys
child:  movb    #'C', word
        call    show
        mov     #1, r0
        mov     #42, r1
        sys
show:   mov     #2, r0          ; write(1, word, 2)
        mov     #1, r1
        mov     #word, r2
        mov     #2, r3
        sys
        ret
        .data
word:   .ascii  "?\n"
`

func TestForkGivesTheChildACopyThatItsWritesDoNotLeave(t *testing.T) {
	for _, level := range []cpu.Level{cpu.Precise, cpu.Log, cpu.Decode} {
		cfg := testConfig()
		cfg.Backup, cfg.Check = level, true
		out, errs, status, k := runProgram(t, forkTwoWriters, cfg)
		assert.Equal(t, "C\nP\n", out, level)
		assert.Empty(t, errs)
		assert.Equal(t, 42, status, "the parent exits with its child's status")
		s := k.Stats()
		assert.Equal(t, uint64(1), s.Forks)
		assert.Equal(t, uint64(1), s.COWCopies, "the child's write copies the data page")
		assert.Equal(t, uint64(1), s.COWReuses, "the parent's, after the child exited, needs no copy")
		require.NoError(t, k.Leaks())
	}
}

func TestForkReturnsEAGAINWhenTheProcessTableIsFull(t *testing.T) {
	src := `
start:  mov     #8, r0
        sys
        tst     r0
        bgt     start           ; the parent forks again
        beq     sleep           ; a child sleeps
        neg     r0              ; fork failed: exit with its error
        mov     r0, r1
        mov     #1, r0
        sys
sleep:  mov     #18, r0
        mov     #1000, r1
        sys
        mov     #1, r0
        clr     r1
        sys
`
	cfg := testConfig()
	cfg.MemBytes = 16 << 20
	_, _, status, k := runProgram(t, src, cfg)
	assert.Equal(t, -EAGAIN, status)
	assert.Equal(t, uint64(MaxProcesses), k.Stats().Processes)
	require.NoError(t, k.Leaks())
}

// forkTree returns a program in which each process forks children until
// depth levels exist (2^levels processes in all), each parent waiting for
// its children in order; every process prints its path in the tree
// ("r", "r0", "r01", ...) before it forks, so the output is in a fixed
// order: depth-first, children in the order they were forked.
func forkTree(levels int) string {
	return fmt.Sprintf(`
        .equ    LEVELS, %d
start:  clr     r5              ; r5 = depth, r6 = path length
        mov     #1, r6
level:  mov     #2, r0          ; print path[0:r6] and a newline
        mov     #1, r1
        mov     #path, r2
        mov     r6, r3
        sys
        mov     #2, r0
        mov     #1, r1
        mov     #nl, r2
        mov     #1, r3
        sys
        cmp     r5, #LEVELS
        beq     done
        mov     #'0', r7        ; the first child's digit
again:  mov     #8, r0
        sys
        tst     r0
        beq     kid
        mov     r0, r1          ; the parent waits for this child
        mov     #7, r0
        sys
        inc     r7
        cmp     r7, #'2'
        bne     again
done:   mov     #1, r0
        clr     r1
        sys
kid:    movb    r7, path(r6)    ; the child appends its digit
        inc     r6
        inc     r5
        br      level
        .data
nl:     .ascii  "\n"
path:   .ascii  "r"
        .space  64
`, levels)
}

func TestAForkTreeOf127ProcessesPrintsInTreeOrderInTinyMemory(t *testing.T) {
	var want strings.Builder
	var walk func(path string, depth int)
	walk = func(path string, depth int) {
		want.WriteString(path + "\n")
		if depth < 6 {
			walk(path+"0", depth+1)
			walk(path+"1", depth+1)
		}
	}
	walk("r", 0)
	for _, mem := range []uint64{16 << 20, 256 << 10} {
		for name, change := range variantSets {
			cfg := testConfig()
			cfg.MemBytes, cfg.Check = mem, true
			cfg.PoolLow, cfg.PoolHigh = DefaultPool(int(mem / 4096))
			change(&cfg)
			out, errs, status, k := runProgram(t, forkTree(6), cfg)
			assert.Equal(t, want.String(), out, "memory %s, %s", SizeText(mem), name)
			assert.Empty(t, errs)
			assert.Equal(t, 0, status)
			assert.Equal(t, uint64(126), k.Stats().Forks)
			require.NoError(t, k.Leaks())
		}
	}
}

// cowSweep fills 48 pages with 1..48, forks, and then: the child sums
// them, adds 100 to the even ones and sums again; the parent, once the
// child has exited, sums them again. Each sum is written to standard
// output as a little-endian word: 1176, 1176+2400, then 1176 from the
// parent, whose pages the child's writes never reach.
const cowSweep = `
        .equ    PAGES, 48
        .equ    BYTES, 196608   ; PAGES pages
start:  mov     #buf, r1
        mov     #1, r2
fill:   mov     r2, (r1)
        add     #4096, r1
        inc     r2
        cmp     r2, #PAGES+1
        bne     fill
        mov     #8, r0
        sys
        tst     r0
        beq     child
        mov     r0, r1          ; the parent waits, then sums
        mov     #7, r0
        sys
        call    sum
        mov     #1, r0
        clr     r1
        sys
child:  call    sum
        mov     #buf, r1
        clr     r2
even:   add     #100, (r1)
        add     #8192, r1
        add     #2, r2
        cmp     r2, #PAGES
        blt     even
        call    sum
        mov     #1, r0
        clr     r1
        sys
sum:    clr     r3              ; total the first word of each page
        mov     #buf, r1
        mov     #PAGES, r2
more:   add     (r1), r3
        add     #4096, r1
        dec     r2
        bne     more
        mov     r3, total
        mov     #2, r0          ; write(1, total, 4)
        mov     #1, r1
        mov     #total, r2
        mov     #4, r3
        sys
        ret
        .data
total:  .word   0
        .align  4096
buf:    .space  BYTES
`

// words returns the little-endian words of out.
func words(out string) []uint32 {
	var w []uint32
	for i := 0; i+4 <= len(out); i += 4 {
		w = append(w, uint32(out[i])|uint32(out[i+1])<<8|uint32(out[i+2])<<16|uint32(out[i+3])<<24)
	}
	return w
}

func TestCopyOnWritePagesSurviveEvictionInTinyMemoryUnderEveryVariant(t *testing.T) {
	variants := map[string]func(*Config){
		"defaults":          func(*Config) {},
		"sw refill, dirty":  func(c *Config) { c.SoftwareRefill, c.SoftwareDirty = true, true },
		"asid, a tiny TLB":  func(c *Config) { c.ASID, c.TLBSize = true, 4 },
		"static swap, lru":  func(c *Config) { c.Swap, c.Policy = vm.SwapStatic, "lru" },
		"decode, random":    func(c *Config) { c.Backup, c.Policy = cpu.Decode, "random" },
		"log, fifo, static": func(c *Config) { c.Backup, c.Policy, c.Swap = cpu.Log, "fifo", vm.SwapStatic },
	}
	for name, change := range variants {
		cfg := testConfig()
		cfg.MemBytes, cfg.Check = 128<<10, true
		cfg.PoolLow, cfg.PoolHigh = DefaultPool(32)
		change(&cfg)
		out, errs, status, k := runProgram(t, cowSweep, cfg)
		require.Empty(t, errs, name)
		assert.Equal(t, 0, status, name)
		assert.Equal(t, []uint32{1176, 1176 + 2400, 1176}, words(out), name)
		s := k.Stats()
		assert.NotZero(t, s.SwapOuts, "%s: the shared pages are evicted", name)
		assert.NotZero(t, s.COWCopies, name)
		require.NoError(t, k.Leaks(), name)
	}
}

// drainDisk serves every disk request in flight, as the idle loop would.
func drainDisk(k *Kernel) {
	for k.Disk.Busy() {
		k.Clock.AdvanceTo(k.Clock.Next())
		for ev, ok := k.Clock.PopDue(); ok; ev, ok = k.Clock.PopDue() {
			k.interrupt(ev)
		}
	}
}

func TestASharedPageIsSwappedOnceForAllItsSharersAndComesBackShared(t *testing.T) {
	k, _, _ := newKernel(t, testConfig())
	parent := spawn(t, k, exitProgram)
	r := parent.heap
	require.NoError(t, k.resizeHeap(parent, uint32(r.Start)+4096))
	require.NoError(t, k.copyOut(parent, uint32(r.Start), []byte{0xEE, 0xFF, 0xC0, 0}))
	child, err := k.forkProcess(parent)
	require.NoError(t, err)
	pg := r.Object.Lookup(0)
	require.True(t, pg.Shared())
	require.Equal(t, SharedHit, k.getPage(child, child.heap, r.Start).how, "the child maps the parent's frame")
	require.Equal(t, 2, k.Frames.Get(pg.Frame).Shares())
	require.NoError(t, k.Check())

	k.policy.Remove(policyPage(pg.Frame)) // as the policy does when it chooses a victim
	require.NoError(t, k.evict(pg.Frame))
	drainDisk(k)
	assert.Equal(t, uint64(1), k.stats.SwapOuts, "one write for both sharers")
	assert.False(t, present(parent, uint32(r.Start)))
	assert.False(t, present(child, uint32(r.Start)))
	require.NoError(t, k.Check())
	k.Frames.Reclaim(pg.Frame, 0) // the pool's frame goes to another use:
	k.Frames.Release(pg.Frame)    // the page must come from swap
	pg.Frame = 0

	assert.Equal(t, PagedIn, k.getPage(child, child.heap, r.Start).how, "the child reads it back")
	drainDisk(k)
	assert.Equal(t, SharedHit, k.getPage(parent, r, r.Start).how, "and the parent finds it in memory")
	assert.Equal(t, 2, k.Frames.Get(pg.Frame).Shares())
	assert.Equal(t, uint32(0xC0FFEE), k.Phys.Read32(mmu.PAddr(pg.Frame)*mmu.PageSize))
	require.NoError(t, k.Check())
}
