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

        .equ    SYS_EXIT, 1
        .equ    SYS_WRITE, 2
        .equ    STDOUT, 1
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
        call    puts
        mov     r10, r1
        mov     #'\n', r2
        call    putnum
        mov     #l_sum, r1              ; "sum: ..."
        call    puts
        mov     r9, r1
        mov     #'\n', r2
        call    putnum
        mov     #SYS_EXIT, r0
        clr     r1
        sys

; ---------------------------------------------------------------------
; puts: write the NUL-terminated string at r1 on standard output.
; Changes r0-r3 and the flags.
; ---------------------------------------------------------------------
puts:   mov     r1, r2                  ; r2 = the start: write's buffer
        mov     r1, r3
ps_len: cmpb    (r3)+, #0               ; CMPB steps r3 by ONE byte
        bne     ps_len                  ; stop after the NUL
        dec     r3                      ; r3 = address of the NUL
        sub     r2, r3                  ; r3 = length (NUL excluded)
        mov     #STDOUT, r1
        mov     #SYS_WRITE, r0
        sys
        ret

; ---------------------------------------------------------------------
; putnum: write the signed number in r1 in decimal, followed by the
; character in r2, on standard output. Changes r0-r4 and the flags.
; The digits come out last-first (r1 % 10 is the last one), so they are
; stored backwards into numbuf with -(r3). See fib.s for more.
; ---------------------------------------------------------------------
putnum: mov     #numend, r3             ; r3 = just past the last free byte
        movb    r2, -(r3)               ; the separator goes last
        mov     r1, r4                  ; keep the value: we need its sign later
        bge     pn_digit                ; MOV set N from r1
        neg     r1                      ; negative: convert the magnitude
pn_digit:
        mov     r1, r0
        mod     #10, r0                 ; r0 = last digit, 0..9
        add     #'0', r0                ; ... as a character
        movb    r0, -(r3)               ; store it, one byte further down
        div     #10, r1                 ; drop that digit
        bne     pn_digit                ; DIV set Z when nothing is left
        tst     r4
        bge     pn_write
        movb    #'-', -(r3)             ; the sign goes in front
pn_write:
        mov     r3, r2                  ; write(STDOUT, r3, numend - r3)
        mov     #numend, r3
        sub     r2, r3
        mov     #STDOUT, r1
        mov     #SYS_WRITE, r0
        sys
        ret

        .data
l_bad:  .asciz  "wrong words: "
l_sum:  .asciz  "sum: "
numbuf: .space  12                      ; sign, 10 digits, separator
numend:
        .align  4096                    ; the array starts on a page of its own
array:  .space  BYTES
