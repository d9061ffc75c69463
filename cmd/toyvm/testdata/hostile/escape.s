; open("../escape.s", 0): a path that climbs out of the root; exits with -result
start:  mov     #4, r0
        mov     #path, r1
        clr     r2
        sys
        neg     r0
        mov     r0, r1
        mov     #1, r0
        sys
        .data
path:   .asciz  "../escape.s"
