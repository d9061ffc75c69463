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

        .equ    SYS_EXIT, 1
        .equ    SYS_WRITE, 2
        .equ    STDOUT, 1
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
        call    puts
        mov     #SYS_WRITE, r0
        mov     #STDOUT, r1
        mov     #dst, r2
        mov     #MSGLEN, r3
        sys

        mov     #l_left, r1             ; the registers after the copy
        call    puts
        mov     r6, r1
        mov     #'\n', r2
        call    putnum
        mov     #l_src, r1
        call    puts
        mov     r7, r1
        mov     #'\n', r2
        call    putnum
        mov     #l_dst, r1
        call    puts
        mov     r8, r1
        mov     #'\n', r2
        call    putnum
        mov     #l_zero, r1
        call    puts
        mov     r9, r1
        mov     #'\n', r2
        call    putnum

        mov     #SYS_EXIT, r0
        clr     r1
        sys

; ---------------------------------------------------------------------
; puts: write the NUL-terminated string at r1 on standard output.
; Changes r0-r3 and the flags.
; ---------------------------------------------------------------------
puts:   mov     r1, r2                  ; r2 = the start: write's buffer
        mov     r1, r3
ps_len: cmpb    (r3)+, #0               ; CMPB steps r3 by ONE byte
        bne     ps_len                  ; stop after the NUL
        dec     r3                      ; r3 = address of the NUL
        sub     r2, r3                  ; r3 = length (NUL excluded)
        mov     #STDOUT, r1
        mov     #SYS_WRITE, r0
        sys
        ret

; ---------------------------------------------------------------------
; putnum: write the signed number in r1 in decimal, followed by the
; character in r2 (a space or a newline), on standard output.
; Changes r0-r4 and the flags; every other register is kept.
;
; r1 % 10 is the LAST digit, so the digits come out last-first: they are
; stored backwards into numbuf, from its end down, with -(r3) stepping r3
; back one byte each time (MOVB steps by 1, not 4).
; (The most negative number, -2147483648, has no positive twin and is
; printed wrong; none of our programs needs it.)
; ---------------------------------------------------------------------
putnum: mov     #numend, r3             ; r3 = just past the last free byte
        movb    r2, -(r3)               ; the separator goes last
        mov     r1, r4                  ; keep the value: we need its sign later
        bge     pn_digit                ; MOV set N from r1 (and cleared V)
        neg     r1                      ; negative: convert the magnitude
pn_digit:
        mov     r1, r0
        mod     #10, r0                 ; r0 = last digit, 0..9
        add     #'0', r0                ; ... as a character
        movb    r0, -(r3)               ; store it, one byte further down
        div     #10, r1                 ; drop that digit
        bne     pn_digit                ; DIV set Z when nothing is left
        tst     r4
        bge     pn_write
        movb    #'-', -(r3)             ; the sign goes in front
pn_write:
        mov     r3, r2                  ; write(STDOUT, r3, numend - r3)
        mov     #numend, r3
        sub     r2, r3
        mov     #STDOUT, r1
        mov     #SYS_WRITE, r0
        sys
        ret

        .data
l_copy: .asciz  "copy: "
l_left: .asciz  "r1 (bytes left): "
l_src:  .asciz  "r2 moved by: "
l_dst:  .asciz  "r3 moved by: "
l_zero: .asciz  "a copy of 0 bytes moved r2 by: "
numbuf: .space  12                      ; sign, 10 digits, separator
numend:

        .align  4096                    ; a fresh page...
        .space  4080                    ; ...and 16 bytes short of the next
src:    .ascii  "a line that starts 16 bytes before a page boundary\n"
        .align  4096
        .space  4090                    ; 6 bytes short of a page boundary
dst:    .space  MSGLEN                  ; zeros until the copy fills it
