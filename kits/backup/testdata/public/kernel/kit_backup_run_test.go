package kernel

// The backup kit's end-to-end tests: programs run under --backup decode
// (and log, which shares undo) in memory small enough that their pages
// come and go all the time, so that faults land in the middle of
// instructions of every kind. Whatever the level, a program must do
// exactly what it does under precise, where the CPU backs up by itself:
// the same output, the same exit status, the same counters (faults,
// evictions, instructions, cycles). The kernel's invariants are checked
// after every kernel entry (--check) and nothing may be left behind
// (the leak check).

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"toyvm/asm"
	"toyvm/cpu"
	"toyvm/image"
)

// kitBkOutcome is what a run did.
type kitBkOutcome struct {
	Output string
	Status int
	Stats  Stats
	Stderr string // what the kernel said (a kill, say)
}

// kitBkRunImage runs img in mem bytes at the level, checked and with
// allocations tracked, failing the test on a broken invariant or a leak.
func kitBkRunImage(t *testing.T, img *image.Image, name string, mem uint64, level cpu.Level) kitBkOutcome {
	t.Helper()
	cfg := testConfig()
	cfg.MemBytes, cfg.Backup, cfg.Check, cfg.TrackAllocations = mem, level, true, true
	cfg.PoolLow, cfg.PoolHigh = DefaultPool(int(mem / 4096))
	cfg.Root = filepath.Join("..", "programs")
	k, out, errs := newKernel(t, cfg)
	defer k.Close()
	status, err := k.Run(img, []string{name})
	require.NoError(t, err)
	require.NoError(t, k.checkErr, "%s under --backup %v: %s", name, level, errs)
	require.NoError(t, k.Leaks(), "%s under --backup %v", name, level)
	return kitBkOutcome{Output: out.String(), Status: status, Stats: k.Stats(), Stderr: strings.TrimSpace(errs.String())}
}

// kitBkSameAsPrecise runs img at precise, then at log and decode, and
// requires the same outcome of each.
func kitBkSameAsPrecise(t *testing.T, img *image.Image, name string, mem uint64) kitBkOutcome {
	t.Helper()
	want := kitBkRunImage(t, img, name, mem, cpu.Precise)
	for _, level := range []cpu.Level{cpu.Log, cpu.Decode} {
		got := kitBkRunImage(t, img, name, mem, level)
		if got.Status != want.Status {
			require.Failf(t, "a different exit status:", "%s exits with %d under --backup %v, with %d under precise: %s",
				name, got.Status, level, want.Status, got.Stderr)
		}
		kitBkSameOutput(t, want.Output, got.Output, fmt.Sprintf("%s: the output under --backup %v", name, level))
		assert.Equal(t, want.Stats, got.Stats, "%s: the counters under --backup %v", name, level)
	}
	return want
}

// kitBkSameOutput requires got to be want, and shows where it is not.
func kitBkSameOutput(t *testing.T, want, got, what string) {
	t.Helper()
	if want == got {
		return
	}
	i := 0
	for i < len(want) && i < len(got) && want[i] == got[i] {
		i++
	}
	cut := func(s string) string { return s[i:min(len(s), i+16)] }
	t.Fatalf("%s differs from that under --backup precise from byte %d of %d: % x where precise wrote % x",
		what, i, len(want), cut(got), cut(want))
}

func TestKitBackupProgramsRunAsUnderPrecise(t *testing.T) {
	for _, c := range []struct {
		name   string
		status int
	}{
		{"modes.s", 0}, {"sort.s", 0}, {"linear.s", 0}, {"recursion.s", 0},
		{"cow.s", 0}, {"fork.s", 0}, {"fourteen.s", 137},
	} {
		t.Run(c.name, func(t *testing.T) {
			img, err := asm.LoadFile(filepath.Join("..", "programs", c.name))
			require.NoError(t, err)
			got := kitBkSameAsPrecise(t, img, c.name, 64<<10)
			assert.Equal(t, c.status, got.Status)
			assert.Positive(t, got.Stats.PageFaults)
		})
	}
}

