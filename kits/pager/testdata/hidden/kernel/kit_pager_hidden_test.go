package kernel

// The hidden tests of the pager kit (kits/pager/README.md): page-outs
// under a small memory, a pager that does not answer in time or waits
// for its own client, several clients of one object, requests taken in
// the order they were made, and pages that outlive their pager. They
// use the public tests' helpers (kit_pager_test.go).

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"toyvm/asm"
)

func TestKitPagerHiddenPageOutsComeBackIntact(t *testing.T) {
	for _, m := range kitPagerMachines() {
		if m.name != "64K" {
			continue
		}
		swDirty := m.cfg
		swDirty.SoftwareDirty = true
		for name, cfg := range map[string]Config{"64K": m.cfg, "64K sw dirty": swDirty} {
			t.Run(name, func(t *testing.T) {
				img, err := asm.LoadFile(filepath.Join("..", "programs", "pager", "scribble.s"))
				require.NoError(t, err)
				cfg.Check, cfg.TrackAllocations, cfg.Root = true, true, filepath.Join("..", "programs")
				out, errs, status, k := kitPagerRunImage(t, img, cfg)
				kitPagerNoLeaks(t, k, errs)
				assert.Equal(t, 0, status, errs)
				assert.Equal(t, "words as the pager made them: 65536 of 65536\n"+
					"words as the client wrote them: 65536 of 65536\n"+
					"sum of the words: 2097905664\n", out, "the pages the client wrote, evicted dirty, came back from the pager as written")
				s := k.Stats()
				assert.Greater(t, s.PagerRequests, s.PagerSupplies, "page-outs: the requests no supply answers")
				assert.Greater(t, s.PagerSupplies, uint64(64), "pages supplied again after their page-out")
			})
		}
	}
}

func TestKitPagerHiddenAPagerThatDoesNotAnswerInTime(t *testing.T) {
	spins := `
        mov     #8000000, r9            ; never answers: spins, then exits
spin:   dec     r9
        bne     spin
        clr     r1
        mov     #EXIT, r0
        sys`
	src := kitPager{Pages: 4, Clients: 1, Client: kitPagerSumFour, Serve: spins}.source()
	_, errs, status, _ := kitPagerRun(t, src, testConfig())
	assert.Equal(t, 0, status, errs)
	assert.Contains(t, errs, "toyvm: process 2 (test.s) killed: page lost: its pager (pid 1) did not answer within 10000000 cycles at 0x40000000",
		"the client is killed once its page-in is PagerTimeout cycles old")
	assert.Contains(t, errs, "(exit status 135)")
}

func TestKitPagerHiddenADeadlockIsBrokenNotHung(t *testing.T) {
	t.Run("a pager that waits for its client", func(t *testing.T) {
		waits := `
        mov     #WAIT, r0               ; waits for the child, which waits for it
        mov     #-1, r1
        sys
        mov     #EXIT, r0               ; exit(its status)
        sys`
		src := kitPager{Pages: 4, Clients: 1, Client: kitPagerSumFour, Serve: waits}.source()
		_, errs, status, _ := kitPagerRun(t, src, testConfig())
		assert.Equal(t, StatusBus, status, "the client is killed with 135; the pager exits with its status: %s", errs)
		assert.Contains(t, errs, "toyvm: process 2 (test.s) killed: page lost: deadlock: its pager (pid 1) waits too, and nothing will wake it at 0x40000000")
	})
	t.Run("a pager that faults on its own object", func(t *testing.T) {
		src := kitPagerNames + `
start:  mov     #CREATE, r0
        mov     #1, r1
        sys
        mov     r0, r5
        mov     #MMAP, r0               ; its own object, mapped by itself
        clr     r1
        mov     #4096, r2
        mov     #1, r3
        mov     #1, r4
        clr     r6
        sys
        mov     (r0), r1                ; no one to answer
        mov     #EXIT, r0
        sys
`
		_, errs, status, _ := kitPagerRun(t, src, testConfig())
		assert.Equal(t, StatusBus, status, errs)
		assert.Contains(t, errs, "killed: page lost: deadlock: its pager (pid 1) waits too")
	})
}

