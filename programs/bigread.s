; bigread.s - a big file read into a buffer that does not fit in memory.
;
; Shows: file reads go through the disk, by DMA, straight into the
; process's own pages. The kernel locks the frames of the buffer while
; the disk fills them (a locked frame is never a victim), so it locks at
; most a quarter of memory at once: a larger read moves that much and
; returns a SHORT count, as Unix allows. A program that wants a full
; buffer loops until it has one - here a 128 KiB buffer, filled from
; files/big.dat (256 KiB) twice, then checksummed (or from the file
; named in argv[1]: a path inside the root folder). Under
;   toyvm run --mem 64K --stats programs/bigread.s
; the buffer is twice as large as all of memory: its pages go to swap
; and come back while the file streams through, and the checksum is the
; same as with ample memory.
;   toyvm run --mem 64K --trace disk programs/bigread.s
; shows each read: the file's offset, its length, the frames locked.

        .include "lib/sys.inc"
        .equ    BUFSIZE, 131072

start:  mov     #path, r5               ; r5 = the path: files/big.dat,
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
        clr     r7                      ; r7 = checksum
        clr     r8                      ; r8 = bytes read in all
        clr     r10                     ; r10 = reads made

fill:   clr     r9                      ; r9 = bytes in the buffer
more:   mov     #SYS_READ, r0           ; read(fd, buf + r9, BUFSIZE - r9)
        mov     r6, r1
        mov     #buf, r2
        add     r9, r2
        mov     #BUFSIZE, r3
        sub     r9, r3
        sys
        tst     r0
        blt     fail
        beq     full                    ; 0: the end of the file
        inc     r10
        add     r0, r9                  ; a short count: ask for the rest
        cmp     r9, #BUFSIZE
        blt     more

full:   add     r9, r8                  ; checksum the r9 bytes read
        mov     #buf, r4
        mov     r9, r5
        shr     #2, r5                  ; r5 = words (the file is whole words)
        beq     fin
sum:    mul     #31, r7                 ; checksum = checksum * 31 + word
        add     (r4)+, r7
        dec     r5
        bne     sum
        cmp     r9, #BUFSIZE            ; a full buffer: there may be more
        beq     fill

fin:    mov     #SYS_CLOSE, r0
        mov     r6, r1
        sys
        mov     #l_bytes, r1            ; "bytes 262144"
        mov     r8, r2
        call    report
        mov     #l_sum, r1              ; "checksum N"
        mov     r7, r2
        call    report
        clr     r1                      ; exit(0)
        call    exit

fail:   mov     r0, r2                  ; "error -N", exit status 1
        mov     #l_err, r1
        call    report
        mov     #1, r1
        call    exit

; ---------------------------------------------------------------------
; report: write the string at r1, the number in r2 and a newline, with
; the routines of lib/io.s. Like them, it changes only r0 and the flags.
; ---------------------------------------------------------------------
report: call    putstr
        push    r1
        mov     r2, r1
        call    putint
        pop     r1
        call    putnl
        ret

        .include "lib/io.s"             ; the library's code follows ours

        .data
path:   .asciz  "files/big.dat"
l_bytes:
        .asciz  "bytes "
l_sum:  .asciz  "checksum "
l_err:  .asciz  "error "
        .align  4096
buf:    .space  BUFSIZE                 ; last: it costs the image nothing