// kitBkWorkout steps registers every way an instruction can, over
// arrays of six pages each and a stack of about fourteen, in 64K of
// memory: the faults fall on every operand of (rN)+, -(rN) and @(rN)+,
// byte and word, on PUSH's and CALL's writes, on POP's and RET's reads,
// and on operands of three-operand instructions. It writes five words.
const kitBkWorkout = `
        .equ    EXIT, 1
        .equ    WRITE, 2
        .equ    WORDS, 5120             ; 20 KiB: an array spans 6 pages
        .equ    BYTES, 20480
        .equ    DEPTH, 800

start:  mov     #a, r1                  ; a[i] = i, up with (r1)+
        clr     r3
fill:   mov     r3, (r1)+
        inc     r3
        cmp     r3, #WORDS
        bne     fill
        mov     #b, r2                  ; b[i] = a[WORDS-1-i]: -(r1) and (r2)+
        mov     #WORDS, r3
rev:    mov     -(r1), (r2)+
        dec     r3
        bne     rev
        mov     #WORDS, r3              ; b[WORDS-1-i] += a[i]: (r1)+ and -(r2)
mix:    add     (r1)+, -(r2)
        dec     r3
        bne     mix
        mov     #a, r1                  ; c = a, a byte at a time
        mov     #c, r2
        mov     #BYTES, r3
bytes:  movb    (r1)+, (r2)+
        dec     r3
        bne     bytes
        clr     r5                      ; r5 = equal bytes of a and c, from the end
        mov     #BYTES, r3
back:   cmpb    -(r1), -(r2)
        bne     differ
        inc     r5
differ: dec     r3
        bne     back
        mov     r5, res
        mov     #ptrs, r4               ; the sum of the words the pointers point at: @(r4)+
        clr     r6
        mov     #64, r3
point:  add     @(r4)+, r6
        dec     r3
        bne     point
        mov     r6, res+4
        mov     #ptrs, r4               ; three operands
        mov     #a, r1
        mov     #c+BYTES, r2
        mov     #64, r3
three:  sub3    @(r4)+, (r1)+, -(r2)
        add3    8(r1), (r1)+, (r2)+
        sub     #4, r2
        dec     r3
        bne     three
        mov     #DEPTH, r1              ; the stack
        mov     #a, r7
        mov     #d+3300, r8
        call    deep
        mov     r0, res+8
        mov     #b, r1                  ; checksums of b and c
        mov     #WORDS, r3
        clr     r0
sumb:   add     (r1)+, r0
        mul     #3, r0
        dec     r3
        bne     sumb
        mov     r0, res+12
        mov     #c, r1
        mov     #WORDS, r3
        clr     r0
sumc:   xor     (r1)+, r0
        add     #7, r0
        dec     r3
        bne     sumc
        mov     r0, res+16
        mov     #WRITE, r0
        mov     #1, r1
        mov     #res, r2
        mov     #20, r3
        sys
        mov     #EXIT, r0
        clr     r1
        sys

; deep(n in r1): frames of 68 bytes that push words of a with (r7)+,
; call through a pointer with @(r9)+, and pop them back with (sp)+ and
; into d from its end with -(r8)
deep:   tst     r1
        bne     more
        clr     r0
        ret
more:   push    (r7)+
        push    (r7)+
        push    (r7)+
        sub     #52, sp
        mov     r1, 48(sp)
        mov     #calls, r9
        dec     r1
        call    @(r9)+
        mov     48(sp), r1
        cmp     -(sp), -(sp)
        add     #60, sp
        pop     -(r8)
        add     (sp)+, r0
        pop     r2
        add     r2, r0
        mul     #5, r0
        add     r1, r0
        ret

        .data
calls:  .word   deep
ptrs:   .word   a, b+4092, a+8190, c+4094, b+12286, a+20470, c+1, b+8194
        .word   a+4, b+4096, a+8194, c+4098, b+12282, a+16, c+5, b+8198
        .word   a+8, b+4100, a+8198, c+4102, b+12278, a+20, c+9, b+8202
        .word   a+12, b+4104, a+8202, c+4106, b+12274, a+24, c+13, b+8206
        .word   a, b+4092, a+8190, c+4094, b+12286, a+20470, c+1, b+8194
        .word   a+4, b+4096, a+8194, c+4098, b+12282, a+16, c+5, b+8198
        .word   a+8, b+4100, a+8198, c+4102, b+12278, a+20, c+9, b+8202
        .word   a+12, b+4104, a+8202, c+4106, b+12274, a+24, c+13, b+8206
res:    .space  20
        .space  4094
a:      .space  BYTES
        .space  2
b:      .space  BYTES
        .space  2
c:      .space  BYTES
        .space  4
d:      .space  3300
`

func TestKitBackupAProgramThatFaultsInTheMiddleOfEveryKindOfInstruction(t *testing.T) {
	got := kitBkSameAsPrecise(t, assemble(t, kitBkWorkout), "workout.s", 64<<10)
	assert.Equal(t, 0, got.Status)
	require.Len(t, got.Output, 20, "five words")
	assert.Equal(t, "20480", fmt.Sprint(uint32(got.Output[0])|uint32(got.Output[1])<<8), "a and c are equal")
	assert.Greater(t, got.Stats.Evictions, uint64(50), "the pages come and go")
}
