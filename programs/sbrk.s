; sbrk.s - grow the heap with sbrk, use it, shrink it, grow it again.
;
; Shows: the heap is a region whose end the program moves. sbrk(delta)
; moves the end (the "break") by delta bytes and returns the old break,
; so sbrk(0) just asks where it is. Growing maps nothing: like every
; other page, a heap page comes in, zero-filled, on its first touch.
; Shrinking frees the pages beyond the new break (their frames and swap
; slots), so growing again gives fresh zero pages, not the old contents.
; Under --mem 64K the 8 heap pages do not all fit next to the program's
; own, and some go to swap and back before the check reads them.
;
; Each line printed is a fact that holds on every run:
;   break moved by 32768           sbrk(0) after sbrk(32768), minus before
;   wrong words: 0                 the words written read back the same
;   sum: ...                       their sum, a checksum
;   break moved back by -32768     after sbrk(-32768)
;   nonzero words after regrowing: 0
;   sbrk below the heap's start: -22   (EINVAL; nothing changes)
; sbrkbad.s shows a touch beyond the break.

        .include "lib/sys.inc"
        .equ    GROW, 32768             ; 8 pages
        .equ    WORDS, 8192             ; GROW / 4
        .equ    MULT, 0x9E3779B1

start:  mov     #SYS_SBRK, r0           ; r6 = sbrk(0): the break, the start
        clr     r1                      ; of the heap at first
        sys
        mov     r0, r6
        mov     #SYS_SBRK, r0           ; sbrk(GROW) returns the old break,
        mov     #GROW, r1               ; r6 again
        sys
        mov     #SYS_SBRK, r0           ; sbrk(0): the new break
        clr     r1
        sys
        sub     r6, r0                  ; how far it moved
        mov     #l_moved, r1
        call    report                  ; "break moved by 32768"

        mov     r6, r7                  ; fill: word i = i * MULT
        clr     r8
        mov     #WORDS, r9
fill:   mov     r8, (r7)+
        add     #MULT, r8
        dec     r9
        bne     fill

        mov     r6, r7                  ; verify and sum
        clr     r8
        clr     r10                     ; r10 = words that differ
        clr     r11                     ; r11 = the sum
        mov     #WORDS, r9
verify: mov     (r7)+, r0
        add     r0, r11
        cmp     r0, r8
        beq     v_same
        inc     r10
v_same: add     #MULT, r8
        dec     r9
        bne     verify
        mov     r10, r0
        mov     #l_bad, r1
        call    report                  ; "wrong words: 0"
        mov     r11, r0
        mov     #l_sum, r1
        call    report                  ; "sum: ..."

        mov     #SYS_SBRK, r0           ; shrink: the 8 pages are freed
        mov     #-GROW, r1
        sys
        mov     #SYS_SBRK, r0
        clr     r1
        sys
        sub     r6, r0                  ; 0: back where it started
        sub     #GROW, r0               ; ... so this is -GROW
        mov     #l_back, r1
        call    report                  ; "break moved back by -32768"

        mov     #SYS_SBRK, r0           ; grow again and count the words
        mov     #GROW, r1               ; that are not zero
        sys
        mov     r6, r7
        clr     r10
        mov     #WORDS, r9
zero:   tst     (r7)+
        beq     z_next
        inc     r10
z_next: dec     r9
        bne     zero
        mov     r10, r0
        mov     #l_zero, r1
        call    report                  ; "nonzero words after regrowing: 0"

        mov     #SYS_SBRK, r0           ; a break below the heap's start
        mov     #-0x10000000, r1
        sys
        mov     #l_below, r1
        call    report                  ; "sbrk below the heap's start: -22"

        mov     #SYS_EXIT, r0
        clr     r1
        sys

; ---------------------------------------------------------------------
; report: print the label at r1, then the number in r0 in decimal and a
; newline, with the routines of lib/io.s.
; Changes r0, r1, r5 and the flags.
; ---------------------------------------------------------------------
report: mov     r0, r5                  ; putstr changes r0: keep the number
        call    putstr
        mov     r5, r1
        call    putint
        call    putnl
        ret

        .include "lib/io.s"             ; the library's code follows ours

        .data
l_moved:
        .asciz  "break moved by "
l_bad:  .asciz  "wrong words: "
l_sum:  .asciz  "sum: "
l_back: .asciz  "break moved back by "
l_zero: .asciz  "nonzero words after regrowing: "
l_below:
        .asciz  "sbrk below the heap's start: "
