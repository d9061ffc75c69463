package kernel

// The daemon kit's tests of whole runs: programs in 64K of memory (16
// frames, the watermarks of DefaultPool: 2 and 4), where the daemon runs
// all the time, with the kernel's invariants checked after every kernel
// entry (--check) and nothing left behind when every process has exited
// (the leak check).

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"toyvm/asm"
	"toyvm/image"
)

// kitDaemonConfig is a machine of mem bytes with the default watermarks
// for its size, checked and tracking its frames, whose root is
// programs/.
func kitDaemonConfig(mem uint64) Config {
	cfg := testConfig()
	cfg.MemBytes, cfg.Check, cfg.TrackAllocations = mem, true, true
	cfg.PoolLow, cfg.PoolHigh = DefaultPool(int(mem / 4096))
	cfg.Root, cfg.Assembler = filepath.Join("..", "programs"), asm.AssembleFS
	return cfg
}

// kitDaemonProgram loads programs/NAME.
func kitDaemonProgram(t *testing.T, name string) *image.Image {
	t.Helper()
	img, err := asm.LoadFile(filepath.Join("..", "programs", name))
	require.NoError(t, err)
	return img
}

// kitDaemonRun runs img on a machine of cfg, failing the test if an
// invariant broke or anything leaked. It returns what the run printed,
// the first process's exit status and the kernel.
func kitDaemonRun(t *testing.T, img *image.Image, name string, cfg Config) (string, int, *Kernel) {
	t.Helper()
	k, out, errs := newKernel(t, cfg)
	status, err := k.Run(img, []string{name})
	require.NoError(t, err, name)
	require.NotEqual(t, StatusCheckFailed, status, "%s: a broken invariant: %s", name, errs.String())
	require.NoError(t, k.Leaks(), "after %s ran", name)
	return out.String(), status, k
}

// kitDaemonWant returns programs/NAME's expected output.
func kitDaemonWant(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "programs", strings.TrimSuffix(name, ".s")+".out"))
	require.NoError(t, err)
	return string(b)
}

func TestKitDaemonSampleProgramsRunIn64K(t *testing.T) {
	for _, name := range []string{"linear.s", "bigread.s", "mapsum.s", "cow.s"} {
		out, status, k := kitDaemonRun(t, kitDaemonProgram(t, name), name, kitDaemonConfig(64<<10))
		assert.Equal(t, 0, status, name)
		assert.Equal(t, kitDaemonWant(t, name), out, name)
		s := k.Stats()
		assert.Positive(t, s.DaemonRuns, "%s: the daemon ran", name)
		assert.Positive(t, s.Evictions, "%s: pages were evicted", name)
		assert.Positive(t, s.Reclaims, "%s: pages were reclaimed from the pool", name)
		if name != "mapsum.s" { // its pages are a file's, read only
			assert.Positive(t, s.SwapOuts, "%s: dirty pages were written to swap", name)
			assert.Positive(t, s.SwapIns, "%s: and read back", name)
		}
	}
}

func TestKitDaemonKeepsTheAvailableFramesBetweenTheWatermarks(t *testing.T) {
	for _, marks := range [][2]int{{2, 4}, {3, 6}, {1, 2}} {
		for _, name := range []string{"linear.s", "bigread.s", "mapsum.s"} {
			cfg := kitDaemonConfig(64 << 10)
			cfg.PoolLow, cfg.PoolHigh = marks[0], marks[1]
			k, _, errs := newKernel(t, cfg)
			// At each page fault, once memory has filled and the daemon
			// has run: how many frames are free, in the pool or on their
			// way there.
			seen := map[int]int{}
			k.Register(Registration{Name: "kit watermarks", Kinds: []EventKind{EvPageFault}, Order: FirstOrder,
				Handler: HandlerFunc(func(k *Kernel, e *Event) (Result, bool) {
					if k.Stats().DaemonRuns > 0 {
						seen[k.Frames.FreeCount()+k.Frames.PoolCount()+k.pendingWrites]++
					}
					return Result{}, false
				})})
			status, err := k.Run(kitDaemonProgram(t, name), []string{name})
			require.NoError(t, err)
			require.Equal(t, 0, status, "%s: %s", name, errs.String())
			require.NoError(t, k.Leaks())
			what := fmt.Sprintf("%s with the watermarks %d and %d: the frames available at each fault: %v", name, marks[0], marks[1], seen)
			require.NotEmpty(t, seen, what)
			low, high := 1<<30, 0
			for n := range seen {
				low, high = min(low, n), max(high, n)
			}
			assert.GreaterOrEqual(t, low, cfg.PoolLow, "never below the low watermark: %s", what)
			assert.Equal(t, cfg.PoolHigh, high, "up to the high watermark, no further: %s", what)
		}
	}
}

