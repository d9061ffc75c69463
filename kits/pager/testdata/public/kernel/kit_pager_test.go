package kernel

// The public tests of the pager kit (kits/pager/README.md): the kernel's
// side of a user-level pager, page-ins asked of a process and answered
// by it, and a pager that fails without hanging the run or leaking.

import (
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"toyvm/asm"
	"toyvm/image"
)

// kitPagerNames names the system calls the tests' programs use.
const kitPagerNames = `
        .equ    EXIT, 1
        .equ    WRITE, 2
        .equ    WAIT, 7
        .equ    FORK, 8
        .equ    MMAP, 12
        .equ    SLEEP, 18
        .equ    CREATE, 40
        .equ    RECV, 41
        .equ    SUPPLY, 42
`

// kitPager is a test program: a pager that makes an object of Pages
// pages (its descriptor in r10), forks Clients children, runs Start and
// serves them.
//
// Each child maps the whole object shared at r7 (Prot: 1 to read, 3 to
// read and write; 1 if 0), with its number (0, 1, ...) in r11, runs
// Client, which leaves its exit status in r1, and exits.
//
// The pager takes the requests with pager_recv: it ignores a page-out,
// and answers a page-in of the page in r5 with Serve (by default: buf
// filled with the word index+1, supplied; Serve ends with "br serve").
// When pager_recv says done it runs Done, waits for its children and
// exits with the sum of their statuses. A failed call makes it (or a
// child) exit with the error.
type kitPager struct {
	Pages, Clients, Prot       int
	Start, Serve, Done, Client string
}

// kitPagerSupplyFilled is the default Serve: page r5 filled with the
// word r5+1, supplied.
const kitPagerSupplyFilled = `
        mov     r5, r6
        inc     r6                      ; the word: index + 1
        call    fillbuf
        mov     #SUPPLY, r0             ; pager_supply(fd, index, buf)
        mov     r10, r1
        mov     r5, r2
        mov     #buf, r3
        sys
        tst     r0
        blt     fail
        br      serve`

// source returns the program's assembly.
func (kp kitPager) source() string {
	if kp.Serve == "" {
		kp.Serve = kitPagerSupplyFilled
	}
	if kp.Prot == 0 {
		kp.Prot = 1
	}
	forks := ""
	if kp.Clients > 0 {
		forks = `
        clr     r11                     ; the next child's number
fork:   mov     #FORK, r0
        sys
        tst     r0
        blt     fail
        beq     child
        inc     r11
        cmp     r11, #CLIENTS
        blt     fork`
	}
	return kitPagerNames + `
        .equ    PAGES, ` + strconv.Itoa(kp.Pages) + `
        .equ    LENGTH, ` + strconv.Itoa(kp.Pages*4096) + `
        .equ    CLIENTS, ` + strconv.Itoa(kp.Clients) + `
        .equ    PROT, ` + strconv.Itoa(kp.Prot) + `
start:  mov     #CREATE, r0             ; pager_create(PAGES)
        mov     #PAGES, r1
        sys
        tst     r0
        blt     fail
        mov     r0, r10
` + forks + `
` + kp.Start + `
serve:  mov     #RECV, r0               ; pager_recv(fd, buf)
        mov     r10, r1
        mov     #buf, r2
        sys
        tst     r0
        blt     fail
        beq     done
        mov     r1, r5                  ; the page
        cmp     r0, #1
        bne     serve                   ; a page-out: nothing kept
` + kp.Serve + `
done:
` + kp.Done + `
        clr     r9                      ; the sum of the children's statuses
        mov     #CLIENTS, r8
reap:   tst     r8
        beq     reaped
        mov     #WAIT, r0
        mov     #-1, r1
        sys
        tst     r0
        blt     fail
        add     r1, r9
        dec     r8
        br      reap
reaped: mov     r9, r1
        mov     #EXIT, r0
        sys
fail:   mov     r0, r1                  ; exit(the error)
        mov     #EXIT, r0
        sys

; fillbuf fills buf with the word r6.
fillbuf:
        mov     #buf, r7
        mov     #1024, r8
fillbuf.next:
        mov     r6, (r7)+
        dec     r8
        bne     fillbuf.next
        ret

; putc writes the byte r1 to standard output.
putc:   movb    r1, ch
        mov     #WRITE, r0
        mov     #1, r1
        mov     #ch, r2
        mov     #1, r3
        sys
        ret

child:  mov     #MMAP, r0               ; mmap(0, LENGTH, PROT, MAP_SHARED, fd, 0)
        clr     r1
        mov     #LENGTH, r2
        mov     #PROT, r3
        mov     #1, r4
        mov     r10, r5
        clr     r6
        sys
        tst     r0
        blt     fail
        mov     r0, r7
` + kp.Client + `
        mov     #EXIT, r0
        sys

        .data
ch:     .space  4
buf:    .space  4096
`
}

