; a spawn tree: each process spawns two copies of itself and waits for
; them; a spawn that fails ends its process with the error's number, and
; each parent exits with the OR of its children's statuses
start:  mov     #6, r0
        mov     #self, r1
        clr     r2
        sys
        tst     r0
        blt     failed
        mov     #6, r0
        mov     #self, r1
        clr     r2
        sys
        tst     r0
        blt     half
        mov     #7, r0          ; wait(-1) twice, OR-ing the statuses
        mov     #-1, r1
        sys
        mov     r1, r6
        mov     #7, r0
        mov     #-1, r1
        sys
        or      r6, r1
        mov     #1, r0
        sys
half:   mov     r0, r6          ; one child: wait for it, then fail
        mov     #7, r0
        mov     #-1, r1
        sys
        neg     r6
        or      r6, r1
        mov     #1, r0
        sys
failed: neg     r0
        mov     r0, r1
        mov     #1, r0
        sys
        .data
self:   .asciz  "bomb.s"
