; args.s - the command-line arguments a program starts with.
;
; Shows: what the kernel hands a new program. At entry r1 = argc, the
; number of arguments, and r2 = argv, the address of an array of argc
; words, each the address of a NUL-terminated string; argv[0] is the
; program's path as given on the command line. sp starts just below them.
;   toyvm run programs/args.s one two
; prints argc = 3, then the three strings.
; Note "mov (r7)+, r1" loads a POINTER and steps to the next one;
; "mov @(r7)+, r1" would instead load the first 4 bytes of the string.
; The strings and numbers are written by the routines of lib/io.s.

        .include "lib/sys.inc"

start:  mov     r1, r6                  ; r6 = argc (r1 carries arguments)
        mov     r2, r7                  ; r7 walks argv
        mov     #l_argc, r1             ; "argc = N"
        call    putstr
        mov     r6, r1
        call    putint
        call    putnl

        clr     r8                      ; r8 = i
a_loop: cmp     r8, r6                  ; for i = 0 .. argc - 1
        bge     a_done
        mov     #l_argv, r1             ; "argv[i] = string"
        call    putstr
        mov     r8, r1
        call    putint
        mov     #l_eq, r1
        call    putstr
        mov     (r7)+, r1               ; argv[i], and r7 steps to argv[i+1]
        call    putstr
        call    putnl
        inc     r8
        br      a_loop

a_done: clr     r1                      ; exit(0)
        call    exit

        .data
l_argc: .asciz  "argc = "
l_argv: .asciz  "argv["
l_eq:   .asciz  "] = "

        .include "lib/io.s"
