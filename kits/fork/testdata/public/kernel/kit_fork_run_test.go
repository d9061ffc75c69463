package kernel

// The fork kit's tests of whole runs: programs that fork, under each of
// the three ways the CPU backs up a faulting instruction (--backup), with
// the kernel's invariants checked after every kernel entry (--check) and
// nothing left behind once every process has exited (the leak check).

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"toyvm/asm"
	"toyvm/cpu"
	"toyvm/image"
)

// kitForkLevels are the backup levels every run test runs under.
var kitForkLevels = []cpu.Level{cpu.Precise, cpu.Log, cpu.Decode}

// kitForkConfig is a machine of mem bytes, with the default watermarks
// for its size and the backup level, checked and tracking its frames,
// whose root is programs/.
func kitForkConfig(mem uint64, level cpu.Level) Config {
	cfg := testConfig()
	cfg.MemBytes, cfg.Backup, cfg.Check, cfg.TrackAllocations = mem, level, true, true
	cfg.PoolLow, cfg.PoolHigh = DefaultPool(int(mem / 4096))
	cfg.Root, cfg.Assembler = filepath.Join("..", "programs"), asm.AssembleFS
	return cfg
}

// kitForkRun runs img on a machine of cfg, failing the test if an
// invariant broke or anything leaked once every process exited. It
// returns what the run printed, the first process's exit status and the
// kernel.
func kitForkRun(t *testing.T, img *image.Image, name string, cfg Config) (string, int, *Kernel) {
	t.Helper()
	k, out, errs := newKernel(t, cfg)
	status, err := k.Run(img, []string{name})
	require.NoError(t, err, name)
	require.NotEqual(t, StatusCheckFailed, status, "%s: a broken invariant: %s", name, errs.String())
	require.NoError(t, k.Leaks(), "after %s ran", name)
	assert.Equal(t, k.Frames.Len()-1, k.Frames.FreeCount(), "%s: every frame is free once every process has exited", name)
	return out.String(), status, k
}

// kitForkSample loads programs/NAME and returns it with its expected
// output.
func kitForkSample(t *testing.T, name string) (*image.Image, string) {
	t.Helper()
	img, err := asm.LoadFile(filepath.Join("..", "programs", name))
	require.NoError(t, err)
	want, err := os.ReadFile(filepath.Join("..", "programs", strings.TrimSuffix(name, ".s")+".out"))
	require.NoError(t, err)
	return img, string(want)
}

func TestKitForkSampleProgramsUnderEveryBackupLevel(t *testing.T) {
	for _, level := range kitForkLevels {
		for _, c := range []struct {
			name  string
			forks uint64
		}{{"fork.s", 6}, {"cow.s", 1}} {
			img, want := kitForkSample(t, c.name)
			out, status, k := kitForkRun(t, img, c.name, kitForkConfig(1<<20, level))
			assert.Equal(t, 0, status, "%s at %s", c.name, level)
			assert.Equal(t, want, out, "%s at %s", c.name, level)
			s := k.Stats()
			assert.Equal(t, int(c.forks), int(s.Forks), "%s at %s", c.name, level)
			assert.Equal(t, int(c.forks+1), int(s.Processes), "%s at %s", c.name, level)
			assert.Positive(t, s.COWCopies, "%s at %s: writes to shared pages copied them", c.name, level)
			assert.Positive(t, s.SharedHits, "%s at %s: children mapped their parents' frames", c.name, level)
		}
	}
}

// kitForkParentFirst: the parent stores into a page it has just written
// (its TLB may hold the entry) right after the fork, while its child
// lives; the child, which sleeps first, must still see the word of
// before the fork.
const kitForkParentFirst = `
start:  movb    #'A', word      ; before the fork
        mov     #8, r0          ; fork
        sys
        tst     r0
        beq     child
        mov     r0, r6
        movb    #'P', word      ; the parent's store, at once
        mov     #7, r0          ; wait for the child
        mov     r6, r1
        sys
        call    show
        mov     #1, r0
        clr     r1
        sys
child:  mov     #18, r0         ; sleep: the parent stores first
        mov     #20, r1
        sys
        call    show
        mov     #1, r0
        mov     #3, r1
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

func TestKitForkParentAndChildSeeTheirOwnWrites(t *testing.T) {
	writers := assemble(t, forkTwoWriters)
	first := assemble(t, kitForkParentFirst)
	for _, level := range kitForkLevels {
		out, status, _ := kitForkRun(t, first, "first.s", kitForkConfig(1<<20, level))
		assert.Equal(t, "A\nP\n", out, "the child does not see its parent's store after the fork, at %s", level)
		assert.Equal(t, 0, status, level)

		out, status, k := kitForkRun(t, writers, "writers.s", kitForkConfig(1<<20, level))
		assert.Equal(t, "C\nP\n", out, "each sees its own store, at %s", level)
		assert.Equal(t, 42, status, "the parent exits with its child's status, at %s", level)
		s := k.Stats()
		assert.Equal(t, 1, int(s.COWCopies), "the child's store copies the data page, at %s", level)
		assert.Equal(t, 1, int(s.COWReuses), "the parent's, after the child exited, needs no copy, at %s", level)
	}
}

// kitForkCounting fills word 0 of 4 pages and forks. The child reads the
// 4 pages (4 shared hits, and one for the text), writes 2 (2 copies)
// and exits with the sum it read, 10; the parent waits for it, then
// writes the 4 (no longer shared: 4 reuses) and exits with its child's
// status. Neither touches its stack.
const kitForkCounting = `
        .equ    PAGES, 4
