; mmapcat.s - copy a file to standard output without read(): map it.
;
; Shows: mmap of a file. cat.s reads a file into a buffer; this program
; asks the kernel to make the file part of its address space instead,
; and then simply looks at memory. The file is named in argv[1], a path
; inside the run's root folder (by default the program's folder): with
; no argument it is files/hello.txt.
;   toyvm run programs/mmapcat.s files/hello.txt
;   toyvm run programs/mmapcat.s nothing      -> mmapcat: -2 (ENOENT)
;
; mmap(0, WINDOW, PROT_READ, MAP_PRIVATE, fd, offset) maps WINDOW bytes
; of the file, from offset, at an address the kernel chooses (address 0
; asks it to): the lowest free room from 0x40000000 up. Nothing is read
; yet. The first touch of each page of the mapping is a page fault,
; which the kernel serves by reading that page of the file, by DMA,
; into a frame: --trace faults shows "read 0x40000000 from
; ./files/hello.txt@0x0", and --stats counts file_page_ins. Private
; and read-only: the program cannot change the file through it (a store
; would kill it, 139).
;
; toyvm has no call that tells a file's size. Past the end of the file
; a mapping reads as zeros, so the program takes the first NUL byte as
; the end: right for a text file (one with a NUL byte in it is cut
; there). A file larger than the window is mapped a window at a time:
; munmap the window, add WINDOW to the offset, map again.

        .include "lib/sys.inc"
        .equ    WINDOW, 16384           ; four pages at a time

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
        mov     r0, r11                 ; r11 = fd
        clr     r8                      ; r8 = the window's offset in the file

window: mov     #SYS_MMAP, r0           ; mmap(0, WINDOW, PROT_READ,
        clr     r1                      ;      MAP_PRIVATE, fd, offset):
        mov     #WINDOW, r2             ; six arguments, in r1 to r6
        mov     #PROT_READ, r3
        mov     #MAP_PRIVATE, r4
        mov     r11, r5
        mov     r8, r6
        sys
        tst     r0                      ; an address from 0x40000000 up
        blt     fail                    ; is positive; an error negative
        mov     r0, r7                  ; r7 = the window

        mov     r7, r9                  ; find the first NUL in the window:
        add3    r7, #WINDOW, r10        ; r10 = just past the window
scan:   cmpb    (r9), #0                ; each new page read here faults
        beq     found                   ; and comes from the file
        inc     r9
        cmp     r9, r10
        blo     scan                    ; addresses compare unsigned

found:  mov     #SYS_WRITE, r0          ; write(STDOUT, window, r9 - window)
        mov     #STDOUT, r1
        mov     r7, r2
        sub3    r9, r7, r3
        sys
        mov     #SYS_MUNMAP, r0         ; munmap(window, WINDOW): the next
        mov     r7, r1                  ; mmap may take the same addresses
        mov     #WINDOW, r2
        sys
        cmp     r9, r10
        bne     done                    ; a NUL was found: the end
        add     #WINDOW, r8             ; else the next window of the file
        br      window

done:   mov     #SYS_CLOSE, r0          ; close(fd)
        mov     r11, r1
        sys
        clr     r1                      ; exit(0)
        call    exit

; fail: write "mmapcat: -N" on standard error, N the error in r0, and
; exit with status 1.
fail:   mov     r0, r2                  ; die("mmapcat: ", the error)
        mov     #l_me, r1
        call    die

        .include "lib/io.s"             ; the library's code follows ours

        .data
dflt:   .asciz  "files/hello.txt"
l_me:   .asciz  "mmapcat: "
