; write(1, 0x80000000, 10): a buffer in the kernel's half; exits with -result
start:  mov     #2, r0
        mov     #1, r1
        mov     #0x80000000, r2
        mov     #10, r3
        sys
        neg     r0
        mov     r0, r1
        mov     #1, r0
        sys
