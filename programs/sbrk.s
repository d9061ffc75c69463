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

        .equ    SYS_EXIT, 1
        .equ    SYS_WRITE, 2
        .equ    SYS_SBRK, 11
        .equ    STDOUT, 1
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
; newline. Changes r0-r5 and the flags.
; ---------------------------------------------------------------------
report: mov     r0, r5                  ; puts uses r0: keep the number
        call    puts
        mov     r5, r1
        mov     #'\n', r2
        call    putnum
        ret

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
l_moved:
        .asciz  "break moved by "
l_bad:  .asciz  "wrong words: "
l_sum:  .asciz  "sum: "
l_back: .asciz  "break moved back by "
l_zero: .asciz  "nonzero words after regrowing: "
l_below:
        .asciz  "sbrk below the heap's start: "
numbuf: .space  12                      ; sign, 10 digits, separator
numend:
