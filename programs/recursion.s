; recursion.s - a recursion 10000 calls deep, whose stack grows to 430 KiB.
;
; Shows: the stack growing on demand. The stack starts as one page below
; 0x80000000; each call of chain below pushes a frame of 44 bytes (its
; argument, the return address, the saved fp and 32 bytes of locals), and
; every time sp crosses into a page below the stack, the fault that
; follows is legal: the address lies within 1 MiB of the top, so the
; kernel extends the stack region and zero-fills the page. 10000 frames
; take 110 pages, more than all of memory under
;   toyvm run --mem 64K --stats programs/recursion.s
; so the deepest frames push the oldest ones out to swap, and the
; returns bring them back: each frame checks that its locals survived.
; (stackoverflow.s shows what happens past 1 MiB.)
;
; chain(n) = 0 for n = 0, else chain(n - 1) * 31 + n, modulo 2^32.

        .equ    SYS_EXIT, 1
        .equ    SYS_WRITE, 2
        .equ    STDOUT, 1
        .equ    DEPTH, 10000

start:  clr     r9                      ; r9 = frames whose locals changed
        push    #DEPTH
        call    chain
        add     #4, sp
        mov     r0, r6                  ; keep the result across the prints

        mov     #l_depth, r1            ; "depth: 10000"
        call    puts
        mov     #DEPTH, r1
        mov     #'\n', r2
        call    putnum
        mov     #l_bad, r1              ; "frames damaged: 0"
        call    puts
        mov     r9, r1
        mov     #'\n', r2
        call    putnum
        mov     #l_sum, r1              ; "chain: ..."
        call    puts
        mov     r6, r1
        mov     #'\n', r2
        call    putnum
        mov     #SYS_EXIT, r0
        clr     r1
        sys

; ---------------------------------------------------------------------
; chain(n): r0 = chain(n - 1) * 31 + n, with chain(0) = 0. Each frame
; keeps n and n * 7 at the two ends of 32 bytes of locals, and after the
; call below it returns checks them: a stack page that came back from
; swap wrong would show here (r9 counts such frames).
;   8(fp) n    4(fp) return address    0(fp) the caller's fp
;  -4(fp) n   -32(fp) n * 7
; ---------------------------------------------------------------------
chain:  push    fp
        mov     sp, fp
        sub     #32, sp                 ; room for the locals
        mov     8(fp), r1               ; r1 = n
        beq     ch_zero
        mov     r1, -4(fp)
        mul3    r1, #7, -32(fp)
        sub3    r1, #1, -(sp)           ; chain(n - 1)
        call    chain
        add     #4, sp
        mov     8(fp), r1
        cmp     -4(fp), r1              ; are the locals intact?
        bne     ch_bad
        mul3    r1, #7, r2
        cmp     -32(fp), r2
        beq     ch_ok
ch_bad: inc     r9
ch_ok:  mul     #31, r0                 ; r0 = chain(n - 1) * 31 + n
        add     r1, r0
        br      ch_ret
ch_zero:
        clr     r0
ch_ret: mov     fp, sp
        pop     fp
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
l_depth:
        .asciz  "depth: "
l_bad:  .asciz  "frames damaged: "
l_sum:  .asciz  "chain: "
numbuf: .space  12                      ; sign, 10 digits, separator
numend:
