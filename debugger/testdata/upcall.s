; A library OS whose handler zero-fills each page of a self-paged range:
; the debugger stops at a breakpoint in the handler, which the kernel
; starts by an upcall, not by a jump.
start:  mov     #32, r0                 ; upcall_entry(handler, stack)
        mov     #handler, r1
        mov     #hstack, r2
        sys
        mov     #33, r0                 ; selfpage(0, 4 pages, read|write)
        clr     r1
        mov     #16384, r2
        mov     #3, r3
        sys
        mov     r0, r7
        mov     #7, (r7)                ; page 0: write faults, zero-filled
        mov     4096(r7), r1            ; page 1: a read: zero
        add     (r7), r1                ; 7
        mov     #35, 8192(r7)           ; page 2
        add     8192(r7), r1            ; 42
        mov     #1, r0
        sys
handler: mov    r1, r8                  ; the page to fill
        mov     #34, r0                 ; frame_alloc()
        sys
        mov     r0, r2                  ; install(page, cap, read|write)
        mov     r8, r1
        mov     #3, r3
        mov     #35, r0
        sys
        mov     #37, r0                 ; upcall_return()
        sys
        .data
        .space  4096
hstack:
