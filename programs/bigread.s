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

        .equ    SYS_EXIT, 1
        .equ    SYS_WRITE, 2
        .equ    SYS_READ, 3
        .equ    SYS_OPEN, 4
        .equ    SYS_CLOSE, 5
        .equ    STDOUT, 1
        .equ    BUFSIZE, 131072

start:  mov     #path, r5               ; r5 = the path: files/big.dat,
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
        mov     #SYS_EXIT, r0
        clr     r1
        sys

fail:   mov     r0, r2                  ; "error -N", exit status 1
        mov     #l_err, r1
        call    report
        mov     #SYS_EXIT, r0
        mov     #1, r1
        sys

; ---------------------------------------------------------------------
; report: print the string at r1, the number in r2 and a newline.
; Changes r0-r5 and the flags.
; ---------------------------------------------------------------------
report: mov     r2, r5
        call    puts
        mov     r5, r1
        mov     #'\n', r2
        call    putnum
        ret

; ---------------------------------------------------------------------
; puts: write the NUL-terminated string at r1 on standard output.
; Changes r0-r3 and the flags.
; ---------------------------------------------------------------------
puts:   mov     r1, r2
        mov     r1, r3
ps_len: cmpb    (r3)+, #0
        bne     ps_len
        dec     r3
        sub     r2, r3
        mov     #STDOUT, r1
        mov     #SYS_WRITE, r0
        sys
        ret

; ---------------------------------------------------------------------
; putnum: write the signed number in r1 in decimal, followed by the
; character in r2, on standard output (see args.s). Changes r0-r4.
; ---------------------------------------------------------------------
putnum: mov     #numend, r3
        movb    r2, -(r3)
        mov     r1, r4
        bge     pn_digit
        neg     r1
pn_digit:
        mov     r1, r0
        mod     #10, r0
        add     #'0', r0
        movb    r0, -(r3)
        div     #10, r1
        bne     pn_digit
        tst     r4
        bge     pn_write
        movb    #'-', -(r3)
pn_write:
        mov     r3, r2
        mov     #numend, r3
        sub     r2, r3
        mov     #STDOUT, r1
        mov     #SYS_WRITE, r0
        sys
        ret

        .data
path:   .asciz  "files/big.dat"
l_bytes:
        .asciz  "bytes "
l_sum:  .asciz  "checksum "
l_err:  .asciz  "error "
numbuf: .space  12
numend:
        .align  4096
buf:    .space  BUFSIZE                 ; last: it costs the image nothing
