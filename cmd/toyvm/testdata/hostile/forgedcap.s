; frame_install with a forged capability: a token naming a frame never
; granted (frame 3 holds a page table). The kernel refuses: EINVAL.
start:  mov     #32, r0                 ; upcall_entry(handler, stack)
        mov     #handler, r1
        mov     #hstack, r2
        sys
        mov     #33, r0                 ; selfpage(0, 4096, read|write)
        clr     r1
        mov     #4096, r2
        mov     #3, r3
        sys
        mov     r0, r1                  ; frame_install(range, forged, 3)
        mov     #0x00100003, r2
        mov     #3, r3
        mov     #35, r0
        sys
        mov     r0, r1                  ; the error, -22, made positive:
        neg     r1                      ; negate it first: exit(22)
        mov     #1, r0
        sys
handler: mov    #37, r0
        sys
        .data
        .space  4096
hstack:
