start:  mov     #2, r0
        mov     #1, r1
        mov     #msg, r2
        mov     #6, r3
        sys
        mov     #1, r0
        clr     r1
        sys
        .data
msg:    .ascii  "hello\n"
