; cat.s - copy a file to standard output.
;
; Shows: open, read, write and close, the Unix way. The file is named in
; argv[1], a path inside the run's root folder (--root, by default the
; folder of the program): with no argument it is files/hello.txt. Each
; read moves up to 4096 bytes from the file into buf, through the disk,
; and returns how many it moved, 0 at the end of the file; each write
; copies that many to standard output.
;   toyvm run programs/cat.s files/hello.txt
;   toyvm run programs/cat.s ../../etc/passwd   -> cat: -22 (EINVAL):
;     a path never leads out of the root folder.
;   toyvm run programs/cat.s nothing            -> cat: -2 (ENOENT)

        .equ    SYS_EXIT, 1
        .equ    SYS_WRITE, 2
        .equ    SYS_READ, 3
        .equ    SYS_OPEN, 4
        .equ    SYS_CLOSE, 5
        .equ    STDOUT, 1
        .equ    STDERR, 2
        .equ    BUFSIZE, 4096

start:  mov     #dflt, r5               ; r5 = the path: files/hello.txt,
        cmp     r1, #2                  ; or argv[1] if there is one
        blt     open
        mov     4(r2), r5
open:   mov     #SYS_OPEN, r0           ; open(path, read)
        mov     r5, r1
        clr     r2
        sys
        tst     r0
        blt     fail
        mov     r0, r6                  ; r6 = fd

copy:   mov     #SYS_READ, r0           ; read(fd, buf, BUFSIZE)
        mov     r6, r1
        mov     #buf, r2
        mov     #BUFSIZE, r3
        sys
        tst     r0
        blt     fail
        beq     done                    ; 0: the end of the file
        mov     r0, r3                  ; write(STDOUT, buf, count)
        mov     #STDOUT, r1
        mov     #buf, r2
        mov     #SYS_WRITE, r0
        sys
        br      copy

done:   mov     #SYS_CLOSE, r0
        mov     r6, r1
        sys
        mov     #SYS_EXIT, r0
        clr     r1
        sys

; fail: print "cat: -N" on standard error and exit with status 1.
fail:   mov     #numend, r3             ; the digits of -r0, backwards
        movb    #'\n', -(r3)
        neg     r0
f_digit:
        mov     r0, r4
        mod     #10, r4
        add     #'0', r4
        movb    r4, -(r3)
        div     #10, r0
        bne     f_digit
        movb    #'-', -(r3)
        mov     #STDERR, r1             ; write(STDERR, "cat: ", 5)
        mov     #l_cat, r2
        mov     r3, r5
        mov     #5, r3
        mov     #SYS_WRITE, r0
        sys
        mov     r5, r2                  ; write(STDERR, "-N\n", ...)
        mov     #numend, r3
        sub     r2, r3
        mov     #SYS_WRITE, r0
        sys
        mov     #SYS_EXIT, r0
        mov     #1, r1
        sys

        .data
dflt:   .asciz  "files/hello.txt"
l_cat:  .ascii  "cat: "
numbuf: .space  12
numend:
        .align  4096
buf:    .space  BUFSIZE