// kitPagerRun runs src with the kernel's invariants checked after every
// kernel entry and its allocations tracked, and fails the test if a
// check failed or anything leaked once every process exited.
func kitPagerRun(t *testing.T, src string, cfg Config) (stdout, stderr string, status int, k *Kernel) {
	t.Helper()
	cfg.Check, cfg.TrackAllocations = true, true
	stdout, stderr, status, k = kitPagerRunImage(t, assemble(t, src), cfg)
	kitPagerNoLeaks(t, k, stderr)
	return stdout, stderr, status, k
}

// kitPagerRunImage runs img as runImage does, but fails the test with a
// message, rather than a panic, when the run hangs: every process waits
// and nothing will ever wake them (a process blocked on a page that was
// supplied, say, but never woken).
func kitPagerRunImage(t *testing.T, img *image.Image, cfg Config) (stdout, stderr string, status int, k *Kernel) {
	t.Helper()
	defer func() {
		if r := recover(); r != nil {
			if s, ok := r.(string); ok && strings.Contains(s, "every process waits and no event is pending") {
				require.Failf(t, "the run hung:", "every process waits and nothing will wake them: "+
					"does every page-in wake the processes waiting for its page, once supplied or failed? (%s)", s)
			}
			panic(r)
		}
	}()
	return runImage(t, img, cfg)
}

// kitPagerNoLeaks fails the test if --check found a broken invariant,
// or if, once every process has exited, a frame is still locked or
// anything leaked (k.Leaks).
func kitPagerNoLeaks(t *testing.T, k *Kernel, stderr string) {
	t.Helper()
	require.NoError(t, k.checkErr, "the kernel's invariants, checked after every kernel entry (--check): %s", stderr)
	for _, p := range k.procs {
		require.Equal(t, Zombie, p.State, "%v has not exited: %s", p, stderr)
	}
	for f := uint32(1); int(f) < k.Frames.Len(); f++ {
		if fr := k.Frames.Get(f); fr.Locks != 0 {
			require.Failf(t, "a frame is still locked:", "after every process exited, frame %#x is %s with %d locks: "+
				"a page-in's frame is unlocked when the page-in completes or fails\n%s", f, fr.State, fr.Locks, stderr)
		}
	}
	var err error
	func() {
		defer func() {
			if r := recover(); r != nil { // a frame whose page is gone: k.Leaks cannot name it
				err = fmt.Errorf("after every process exited: %d frames not free (%v)", k.Frames.Len()-1-k.Frames.FreeCount(), r)
			}
		}()
		err = k.Leaks()
	}()
	require.NoError(t, err, "nothing leaks: %s", stderr)
}

// kitPagerMachines are the machines the pager must work on: the
// defaults, the MMU's help done by the kernel (TLB refills and dirty
// bits), a 4-entry TLB tagged by address space, and 64K of memory (16
// frames: pages are evicted).
func kitPagerMachines() []struct {
	name string
	cfg  Config
} {
	sw, asid, small := testConfig(), testConfig(), testConfig()
	sw.SoftwareRefill, sw.SoftwareDirty = true, true
	asid.ASID, asid.TLBSize = true, 4
	small.MemBytes = 64 << 10
	small.PoolLow, small.PoolHigh = DefaultPool(16)
	return []struct {
		name string
		cfg  Config
	}{{"defaults", testConfig()}, {"sw refill and dirty", sw}, {"asid tlb 4", asid}, {"64K", small}}
}

