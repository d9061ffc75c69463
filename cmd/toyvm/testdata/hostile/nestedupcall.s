; A library OS whose handler touches its own self-paged range: a fault
; inside the handler would upcall it again, without end. It is killed.
start:  mov     #32, r0                 ; upcall_entry(handler, stack)
        mov     #handler, r1
        mov     #hstack, r2
        sys
        mov     #33, r0                 ; selfpage(0, 8192, read|write)
        clr     r1
        mov     #8192, r2
        mov     #3, r3
        sys
        mov     r0, r7
        mov     (r7), r1                ; upcalls the handler
        mov     #1, r0
        sys
handler: mov    4096(r7), r1            ; which faults in the range itself
        mov     #37, r0
        sys
        .data
        .space  4096
hstack:
