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

        .include "lib/sys.inc"
        .equ    BUFSIZE, 4096

start:  mov     #dflt, r5               ; r5 = the path: files/hello.txt,
        cmp     r1, #2                  ; or argv[1] if there is one
        blt     open
        mov     4(r2), r5
open:   mov     #SYS_OPEN, r0           ; open(path, read)
        mov     r5, r1
        mov     #O_READ, r2
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
        clr     r1                      ; exit(0)
        call    exit

; fail: write "cat: -N" on standard error, N the error in r0, and exit
; with status 1: die, in lib/io.s, does both.
fail:   mov     r0, r2                  ; die("cat: ", the error)
        mov     #l_cat, r1
        call    die

        .include "lib/io.s"             ; the library's code follows ours

        .data
dflt:   .asciz  "files/hello.txt"
l_cat:  .asciz  "cat: "
        .align  4096
buf:    .space  BUFSIZE