// kitPagerSumFour is a client of a 4-page object that adds the first
// word of each page and the last word of page 0: 1+2+3+4+1 = 11 when
// page i holds the word i+1.
const kitPagerSumFour = `
        mov     (r7), r1
        add     4096(r7), r1
        add     8192(r7), r1
        add     12288(r7), r1
        add     4092(r7), r1`

func TestKitPagerServesThePagesOfItsObject(t *testing.T) {
	for _, m := range kitPagerMachines() {
		t.Run(m.name, func(t *testing.T) {
			src := kitPager{Pages: 4, Clients: 1, Client: kitPagerSumFour}.source()
			_, errs, status, k := kitPagerRun(t, src, m.cfg)
			require.Equal(t, 11, status, "the client's sum of the words the pager supplied: %s", errs)
			s := k.Stats()
			assert.Equal(t, uint64(4), s.PagerFaults, "one fault asked of the pager for each page")
			assert.Equal(t, uint64(4), s.PagerRequests, "one page-in for each page")
			assert.Equal(t, uint64(4), s.PagerSupplies, "each answered")
		})
	}
}

func TestKitPagerCountsFaultsRequestsAndSupplies(t *testing.T) {
	// The pager supplies page 3 before anyone asks for it: the client
	// finds it in memory, and faults to the pager for pages 0 to 2 only.
	ahead := `
        mov     #4, r6                  ; page 3: the word 4
        call    fillbuf
        mov     #SUPPLY, r0
        mov     r10, r1
        mov     #3, r2
        mov     #buf, r3
        sys
        tst     r0
        bne     fail`
	client := `
        mov     (r7), r1
        add     4096(r7), r1
        add     8192(r7), r1
        add     12288(r7), r1`
	src := kitPager{Pages: 4, Clients: 1, Start: ahead, Client: client}.source()
	_, errs, status, k := kitPagerRun(t, src, testConfig())
	require.Equal(t, 10, status, "1+2+3+4: %s", errs)
	s := k.Stats()
	assert.Equal(t, uint64(3), s.PagerFaults, "pager_faults: pages 0, 1 and 2; page 3 was in memory")
	assert.Equal(t, uint64(3), s.PagerRequests, "pager_requests: a page-in for each of those faults")
	assert.Equal(t, uint64(4), s.PagerSupplies, "pager_supplies: the 3 answers and the page supplied ahead")
}

func TestKitPagerCallsRefuseWhatTheyCannotDo(t *testing.T) {
	supply := func(fd, index, buf string) string {
		return `
        mov     #SUPPLY, r0
        mov     ` + fd + `, r1
        mov     ` + index + `, r2
        mov     ` + buf + `, r3
        sys`
	}
	cases := []struct {
		name          string
		pager, client string
		want          int32
	}{
		{"recv on a descriptor that is no pager's", `
        mov     #RECV, r0
        clr     r1                      ; standard input
        mov     #buf, r2
        sys`, "", EBADF},
		{"supply on a descriptor that is not open", supply("#9", "#0", "#buf"), "", EBADF},
		{"supply past the object", supply("r10", "#4", "#buf"), "", EINVAL},
		{"supply from a buffer in no region", supply("r10", "#0", "#0x50000000"), "", EFAULT},
		{"supply from a buffer running into the kernel's half", supply("r10", "#0", "#0x7ffff800"), "", EFAULT},
		{"supply twice a page no one asked for", supply("r10", "#1", "#buf") + `
        tst     r0
        bne     fail` + supply("r10", "#1", "#buf"), "", EINVAL},
		{"recv by a client, not the pager", "", `
        mov     #RECV, r0
        mov     r10, r1
        mov     #buf, r2
        sys
        mov     r0, r1`, EACCES},
		{"supply by a client, not the pager", "", supply("r10", "#0", "#buf") + `
        mov     r0, r1`, EACCES},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			kp := kitPager{Pages: 4, Clients: 1, Client: c.client}
			if c.pager != "" {
				kp.Clients, kp.Start = 0, c.pager+`
        br      fail                    ; exit(the result)`
			}
			_, errs, status, _ := kitPagerRun(t, kp.source(), testConfig())
			assert.Equal(t, int(c.want)&0xff, status, "the call's result (as the exit status): %s", errs)
		})
	}
}

