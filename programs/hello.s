; hello.s - the smallest complete toyvm program.
;
; Shows: the two system calls every sample uses, write and exit.
; A system call puts its number in r0 and its arguments in r1, r2, r3...,
; then executes SYS; the kernel leaves the result in r0.
;
; Expected output: one line, "Hello, world".

        .include "lib/sys.inc"          ; the names SYS_EXIT (1: exit(code)),
                                        ; SYS_WRITE (2: write(fd, buf, len))
                                        ; and STDOUT (fd 1, standard output)
        .equ    MSGLEN, 13              ; "Hello, world" and a newline

start:  mov     #SYS_WRITE, r0          ; which call
        mov     #STDOUT, r1             ; argument 1: where to write
        mov     #msg, r2                ; argument 2: #msg is the ADDRESS of msg
        mov     #MSGLEN, r3             ; argument 3: how many bytes
        sys                             ; r0 = bytes written (13)

        mov     #SYS_EXIT, r0
        clr     r1                      ; exit status 0: success
        sys                             ; exit never returns

        .data
msg:    .ascii  "Hello, world\n"
