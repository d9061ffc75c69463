package kernel

// The hidden tests of the syscall kit.

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestKitSyscallHiddenMincoreMatchesTheTouchedPages(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	for trial := 0; trial < 20; trial++ {
		var touches strings.Builder
		want := 0
		for i := 0; i < 4; i++ {
			want <<= 1
			if r.IntN(2) == 1 {
				fmt.Fprintf(&touches, "        mov     #1, %d(r7)\n", i*4096)
				want |= 1
			}
		}
		src := kitMapFour(touches.String() + `
        mov     #MINCORE, r0
        mov     r7, r1
        mov     #16384, r2
        mov     #vec, r3
        sys
        clr     r1
        mov     #vec, r2
        mov     #4, r3
bits:   add     r1, r1
        movb    (r2)+, r4
        add     r4, r1
        dec     r3
        bne     bits`)
		assert.Equal(t, want, kitRun(t, src, testConfig()), "trial %d", trial)
	}
}

func TestKitSyscallHiddenAVectorCrossingIntoNothingWritesNothing(t *testing.T) {
	src := kitMapFour(`
        movb    #7, 16383(r7)           ; the last byte of the mapping
        mov     #MINCORE, r0            ; 2 bytes at the mapping's end:
        mov     r7, r1                  ; the second falls past it
        mov     #8192, r2
        mov     r7, r3
        add     #16383, r3
        sys
        movb    16383(r7), r1           ; still 7
        add     r0, r1                  ; + EFAULT (-14)`)
	assert.Equal(t, int(7+EFAULT)&0xff, kitRun(t, src, testConfig()))
}

func TestKitSyscallHiddenPagesPushedOutAreNotPresent(t *testing.T) {
	src := kitMincoreNames + `
start:  mov     #MMAP, r0               ; 32 pages in 64K of memory
        clr     r1
        mov     #131072, r2
        mov     #3, r3
        mov     #6, r4
        sys
        mov     r0, r7
        mov     r7, r2
        mov     #32, r3
touch:  mov     #1, (r2)                ; touch them all: the first ones
        add     #4096, r2               ; are pushed out by the last
        dec     r3
        bne     touch
        mov     #MINCORE, r0
        mov     r7, r1
        mov     #131072, r2
        mov     #vec, r3
        sys
        movb    vec, r1                 ; page 0: pushed out, 0
        movb    vec+31, r2              ; page 31: just touched, 1
        add     r2, r2
        add     r2, r1
        mov     #EXIT, r0
        sys
        .data
vec:    .space  32
`
	cfg := testConfig()
	cfg.MemBytes = 64 << 10
	cfg.PoolLow, cfg.PoolHigh = DefaultPool(16)
	assert.Equal(t, 2, kitRun(t, src, cfg))
}