func TestKitPagerHiddenSeveralClientsOfOneObject(t *testing.T) {
	for _, m := range kitPagerMachines() {
		t.Run(m.name, func(t *testing.T) {
			clients := 3
			if m.name == "64K" {
				clients = 2 // 16 frames hold no more processes: a third fork fails with ENOMEM
			}
			src := kitPager{Pages: 4, Clients: clients, Client: kitPagerSumFour}.source()
			_, errs, status, k := kitPagerRun(t, src, m.cfg)
			require.Equal(t, clients*11, status, "each client sums 11: %s", errs)
			s := k.Stats()
			if m.name != "64K" {
				assert.Equal(t, uint64(4), s.PagerRequests, "one page-in for each page: a client that faults on a page on its way waits for it")
			}
			assert.Equal(t, s.PagerRequests, s.PagerSupplies, "each page-in answered, once")
		})
	}
}

func TestKitPagerHiddenEveryClientWaitingForAPageIsKilledWhenThePagerExits(t *testing.T) {
	// Both clients fault on page 0 while the pager sleeps: one asks the
	// pager, the other waits for the page on its way. The pager takes the
	// page-in and exits: the first is killed; the other wakes, faults
	// again, finds no pager, and is killed too.
	start := `
        mov     #SLEEP, r0
        mov     #3, r1
        sys`
	exits := `
        clr     r1
        mov     #EXIT, r0
        sys`
	src := kitPager{Pages: 4, Clients: 2, Start: start, Serve: exits, Client: kitPagerSumFour}.source()
	_, errs, status, _ := kitPagerRun(t, src, testConfig())
	assert.Equal(t, 0, status, errs)
	assert.Equal(t, 2, strings.Count(errs, "killed: page lost: its pager has exited at 0x40000000"), "both clients are killed: %s", errs)
	assert.Equal(t, 2, strings.Count(errs, "(exit status 135)"), errs)
}

func TestKitPagerHiddenRequestsAreTakenInOrder(t *testing.T) {
	// Client k prints k+1 and reads page k+1; the pager sleeps until all
	// three wait, prints a newline, then the index of each page-in it
	// takes: the same digits, in the same order.
	client := `
        mov     r11, r1
        add     #'1', r1
        call    putc
        mov     r11, r2
        inc     r2
        mul3    r2, #4096, r3
        add     r7, r3
        mov     (r3), r1                ; the word k+2`
	start := `
        mov     #SLEEP, r0
        mov     #5, r1
        sys
        mov     #10, r1
        call    putc`
	serve := `
        mov     r5, r1
        add     #'0', r1
        call    putc` + kitPagerSupplyFilled
	src := kitPager{Pages: 4, Clients: 3, Start: start, Serve: serve, Client: client}.source()
	out, errs, status, _ := kitPagerRun(t, src, testConfig())
	require.Equal(t, 2+3+4, status, errs)
	asked, taken, ok := strings.Cut(out, "\n")
	require.True(t, ok, out)
	assert.ElementsMatch(t, []byte("123"), []byte(asked))
	assert.Equal(t, asked, taken, "the pager takes the page-ins in the order the clients faulted")
}

func TestKitPagerHiddenPagesInMemoryOutliveThePager(t *testing.T) {
	// The pager supplies page 0, then exits. The client reads page 0,
	// prints it, reads it again, then faults on page 1: killed.
	serve := `
        mov     r5, r6
        inc     r6
        call    fillbuf
        mov     #SUPPLY, r0
        mov     r10, r1
        mov     r5, r2
        mov     #buf, r3
        sys
        mov     r0, r1                  ; exit(the result)
        mov     #EXIT, r0
        sys`
	client := `
        mov     (r7), r1
        add     #'0', r1
        call    putc
        mov     (r7), r1
        add     4096(r7), r1            ; no pager any more`
	src := kitPager{Pages: 4, Clients: 1, Serve: serve, Client: client}.source()
	out, errs, status, _ := kitPagerRun(t, src, testConfig())
	assert.Equal(t, 0, status, errs)
	assert.Equal(t, "1", out, "page 0, supplied, stays usable after the pager exited")
	assert.Regexp(t, `toyvm: process 2 \(test.s\) killed: page lost: its pager has exited at 0x40001000, pc 0x[0-9a-f]{8} \(exit status 135\)\n`, errs,
		"a later fault on a page not in memory kills the client")
}
