; shuffle.s - shuffle a large array pseudo-randomly, then check it.
;
; Shows: a program that touches its pages in no order at all, the worst
; case for any replacement policy. The array holds 16384 words (64 KiB,
; 16 pages) a[i] = i; a Fisher-Yates shuffle then swaps each a[i], from
; the last down to a[1], with an a[j] picked at random among a[0..i].
; Each swap touches two pages, one of them anywhere in the array, so
; under `toyvm run --mem 64K programs/shuffle.s` most swaps fault, and
; the policies differ only in which page they guess will not be needed.
;
; The "random" numbers come from a linear congruential generator,
;   x = x * 1103515245 + 12345   (modulo 2^32, as MUL and ADD wrap)
; whose high bits, x >> 16, pick j = (x >> 16) mod (i + 1). It is fully
; determined by its seed, so every run shuffles the same way and the
; output is fixed:
;   - the first four words after the shuffle,
;   - the sum of all words, which a shuffle cannot change (a permutation
;     of 0..16383 sums to 134209536),
;   - a checksum, the sum of a[i] * (i + 1), which depends on the order.

        .include "lib/sys.inc"
        .equ    WORDS, 16384
        .equ    BYTES, 65536            ; WORDS * 4
        .equ    SEED, 2024
        .equ    LCG_MUL, 1103515245
        .equ    LCG_ADD, 12345

start:  mov     #array, r6              ; a[i] = i
        clr     r7
init:   mov     r7, (r6)+
        inc     r7
        cmp     r7, #WORDS
        bne     init

        mov     #WORDS-1, r6            ; r6 = i, from the last word down
        mov     #SEED, r7               ; r7 = x, the generator's state
shuf:   mul     #LCG_MUL, r7            ; x = x * LCG_MUL + LCG_ADD
        add     #LCG_ADD, r7
        mov     r7, r0
        shr     #16, r0                 ; the high bits are the random ones
        add3    r6, #1, r1
        mod     r1, r0                  ; r0 = j, 0..i
        shl     #2, r0                  ; byte offsets: j * 4 and i * 4
        mov     r6, r1
        shl     #2, r1
        mov     array(r0), r2           ; swap a[i] and a[j]: array(rN) is
        mov     array(r1), array(r0)    ; the word at array + rN
        mov     r2, array(r1)
        dec     r6
        bne     shuf                    ; down to i = 1

        mov     #l_first, r1            ; "first: a[0] a[1] a[2] a[3]"
        call    putstr
        mov     #array, r6
        mov     #3, r7
first:  mov     (r6)+, r1
        call    putint
        mov     #' ', r1
        call    putchar
        dec     r7
        bne     first
        mov     (r6)+, r1
        call    putint
        call    putnl

        mov     #array, r6              ; r9 = sum of a[i] * (i + 1),
        clr     r7                      ; r10 = sum of a[i]
        clr     r9
        clr     r10
sum:    mov     (r6)+, r0
        add     r0, r10
        inc     r7                      ; r7 = i + 1
        mul     r7, r0
        add     r0, r9
        cmp     r7, #WORDS
        bne     sum

        mov     #l_sum, r1
        call    putstr
        mov     r10, r1
        call    putint
        call    putnl
        mov     #l_check, r1
        call    putstr
        mov     r9, r1
        call    putint
        call    putnl
        mov     #SYS_EXIT, r0
        clr     r1
        sys

        .include "lib/io.s"             ; the library's code follows ours

        .data
l_first:
        .asciz  "first: "
l_sum:  .asciz  "sum: "
l_check:
        .asciz  "checksum: "
        .align  4096                    ; the array starts on a page of its own
array:  .space  BYTES
