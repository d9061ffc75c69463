start:  mov r3 r4
        mov (r1+), r2
        .ascii 'x'
        .word 1 2
        mov r1, #5