func TestKitPagerRecvSaysDoneWhenNoClientIsLeft(t *testing.T) {
	t.Run("no client at all", func(t *testing.T) {
		src := kitPager{Pages: 1, Done: `
        mov     #40, r1                 ; exit(40): done at once
        mov     #EXIT, r0
        sys`}.source()
		_, errs, status, _ := kitPagerRun(t, src, testConfig())
		assert.Equal(t, 40, status, "pager_recv returns PagerDone (0) when no other process uses the object: %s", errs)
	})
	t.Run("a client that exits", func(t *testing.T) {
		// The child maps the object, sleeps, prints "c" and exits: the
		// pager's pager_recv waits until then, and prints "d".
		client := `
        mov     #SLEEP, r0
        mov     #3, r1
        sys
        mov     #'c', r1
        call    putc
        mov     #7, r1`
		done := `
        mov     #'d', r1
        call    putc`
		src := kitPager{Pages: 1, Clients: 1, Client: client, Done: done}.source()
		out, errs, status, _ := kitPagerRun(t, src, testConfig())
		assert.Equal(t, 7, status, errs)
		assert.Equal(t, "cd", out, "pager_recv waits while a client maps the object, and says done when it has exited")
	})
}

func TestKitPagerSamplePagersPrintTheSum(t *testing.T) {
	for _, prog := range []string{"numpager.s", "filepager.s"} {
		for _, m := range kitPagerMachines() {
			if m.name != "defaults" && m.name != "64K" {
				continue
			}
			t.Run(prog+" "+m.name, func(t *testing.T) {
				img, err := asm.LoadFile(filepath.Join("..", "programs", "pager", prog))
				require.NoError(t, err)
				cfg := m.cfg
				cfg.Check, cfg.TrackAllocations, cfg.Root = true, true, filepath.Join("..", "programs")
				out, errs, status, k := kitPagerRunImage(t, img, cfg)
				kitPagerNoLeaks(t, k, errs)
				assert.Equal(t, 0, status, errs)
				assert.Empty(t, errs)
				assert.Equal(t, "sum of the words: 2064384\npages: 64\n", out)
				s := k.Stats()
				if m.name == "defaults" {
					assert.Equal(t, uint64(64), s.PagerFaults, "one fault asked of the pager for each page")
				} else {
					assert.GreaterOrEqual(t, s.PagerFaults, uint64(64), "each page asked of the pager at least once")
				}
				assert.Equal(t, s.PagerFaults, s.PagerRequests, "a page-in for each, and no page-out: mapsum.s writes nothing")
				assert.Equal(t, s.PagerRequests, s.PagerSupplies, "each page-in answered")
			})
		}
	}
}

func TestKitPagerThatExitsBeforeAnsweringHasItsClientKilled(t *testing.T) {
	exits := `
        clr     r1                      ; exit(0), without answering
        mov     #EXIT, r0
        sys`
	cases := []struct {
		name string
		kp   kitPager
	}{
		{"after it received the page-in", kitPager{Pages: 4, Clients: 1, Client: kitPagerSumFour, Serve: exits}},
		{"before it received the page-in", kitPager{Pages: 4, Clients: 1, Client: kitPagerSumFour, Start: `
        mov     #SLEEP, r0              ; the client faults meanwhile
        mov     #3, r1
        sys` + exits}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, errs, status, k := kitPagerRun(t, c.kp.source(), testConfig())
			assert.Equal(t, 0, status, "the pager's own status: %s", errs)
			assert.Regexp(t, `toyvm: process 2 \(test.s\) killed: page lost: its pager has exited at 0x40000000, pc 0x[0-9a-f]{8} \(exit status 135\)\n`, errs,
				"the client, waiting for its page, is killed with 135")
			s := k.Stats()
			assert.Equal(t, uint64(1), s.PagerRequests)
			assert.Zero(t, s.PagerSupplies)
		})
	}
}
