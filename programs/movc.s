; movc.s - MOVC, the block copy, across page boundaries.
;
; Shows: "movc rL, rS, rD" copies rL bytes from address rS to address rD,
; one byte at a time; after each byte rL goes down by 1 and rS and rD go
; up by 1. Here the source starts 16 bytes before a page boundary and the
; destination 6 bytes before another, so the copy touches four pages.
; If a page is not in memory (or not yet in the TLB), MOVC faults in the
; middle: the registers then say exactly how far it got, the kernel
; brings the page in, and the restarted MOVC carries on from there. Its
; progress is architectural state; it is never undone.
; At the end rL is 0 and rS, rD have moved past the two blocks.

        .include "lib/sys.inc"
        .equ    MSGLEN, 51              ; bytes in src, newline included

start:  mov     #MSGLEN, r1             ; rL: how many bytes
        mov     #src, r2                ; rS: from
        mov     #dst, r3                ; rD: to
        movc    r1, r2, r3              ; copy; r1 = 0 afterwards
        mov     r1, r6                  ; keep the three registers
        mov     r2, r7
        mov     r3, r8
        sub     #src, r7                ; how far rS moved
        sub     #dst, r8                ; how far rD moved

        clr     r1                      ; rL = 0 copies nothing and
        mov     #src, r2                ; leaves rS and rD alone
        mov     #dst, r3
        movc    r1, r2, r3
        mov     r2, r9
        sub     #src, r9                ; 0

        mov     #l_copy, r1             ; "copy: " and the copied line
        call    putstr
        mov     #SYS_WRITE, r0
        mov     #STDOUT, r1
        mov     #dst, r2
        mov     #MSGLEN, r3
        sys

        mov     #l_left, r1             ; the registers after the copy
        call    putstr
        mov     r6, r1
        call    putint
        call    putnl
        mov     #l_src, r1
        call    putstr
        mov     r7, r1
        call    putint
        call    putnl
        mov     #l_dst, r1
        call    putstr
        mov     r8, r1
        call    putint
        call    putnl
        mov     #l_zero, r1
        call    putstr
        mov     r9, r1
        call    putint
        call    putnl

        mov     #SYS_EXIT, r0
        clr     r1
        sys

        .include "lib/io.s"             ; the library's code follows ours

        .data
l_copy: .asciz  "copy: "
l_left: .asciz  "r1 (bytes left): "
l_src:  .asciz  "r2 moved by: "
l_dst:  .asciz  "r3 moved by: "
l_zero: .asciz  "a copy of 0 bytes moved r2 by: "
        .align  4096                    ; a fresh page...
        .space  4080                    ; ...and 16 bytes short of the next
src:    .ascii  "a line that starts 16 bytes before a page boundary\n"
        .align  4096
        .space  4090                    ; 6 bytes short of a page boundary
dst:    .space  MSGLEN                  ; zeros until the copy fills it