// kitDaemonPassesProgram returns a program that reads word 0 of each of
// pages pages of its data section, in order, passes times (at most 4),
// and prints each pass's sum as a little-endian word. Unless write is
// set, the pages are the image's (word 0 of page i holds i+1) and stay
// clean; with write, they are a zero-filled array the program fills
// first (word 0 of page i gets i+1): each is dirtied once. The sums are
// kept in registers: the program writes nothing else but its stack, once,
// at the end.
func kitDaemonPassesProgram(pages, passes int, write bool) string {
	var data strings.Builder
	fill := ""
	if write {
		fill = `
        mov     #table, r1      ; page i gets i+1
        mov     #1, r2
fill:   mov     r2, (r1)
        add     #4096, r1
        inc     r2
        cmp     r2, #PAGES+1
        bne     fill`
		fmt.Fprintf(&data, "table:  .space  %d\n", pages*4096)
	} else {
		data.WriteString("table:\n")
		for i := range pages {
			fmt.Fprintf(&data, "        .word   %d\n        .space  4092\n", i+1)
		}
	}
	return fmt.Sprintf(`
        .equ    PAGES, %d
        .equ    PASSES, %d
        .equ    BYTES, %d       ; PASSES*4
start:  %s
        mov     #PASSES, r5     ; r5 = passes left
pass:   clr     r3              ; r3 = this pass's sum
        mov     #table, r1
        mov     #PAGES, r2
page:   add     (r1), r3
        add     #4096, r1
        dec     r2
        bne     page
        mov     r10, r11        ; the sums so far: r8 the last
        mov     r9, r10
        mov     r8, r9
        mov     r3, r8
        dec     r5
        bne     pass
        push    r8              ; the sums in order, from the first pass's
        push    r9
        push    r10
        push    r11
        mov     #2, r0          ; write(1, the sums, BYTES)
        mov     #1, r1
        mov     sp, r2
        add     #16-BYTES, r2
        mov     #BYTES, r3
        sys
        mov     #1, r0
        clr     r1
        sys
        .data
%s`, pages, passes, passes*4, fill, data.String())
}

func TestKitDaemonNeverWritesACleanPage(t *testing.T) {
	const pages = 24
	img := assemble(t, kitDaemonPassesProgram(pages, 2, false))
	for _, policy := range []string{"clock", "lru", "fifo"} {
		cfg := kitDaemonConfig(64 << 10)
		cfg.Policy = policy
		out, status, k := kitDaemonRun(t, img, "passes.s", cfg)
		require.Equal(t, 0, status, policy)
		assert.Equal(t, []uint32{pages * (pages + 1) / 2, pages * (pages + 1) / 2}, words(out), policy)
		s := k.Stats()
		assert.GreaterOrEqual(t, s.Evictions, uint64(pages), "%s: the pages were evicted, again and again", policy)
		assert.LessOrEqual(t, s.SwapOuts, uint64(1), "%s: the stack alone is dirty: a clean page is never written to swap", policy)
		assert.Equal(t, s.SwapOuts, s.DiskWrites, "%s: nothing else is written", policy)
		assert.LessOrEqual(t, s.SwapIns, uint64(1), "%s: clean pages come back from the image, not from swap", policy)
	}
}

func TestKitDaemonWritesADirtyPageOnceHoweverOftenItIsEvicted(t *testing.T) {
	const pages = 24
	for _, passes := range []int{1, 4} {
		img := assemble(t, kitDaemonPassesProgram(pages, passes, true))
		cfg := kitDaemonConfig(64 << 10)
		out, status, k := kitDaemonRun(t, img, "passes.s", cfg)
		require.Equal(t, 0, status)
		want := make([]uint32, passes)
		for i := range want {
			want[i] = pages * (pages + 1) / 2
		}
		assert.Equal(t, want, words(out), "%d passes", passes)
		s := k.Stats()
		assert.GreaterOrEqual(t, s.Evictions, uint64(pages*passes), "%d passes: every pass evicts the pages", passes)
		assert.Positive(t, s.SwapIns, "%d passes: the pages come back from swap", passes)
		assert.LessOrEqual(t, s.SwapOuts, uint64(pages+1),
			"%d passes: each page of the array and the stack is dirtied once, so it is written once: a page read back from swap is clean", passes)
	}
}
