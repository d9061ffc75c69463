; twins.s - two processes running the same code at the same addresses,
; with the same sp, for the test that next and finish stop in their own
; process. Process 1 spawns a copy of itself; each calls f, which loops
; 20000 * (3 - pid) times, so process 2 returns from f first.

start:  mov     #10, r0                 ; getpid
        sys
        mov     r0, r10
        cmp     r10, #1
        bne     c0
        mov     #6, r0                  ; spawn("twins.s", 0)
        mov     #path, r1
        clr     r2
        sys
c0:     clr     r5
c1:     call    f
back:   nop
        cmp     r10, #1
        bne     child
        mov     #7, r0                  ; wait(-1)
        mov     #-1, r1
        sys
child:  mov     #1, r0                  ; exit(pid)
        mov     r10, r1
        sys
f:      mov     #3, r4
        sub     r10, r4
        mul     #20000, r4
lp:     inc     r5
        dec     r4
        bne     lp
        ret
        .data
path:   .asciz  "twins.s"
