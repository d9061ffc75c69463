; A library OS whose handler stack is unmapped memory: the kernel cannot
; save the interrupted state there, and kills the process.
start:  mov     #32, r0                 ; upcall_entry(handler, 0x50000000)
        mov     #handler, r1
        mov     #0x50000000, r2
        sys
        mov     #33, r0                 ; selfpage(0, 4096, read|write)
        clr     r1
        mov     #4096, r2
        mov     #3, r3
        sys
        mov     (r0), r1                ; upcalls: no stack
handler: mov    #1, r0
        sys
