; A pager that maps its own object and reads it: it waits for itself,
; and every process waits. The kernel kills it rather than hang.
start:  mov     #40, r0                 ; pager_create(1)
        mov     #1, r1
        sys
        mov     r0, r5
        mov     #12, r0                 ; mmap(0, 4096, read, shared, fd, 0)
        clr     r1
        mov     #4096, r2
        mov     #1, r3
        mov     #1, r4
        clr     r6
        sys
        mov     (r0), r1                ; no one to answer
        mov     #1, r0
        sys
