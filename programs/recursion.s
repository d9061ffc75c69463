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

        .include "lib/sys.inc"
        .equ    DEPTH, 10000

start:  clr     r9                      ; r9 = frames whose locals changed
        push    #DEPTH
        call    chain
        add     #4, sp
        mov     r0, r6                  ; keep the result across the prints

        mov     #l_depth, r1            ; "depth: 10000"
        call    putstr
        mov     #DEPTH, r1
        call    putint
        call    putnl
        mov     #l_bad, r1              ; "frames damaged: 0"
        call    putstr
        mov     r9, r1
        call    putint
        call    putnl
        mov     #l_sum, r1              ; "chain: ..."
        call    putstr
        mov     r6, r1
        call    putint
        call    putnl
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

        .include "lib/io.s"             ; the library's code follows ours

        .data
l_depth:
        .asciz  "depth: "
l_bad:  .asciz  "frames damaged: "
l_sum:  .asciz  "chain: "
