package kernel

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// pagerNames names the system calls of the pager tests.
const pagerNames = `
        .equ    EXIT, 1
        .equ    READ, 3
        .equ    WAIT, 7
        .equ    FORK, 8
        .equ    MMAP, 12
        .equ    CREATE, 40
        .equ    RECV, 41
        .equ    SUPPLY, 42
`

// numberPager makes a 4-page object (its descriptor in r10) and forks:
// the child runs client; the parent serves each page-in of page i with
// the page filled with the word i+1, until no client is left, then exits
// with the child's status. serve is the code that answers a page-in of
// the page in r1 (the default fills and supplies it).
func numberPager(client, serve string) string {
	if serve == "" {
		serve = `
        mov     r1, r5                  ; the page
        mov     r1, r6
        inc     r6                      ; its word: index + 1
        mov     #buf, r7
        mov     #1024, r8
fill:   mov     r6, (r7)+
        dec     r8
        bne     fill
        mov     #SUPPLY, r0             ; pager_supply(fd, index, buf)
        mov     r10, r1
        mov     r5, r2
        mov     #buf, r3
        sys
        br      serve`
	}
	return pagerNames + `
start:  mov     #CREATE, r0             ; pager_create(4)
        mov     #4, r1
        sys
        mov     r0, r10
        mov     #FORK, r0
        sys
        tst     r0
        beq     child
serve:  mov     #RECV, r0               ; pager_recv(fd, buf)
        mov     r10, r1
        mov     #buf, r2
        sys
        tst     r0
        beq     done
        cmp     r0, #1
        bne     serve                   ; a page-out: nothing kept
` + serve + `
done:   mov     #WAIT, r0
        mov     #-1, r1
        sys
        mov     #EXIT, r0               ; the child's status, in r1
        sys
child:  mov     #MMAP, r0               ; mmap(0, 16K, read, shared, fd, 0)
        clr     r1
        mov     #16384, r2
        mov     #1, r3
        mov     #1, r4
        mov     r10, r5
        clr     r6
        sys
        mov     r0, r7
` + client + `
        .data
buf:    .space  4096
`
}

// sumFour sums the first word of each of the 4 pages, and one more of
// page 0: 1+2+3+4+1 = 11, the exit status.
const sumFour = `
        mov     (r7), r1
        add     4096(r7), r1
        add     8192(r7), r1
        add     12288(r7), r1
        add     4(r7), r1
        mov     #EXIT, r0
        sys
`

func TestAPagerServesTheFaultsOnItsObject(t *testing.T) {
	for _, v := range machineVariants() {
		t.Run(v.name, func(t *testing.T) {
			cfg := v.cfg
			cfg.Check = true
			_, errs, status, k := runProgram(t, numberPager(sumFour, ""), cfg)
			require.Equal(t, 11, status, errs)
			s := k.Stats()
			assert.Equal(t, uint64(4), s.PagerRequests)
			assert.Equal(t, uint64(4), s.PagerSupplies)
			assert.NoError(t, k.Leaks())
		})
	}
}

func TestAPagerThatExitsMidRequestKillsItsWaitingClientWith135(t *testing.T) {
	exits := `
        clr     r1                      ; exit without answering
        mov     #EXIT, r0
        sys`
	cfg := testConfig()
	cfg.Check = true
	_, errs, status, k := runProgram(t, numberPager(sumFour, exits), cfg)
	assert.Equal(t, 0, status, "the pager exits with 0")
	assert.Regexp(t, `toyvm: process 2 \(test.s\) killed: page lost: its pager has exited at 0x40000000, pc 0x[0-9a-f]{8} \(exit status 135\)\n`, errs)
	assert.NoError(t, k.Leaks(), "the frame given to the page is freed")
}

func TestAPagerThatStopsAnsweringHasItsClientKilledAfterTheTimeout(t *testing.T) {
	spins := `
        mov     #8000000, r9            ; never answers: spins, then exits
spin:   dec     r9
        bne     spin
        clr     r1
        mov     #EXIT, r0
        sys`
	_, errs, status, k := runProgram(t, numberPager(sumFour, spins), testConfig())
	assert.Equal(t, 0, status)
	assert.Contains(t, errs, "toyvm: process 2 (test.s) killed: page lost: its pager (pid 1) did not answer within 10000000 cycles at 0x40000000")
	assert.NoError(t, k.Leaks())
}

func TestAPagerThatWaitsForItsOwnClientIsKilledNotHung(t *testing.T) {
	waits := `
        mov     #WAIT, r0               ; waits for the child, which waits for it
        mov     #-1, r1
        sys
        mov     #EXIT, r0
        sys`
	_, errs, status, k := runProgram(t, numberPager(sumFour, waits), testConfig())
	assert.Equal(t, 135, status, "the client is killed; the pager gets its status")
	assert.Contains(t, errs, "toyvm: process 2 (test.s) killed: page lost: deadlock: its pager (pid 1) waits too, and nothing will wake it at 0x40000000")
	assert.NoError(t, k.Leaks())
}

func TestAPagerThatFaultsOnItsOwnObjectIsKilledNotHung(t *testing.T) {
	src := pagerNames + `
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
	_, errs, status, k := runProgram(t, src, testConfig())
	assert.Equal(t, 135, status)
	assert.Contains(t, errs, "killed: page lost: deadlock: its pager (pid 1) waits too")
	assert.NoError(t, k.Leaks())
}

func TestPagerCallsRefuseWhatTheyCannotDo(t *testing.T) {
	cases := []struct {
		name, code string
		want       int32
	}{
		{"an object of no pages", `
        mov     #CREATE, r0
        clr     r1
        sys`, EINVAL},
		{"recv on a file that is no pager's", `
        mov     #RECV, r0
        mov     #1, r1
        mov     #buf, r2
        sys`, EBADF},
		{"supply past the object", `
        mov     #SUPPLY, r0
        mov     r10, r1
        mov     #4, r2
        mov     #buf, r3
        sys`, EINVAL},
		{"supply from a bad buffer", `
        mov     #SUPPLY, r0
        mov     r10, r1
        clr     r2
        mov     #0x50000000, r3
        sys`, EFAULT},
		{"a private mapping", `
        mov     #MMAP, r0
        clr     r1
        mov     #4096, r2
        mov     #1, r3
        mov     #2, r4
        mov     r10, r5
        clr     r6
        sys`, EINVAL},
		{"a mapping past the object", `
        mov     #MMAP, r0
        clr     r1
        mov     #4096, r2
        mov     #1, r3
        mov     #1, r4
        mov     r10, r5
        mov     #16384, r6
        sys`, EINVAL},
		{"read from the object's descriptor", `
        mov     #READ, r0
        mov     r10, r1
        mov     #buf, r2
        mov     #4, r3
        sys`, EBADF},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			src := pagerNames + `
start:  mov     #CREATE, r0
        mov     #4, r1
        sys
        mov     r0, r10
` + c.code + `
        mov     r0, r1
        mov     #EXIT, r0
        sys
        .data
buf:    .space  4096
`
			_, errs, status, _ := runProgram(t, src, testConfig())
			assert.Equal(t, int(c.want)&0xff, status, errs)
		})
	}
}

func TestOnlyThePagerReceivesItsRequests(t *testing.T) {
	client := `
        mov     #RECV, r0               ; the child is no pager
        mov     r10, r1
        mov     #buf, r2
        sys
        mov     r0, r1
        mov     #EXIT, r0
        sys`
	_, errs, status, _ := runProgram(t, numberPager(client, ""), testConfig())
	assert.Equal(t, int(EACCES)&0xff, status, errs)
}
