; fib.s - the first 20 Fibonacci numbers, one per line.
;
; Shows: a counted loop kept in registers, three-operand ADD3, and a
; subroutine (putnum) reached with CALL and left with RET. The sequence
; starts F(0) = 0, F(1) = 1, so it prints 0 1 1 2 3 5 ... 4181.

        .equ    SYS_EXIT, 1
        .equ    SYS_WRITE, 2
        .equ    STDOUT, 1
        .equ    COUNT, 20

start:  clr     r6                      ; r6 = F(n), starting at F(0) = 0
        mov     #1, r7                  ; r7 = F(n+1)
        mov     #COUNT, r8              ; r8 = how many are left to print
loop:   mov     r6, r1                  ; putnum(F(n), '\n')
        mov     #'\n', r2
        call    putnum                  ; putnum keeps r5-r15
        add3    r6, r7, r9              ; r9 = F(n+2) = F(n) + F(n+1)
        mov     r7, r6                  ; slide the window by one
        mov     r9, r7
        dec     r8                      ; DEC sets Z when the count hits 0
        bne     loop

        mov     #SYS_EXIT, r0
        clr     r1
        sys

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
numbuf: .space  12                      ; sign, 10 digits, separator
numend:
