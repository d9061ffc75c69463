; sleeps 2^31-1 ticks, again and again
start:  mov     #18, r0
        mov     #0x7fffffff, r1
        sys
        br      start
