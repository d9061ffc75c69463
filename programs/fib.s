; fib.s - the first 20 Fibonacci numbers, one per line.
;
; Shows: a counted loop kept in registers, three-operand ADD3, a table
; filled through an auto-increment pointer, and subroutines of the user
; library (lib/io.s: putint writes a number, putnl a newline) reached
; with CALL and left with RET. The sequence starts F(0) = 0, F(1) = 1,
; so it prints 0 1 1 2 3 5 ... 4181, and leaves them all in fibs.

        .include "lib/sys.inc"
        .equ    COUNT, 20

start:  clr     r6                      ; r6 = F(n), starting at F(0) = 0
        mov     #1, r7                  ; r7 = F(n+1)
        mov     #COUNT, r8              ; r8 = how many are left to print
        mov     #fibs, r10              ; r10 = where F(n) goes in the table
loop:   mov     r6, r1                  ; putint(F(n)), then a newline
        call    putint                  ; the library keeps r1-r15
        call    putnl
        mov     r6, (r10)+              ; fibs[n] = F(n); r10 steps by 4
        add3    r6, r7, r9              ; r9 = F(n+2) = F(n) + F(n+1)
        mov     r7, r6                  ; slide the window by one
        mov     r9, r7
        dec     r8                      ; DEC sets Z when the count hits 0
        bne     loop

        clr     r1                      ; exit(0)
        call    exit

        .include "lib/io.s"             ; the library's code follows ours

        .data
fibs:   .space  80                      ; COUNT words: F(0) to F(19)
