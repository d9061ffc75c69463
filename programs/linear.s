; linear.s - fill an array larger than memory, then verify it.
;
; Shows: demand paging in both directions. The array is 96 KiB (24 pages),
; more than all of memory under `toyvm run --mem 64K programs/linear.s`.
; The fill touches each page for the first time (a zero-fill fault) and
; dirties it; long before the end, memory is full, and the paging daemon
; writes the oldest pages out to swap to make room. The verify pass then
; reads every word again from the start: each page it needs was evicted,
; so it comes back from swap (a major fault), pushing other pages out.
; Whatever the memory size, policy or help level, the result is the same:
;   toyvm run --mem 64K --stats programs/linear.s
; shows the swap-ins and swap-outs that the default 16M never needs.
;
; Word i of the array gets i * 0x9E3779B1 (a multiplier that spreads the
; bits, so a page swapped back in wrong, or a word shifted by one, gives a
; different word). The verify pass counts the words that differ and sums
; all of them; it prints both.

        .include "lib/sys.inc"
        .equ    WORDS, 24576            ; 4-byte words
        .equ    BYTES, 98304            ; WORDS * 4 = 96 KiB
        .equ    MULT, 0x9E3779B1

start:  mov     #array, r6              ; fill: r6 walks the array
        clr     r7                      ; r7 = i * MULT, kept by adding
        mov     #WORDS, r8              ; r8 = words left
fill:   mov     r7, (r6)+               ; a[i] = i * MULT; r6 steps by 4
        add     #MULT, r7
        dec     r8
        bne     fill

        mov     #array, r6              ; verify: read back in order
        clr     r7                      ; the expected value, as above
        clr     r9                      ; r9 = sum of the words read
        clr     r10                     ; r10 = words that differ
        mov     #WORDS, r8
check:  mov     (r6)+, r0
        add     r0, r9
        cmp     r0, r7
        beq     same
        inc     r10                     ; a page came back wrong
same:   add     #MULT, r7
        dec     r8
        bne     check

        mov     #l_bad, r1              ; "wrong words: 0"
        call    putstr
        mov     r10, r1
        call    putint
        call    putnl
        mov     #l_sum, r1              ; "sum: ..."
        call    putstr
        mov     r9, r1
        call    putint
        call    putnl
        mov     #SYS_EXIT, r0
        clr     r1
        sys

        .include "lib/io.s"             ; the library's code follows ours

        .data
l_bad:  .asciz  "wrong words: "
l_sum:  .asciz  "sum: "
        .align  4096                    ; the array starts on a page of its own
array:  .space  BYTES
