; A pager that takes its child's page-in request and exits without
; answering: the child, waiting for the page, is killed with 135.
start:  mov     #40, r0                 ; pager_create(1)
        mov     #1, r1
        sys
        mov     r0, r10
        mov     #8, r0                  ; fork
        sys
        tst     r0
        beq     child
        mov     #41, r0                 ; pager_recv(fd, buf): the page-in
        mov     r10, r1
        mov     #buf, r2
        sys
        clr     r1                      ; exit(0) without supplying it
        mov     #1, r0
        sys
child:  mov     #12, r0                 ; mmap(0, 4096, read, shared, fd, 0)
        clr     r1
        mov     #4096, r2
        mov     #1, r3
        mov     #1, r4
        mov     r10, r5
        clr     r6
        sys
        mov     (r0), r1                ; waits for the page, forever
        mov     #1, r0
        sys
        .data
buf:    .space  4096
