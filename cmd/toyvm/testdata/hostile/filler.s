; opens out.txt for writing and writes 1 KiB to it again and again until
; a call fails; exits with the error's number
start:  mov     #4, r0
        mov     #path, r1
        mov     #1, r2
        sys
        tst     r0
        blt     failed
        mov     r0, r6
again:  mov     #2, r0
        mov     r6, r1
        mov     #buf, r2
        mov     #1024, r3
        sys
        tst     r0
        bgt     again
failed: neg     r0
        mov     r0, r1
        mov     #1, r0
        sys
        .data
path:   .asciz  "out.txt"
buf:    .space  1024
