; mapsum.s - map a whole file and add up its words.
;
; Shows: who serves a page fault. The program maps 64 pages (256 KiB) of
; a file - by default files/numbers.dat, whose page i holds the word i
; 1024 times - and reads every word of it in order, one fault per page.
; Each way toyvm can serve those faults prints the same two lines:
;   toyvm run --stats programs/mapsum.s
;       the VM system reads each page from the file when it is touched:
;       64 reads from the disk, 64 disk latencies.
;   toyvm run --stats --ext prefetch programs/mapsum.s
;       the prefetch extension reads each faulting page and the 7 after
;       it in one disk request: 8 major faults, the other 56 are hits.
;   toyvm run --ext tracefaults programs/mapsum.s
;       counts the faults of each region: 64 in the mapping (mmap).
; programs/libos/ and programs/pager/ serve the same pages from a
; library OS in the process and from a pager process, and print the same
; lines (docs/extending.md compares the costs).
;
; The file is argv[1] if given (a path inside the run's root folder).
; A shorter file reads as zeros past its end.

        .include "lib/sys.inc"
        .equ    LENGTH, 262144          ; 64 pages
        .equ    WORDS, 65536            ; LENGTH / 4

start:  mov     #dflt, r5               ; r5 = the path: files/numbers.dat,
        cmp     r1, #2                  ; or argv[1] if there is one
        blt     open
        mov     4(r2), r5
open:   mov     #SYS_OPEN, r0           ; open(path, read)
        mov     r5, r1
        mov     #O_READ, r2
        sys
        tst     r0
        blt     fail
        mov     r0, r5                  ; r5 = fd

        mov     #SYS_MMAP, r0           ; mmap(0, LENGTH, PROT_READ,
        clr     r1                      ;      MAP_PRIVATE, fd, 0)
        mov     #LENGTH, r2
        mov     #PROT_READ, r3
        mov     #MAP_PRIVATE, r4
        clr     r6
        sys
        tst     r0
        blt     fail
        mov     r0, r7                  ; r7 = the mapping

        call    sum                     ; r1 = the sum of its words
        mov     r1, r6
        mov     #l_sum, r1              ; "sum of the words: N"
        call    putstr
        mov     r6, r1
        call    putuint
        call    putnl
        mov     #l_pages, r1            ; "pages: 64"
        call    putstr
        mov     #64, r1
        call    putuint
        call    putnl
        clr     r1                      ; exit(0)
        call    exit

; sum: r1 = the sum of the WORDS words from r7 (modulo 2^32).
sum:    mov     r7, r2
        clr     r1
        mov     #WORDS, r3
next:   add     (r2)+, r1               ; the first word of a page faults
        dec     r3
        bne     next
        ret

; fail: write "mapsum: -N" on standard error, N the error in r0, and
; exit with status 1.
fail:   mov     r0, r6
        mov     #STDERR, outfd
        mov     #l_me, r1
        call    putstr
        mov     r6, r1
        call    putint
        call    putnl
        mov     #1, r1
        call    exit

        .include "lib/io.s"             ; the library's code follows ours

        .data
dflt:   .asciz  "files/numbers.dat"
l_sum:  .asciz  "sum of the words: "
l_pages: .asciz "pages: "
l_me:   .asciz  "mapsum: "
