; exit.s - a program that ends with exit status 42.
;
; Shows: exit(code) ends the process; "toyvm run" exits with the same
; status, so a shell sees it in $?. Only the low 8 bits count:
; exit(298) would also give 42 (298 & 255 = 42).

        .include "lib/sys.inc"          ; SYS_EXIT, SYS_WRITE, STDOUT, ...

start:  mov     #SYS_WRITE, r0
        mov     #STDOUT, r1
        mov     #msg, r2
        mov     #23, r3                 ; length of msg: 22 characters + newline
        sys
        mov     #SYS_EXIT, r0
        mov     #42, r1                 ; the exit status
        sys

        .data
msg:    .ascii  "exiting with status 42\n"
