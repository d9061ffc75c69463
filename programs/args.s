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

        .equ    SYS_EXIT, 1
        .equ    SYS_WRITE, 2
        .equ    STDOUT, 1

start:  mov     r1, r6                  ; r6 = argc (puts changes r1, r2)
        mov     r2, r7                  ; r7 walks argv
        mov     #l_argc, r1             ; "argc = N"
        call    puts
        mov     r6, r1
        mov     #'\n', r2
        call    putnum

        clr     r8                      ; r8 = i
a_loop: cmp     r8, r6                  ; for i = 0 .. argc - 1
        bge     a_done
        mov     #l_argv, r1             ; "argv[i] = string"
        call    puts
        mov     r8, r1
        mov     #']', r2
        call    putnum
        mov     #l_eq, r1
        call    puts
        mov     (r7)+, r1               ; argv[i], and r7 steps to argv[i+1]
        call    puts
        mov     #nl, r1
        call    puts
        inc     r8
        br      a_loop

a_done: mov     #SYS_EXIT, r0
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
l_argc: .asciz  "argc = "
l_argv: .asciz  "argv["
l_eq:   .asciz  " = "
nl:     .asciz  "\n"
numbuf: .space  12                      ; sign, 10 digits, separator
numend:
