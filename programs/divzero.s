; divzero.s - division by zero: the kernel kills the program.
;
; Shows: DIV with a zero divisor does not produce a value; it traps with
; cause DIVIDE before anything is written. A user program has no way to
; handle that trap, so the kernel kills it with exit status 128 + 8 = 136
; (like SIGFPE on Unix) and prints one line on standard error naming the
; process, the cause and the pc. The line "done" is never printed.

        .include "lib/sys.inc"          ; SYS_EXIT, SYS_WRITE, STDOUT, ...

start:  mov     #SYS_WRITE, r0
        mov     #STDOUT, r1
        mov     #before, r2
        mov     #23, r3                 ; 22 characters + newline
        sys
        mov     #7, r6
        clr     r7
        div     r7, r6                  ; r6 = r6 / r7 = 7 / 0: DIVIDE trap
        mov     #SYS_WRITE, r0          ; never reached
        mov     #STDOUT, r1
        mov     #after, r2
        mov     #5, r3
        sys
        mov     #SYS_EXIT, r0
        clr     r1
        sys

        .data
before: .ascii  "dividing 7 by zero ...\n"
after:  .ascii  "done\n"