start:  mov     #array, r1
        mov     #1, r2
fill:   mov     r2, (r1)        ; page i holds i+1
        add     #4096, r1
        inc     r2
        cmp     r2, #PAGES+1
        bne     fill
        mov     #8, r0          ; fork
        sys
        tst     r0
        beq     child
        mov     r0, r1          ; wait for the child
        mov     #7, r0
        sys
        mov     r1, r6
        mov     #array, r1      ; write every page
        mov     #PAGES, r2
pw:     add     #100, (r1)
        add     #4096, r1
        dec     r2
        bne     pw
        mov     #1, r0          ; exit with the child's status
        mov     r6, r1
        sys
child:  clr     r3
        mov     #array, r1      ; read every page
        mov     #PAGES, r2
cr:     add     (r1), r3
        add     #4096, r1
        dec     r2
        bne     cr
        add     #1000, array    ; write two
        add     #1000, array+4096
        mov     #1, r0
        mov     r3, r1
        sys
        .data
array:  .space  16384
`

func TestKitForkCountsCopiesReusesAndSharedHits(t *testing.T) {
	img := assemble(t, kitForkCounting)
	for _, level := range kitForkLevels {
		_, status, k := kitForkRun(t, img, "counting.s", kitForkConfig(1<<20, level))
		assert.Equal(t, 10, status, "the child read its parent's words, at %s", level)
		s := k.Stats()
		assert.Equal(t, 1, int(s.Forks), level)
		assert.Equal(t, 5, int(s.SharedHits), "the child's first touch of the text and of each page, at %s", level)
		assert.Equal(t, 2, int(s.COWCopies), "the child's writes to two shared pages, at %s", level)
		assert.Equal(t, 4, int(s.COWReuses), "the parent's writes once the child has exited, at %s", level)
	}
}

// kitForkReadInto: the parent puts dots in a buffer and forks; the child
// reads files/hello.txt into the buffer (the kernel writes a page shared
// copy-on-write) and prints it; the parent, once the child has exited,
// prints its own buffer: the dots.
const kitForkReadInto = `
start:  mov     #buf, r1        ; 16 dots
        mov     #16, r2
dots:   movb    #'.', (r1)+
        dec     r2
        bne     dots
        mov     #8, r0          ; fork
        sys
        tst     r0
        beq     child
        mov     r0, r1          ; wait for the child
        mov     #7, r0
        sys
        br      show
child:  mov     #4, r0          ; open("files/hello.txt", read)
        mov     #path, r1
        clr     r2
        sys
        mov     r0, r1          ; read(fd, buf, 16)
        mov     #3, r0
        mov     #buf, r2
        mov     #16, r3
        sys
show:   mov     #2, r0          ; write(1, buf, 17)
        mov     #1, r1
        mov     #buf, r2
        mov     #17, r3
        sys
        mov     #1, r0
        clr     r1
        sys
        .data
path:   .asciz  "files/hello.txt"
buf:    .space  16
        .ascii  "\n"
