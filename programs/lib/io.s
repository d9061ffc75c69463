; lib/io.s - the user library: write strings, characters and numbers,
; read a line, exit. Include it, after the system call names:
;
;         .include "lib/sys.inc"
;         ...                             ; the program, from start:
;         .include "lib/io.s"             ; at the end: the program's own
;                                         ; code keeps its addresses
;
; The calling convention: reach a routine with CALL. It takes its
; argument in r1 (a second one in r2), leaves its result in r0, and keeps
; every other register (only r0 and the flags change); it uses the stack.
;
;   putstr   r1 = the address of a NUL-terminated string
;   putbuf   r1 = the address of some bytes, r2 = how many
;   putchar  r1 = a character (its low byte)
;   putnl    a newline
;   putint   r1 = a number, written in decimal as a signed one (-5)
;   putuint  r1 = a number, written in decimal as an unsigned one
;   getline  r1 = a buffer, r2 = its size; r0 = the line's length
;   exit     r1 = the exit status; it does not return
;   die      r1 = a string, r2 = an error: both on standard error; exit(1)
;
; The put routines write to the file descriptor in the word outfd:
; standard output, unless the program stores another there, as die does
; ("mov #STDERR, outfd"). Each leaves in r0 the result of its last
; write: negative if the write failed. getline reads standard input.

        .include "sys.inc"

; ---------------------------------------------------------------------
; putbuf: write(outfd, r1, r2).
; ---------------------------------------------------------------------
putbuf: push    r1
        push    r2
        push    r3
        mov     r2, r3                  ; write(fd, buf, len) takes them
        mov     r1, r2                  ; in r1, r2 and r3
        mov     outfd, r1
        mov     #SYS_WRITE, r0
        sys
        pop     r3
        pop     r2
        pop     r1
        ret

; ---------------------------------------------------------------------
; putstr: putbuf(r1, the length of the string at r1).
; ---------------------------------------------------------------------
putstr: push    r2
        mov     r1, r2
putstr.len:
        cmpb    (r2)+, #0               ; CMPB steps r2 by ONE byte
        bne     putstr.len              ; stop after the NUL
        sub     r1, r2                  ; r2 = the length, NUL included,
        dec     r2                      ; ... and without it
        call    putbuf
        pop     r2
        ret

; ---------------------------------------------------------------------
; putchar: write the low byte of r1. PUSH stores the word at sp,
; little-endian: its low byte comes first, at sp itself.
; ---------------------------------------------------------------------
putchar:
        push    r1                      ; the character is now at 0(sp)
        push    r2
        mov     sp, r1
        add     #4, r1                  ; r1 = its address, above r2's word
        mov     #1, r2
        call    putbuf
        pop     r2
        pop     r1
        ret

; ---------------------------------------------------------------------
; putnl: write a newline.
; ---------------------------------------------------------------------
putnl:  push    r1
        mov     #'\n', r1
        call    putchar
        pop     r1
        ret

; ---------------------------------------------------------------------
; putuint: write r1 in decimal, as an unsigned number (0 to 4294967295).
;
; r1 mod 10 is the LAST digit, so the digits come out last-first: they
; are stored backwards into a buffer on the stack, from its end down, with
; -(r3) stepping r3 back one byte each time (MOVB steps by 1, not 4), and
; then written in one go. DIV divides signed numbers: to divide by 10 a
; number that may be 2147483648 or more, halve it first with SHR (which
; shifts a 0 in at the top, so the half is positive), then divide by 5.
; ---------------------------------------------------------------------
putuint:
        push    r1
        push    r2
        push    r3
        sub     #12, sp                 ; the buffer: 10 digits and room
        mov     sp, r3
        add     #12, r3                 ; r3 = just past the buffer
putuint.digit:
        mov     r1, r2
        shr     #1, r2
        div     #5, r2                  ; r2 = r1 / 10, unsigned
        mul3    r2, #10, r0
        sub3    r1, r0, r0              ; r0 = r1 - r2 * 10: the last digit
        add     #'0', r0                ; ... as a character
        movb    r0, -(r3)               ; store it, one byte further down
        mov     r2, r1                  ; drop that digit (MOV sets Z)
        bne     putuint.digit           ; until nothing is left
        mov     r3, r1                  ; putbuf(r3, end - r3)
        mov     sp, r2
        add     #12, r2
        sub     r3, r2
        call    putbuf
        add     #12, sp                 ; drop the buffer
        pop     r3
        pop     r2
        pop     r1
        ret

; ---------------------------------------------------------------------
; putint: write r1 in decimal, as a signed number: a - first if it is
; negative, then its magnitude as an unsigned number. So the most
; negative number comes out right too: -2147483648 has no positive twin,
; but NEG leaves it 0x80000000, which putuint writes as 2147483648.
; ---------------------------------------------------------------------
putint: tst     r1
        bge     putint.digits
        push    r1
        mov     #'-', r1
        call    putchar
        pop     r1
        neg     r1                      ; the magnitude...
        call    putuint
        neg     r1                      ; ... and r1 back as it was
        ret
putint.digits:
        call    putuint
        ret

; ---------------------------------------------------------------------
; getline: read a line from standard input into the buffer at r1, of r2
; bytes: the bytes before the newline (which is read, not stored), then
; a NUL. A line longer than r2 - 1 bytes is cut there, and the rest of it
; is left for the next call. r0 = how many bytes were stored before the
; NUL; or -1 at the end of the input, when nothing was left to read; or
; read's error (negative); or EINVAL if r2 is less than 1. It reads one
; byte at a time, so that it never takes a byte past the newline.
; ---------------------------------------------------------------------
getline:
        mov     #EINVAL, r0
        cmp     r2, #1
        blt     getline.bad             ; no room even for the NUL
        push    r1                      ; 16(sp) once all five are pushed
        push    r2
        push    r3
        push    r4
        push    r5
        mov     r1, r4                  ; r4 = where the next byte goes
        add3    r1, r2, r5
        dec     r5                      ; r5 = the last byte: the NUL's
getline.next:
        cmp     r4, r5
        bhs     getline.line            ; full (addresses compare unsigned)
        mov     #SYS_READ, r0           ; read(STDIN, r4, 1)
        mov     #STDIN, r1
        mov     r4, r2
        mov     #1, r3
        sys
        tst     r0
        blt     getline.end             ; an error: r0 says which
        beq     getline.eof             ; the end of the input
        cmpb    (r4), #'\n'
        beq     getline.line            ; the NUL goes over the newline
        inc     r4
        br      getline.next
getline.eof:
        mov     #-1, r0
        cmp     r4, 16(sp)
        beq     getline.end             ; nothing read: the end of the input
getline.line:
        sub3    r4, 16(sp), r0          ; r0 = r4 - the buffer: the length
getline.end:
        movb    #0, (r4)
        pop     r5
        pop     r4
        pop     r3
        pop     r2
        pop     r1
getline.bad:
        ret

; ---------------------------------------------------------------------
; exit: exit(r1). It does not return.
; ---------------------------------------------------------------------
exit:   mov     #SYS_EXIT, r0
        sys

; ---------------------------------------------------------------------
; die: a program's error message, and exit(1). It writes the string at
; r1, then r2 in decimal (as putint does) and a newline, on standard
; error, and exits with status 1: r1 = "cat: " and r2 = ENOENT write
; "cat: -2". It does not return.
; ---------------------------------------------------------------------
die:    mov     #STDERR, outfd
        call    putstr
        mov     r2, r1
        call    putint
        call    putnl
        mov     #1, r1
        call    exit

        .data
outfd:  .word   STDOUT                  ; where the put routines write