`

func TestKitForkAReadIntoASharedBufferBreaksTheSharing(t *testing.T) {
	img := assemble(t, kitForkReadInto)
	for _, level := range kitForkLevels {
		out, status, k := kitForkRun(t, img, "readinto.s", kitForkConfig(1<<20, level))
		assert.Equal(t, 0, status, level)
		assert.Equal(t, "Hello from a fil\n................\n", out,
			"the child's read() lands in its own copy of the buffer, at %s", level)
		assert.Equal(t, 1, int(k.Stats().COWCopies), "the kernel's write into the shared page copied it, at %s", level)
	}
}

// kitForkWriters returns a program in which a process fills word 0 of
// pages pages with 1 and forks kids children, all running at once. Child
// c adds c to word 0 of each page, then forks a child of its own that
// adds 10 to each and exits with its sum, 8*(11+c) for 8 pages; child c
// checks that status and exits with its own sum, 8*(1+c) (255 if the
// grandchild's sum was wrong). The first process waits for its children
// in order, and prints their statuses and then its own sum as
// little-endian words. A fork that fails for lack of memory (in a small
// machine) is tried again after a sleep.
func kitForkWriters(kids, pages int) string {
	var b strings.Builder
	sum := func(label string) { // r1 = the sum of word 0 of the pages
		fmt.Fprintf(&b, `        clr     r1
        mov     #array, r2
        mov     #PAGES, r3
%s:     add     (r2), r1
        add     #4096, r2
        dec     r3
        bne     %s
`, label, label)
	}
	add := func(label string, n int) { // add n to word 0 of every page
		fmt.Fprintf(&b, `        mov     #array, r2
        mov     #PAGES, r3
%s:     add     #%d, (r2)
        add     #4096, r2
        dec     r3
        bne     %s
`, label, n, label)
	}
	fmt.Fprintf(&b, "        .equ    PAGES, %d\nstart:\n", pages)
	add("init", 1)
	fork := func(label, child string) { // fork; a fork that fails for lack of memory is tried again after a sleep
		fmt.Fprintf(&b, `%s:  mov     #8, r0
        sys
        tst     r0
        beq     %s
        bgt     %sok
        mov     #18, r0
        mov     #5, r1
        sys
        br      %s
%sok:
`, label, child, label, label, label)
	}
	for c := 1; c <= kids; c++ {
		fork(fmt.Sprintf("fork%d", c), fmt.Sprintf("kid%d", c))
		fmt.Fprintf(&b, "        mov     r0, r%d\n", 7+c)
	}
	for c := 1; c <= kids; c++ {
		fmt.Fprintf(&b, "        mov     #7, r0\n        mov     r%d, r1\n        sys\n        mov     r1, r%d\n", 7+c, 7+c)
	}
	sum("mine")
	b.WriteString("        push    r1\n")
	for c := kids; c >= 1; c-- {
		fmt.Fprintf(&b, "        push    r%d\n", 7+c)
	}
	fmt.Fprintf(&b, "        mov     #2, r0\n        mov     sp, r2\n        mov     #%d, r3\n        mov     #1, r1\n        sys\n", 4*(kids+1))
	b.WriteString("        mov     #1, r0\n        clr     r1\n        sys\n")
	for c := 1; c <= kids; c++ {
		fmt.Fprintf(&b, "kid%d:\n", c)
		add(fmt.Sprintf("kadd%d", c), c)
		fork(fmt.Sprintf("kfork%d", c), fmt.Sprintf("grand%d", c))
		fmt.Fprintf(&b, "        mov     r0, r1\n        mov     #7, r0\n        sys\n        cmp     r1, #%d\n        bne     bad\n", pages*(11+c))
		sum(fmt.Sprintf("ksum%d", c))
		b.WriteString("        mov     #1, r0\n        sys\n")
		fmt.Fprintf(&b, "grand%d:\n", c)
		add(fmt.Sprintf("gadd%d", c), 10)
		sum(fmt.Sprintf("gsum%d", c))
		b.WriteString("        mov     #1, r0\n        sys\n")
	}
	fmt.Fprintf(&b, "bad:    mov     #1, r0\n        mov     #255, r1\n        sys\n        .data\narray:  .space  %d\n", pages*4096)
	return b.String()
}

func TestKitForkATreeOfWritersUnderEveryBackupLevel(t *testing.T) {
	img := assemble(t, kitForkWriters(4, 8))
	for _, level := range kitForkLevels {
		out, status, k := kitForkRun(t, img, "writers.s", kitForkConfig(1<<20, level))
		assert.Equal(t, 0, status, level)
		assert.Equal(t, []uint32{16, 24, 32, 40, 8}, words(out),
			"each child and grandchild sees its own writes and none of the others', at %s", level)
		s := k.Stats()
		assert.Equal(t, 8, int(s.Forks), level)
		assert.GreaterOrEqual(t, s.COWCopies, uint64(8*8-8), "each child's and grandchild's writes copied the pages, at %s", level)
	}
}
