; mapsum.s - map 64 pages and add up their words, whoever serves the faults.
;
; Shows: who serves a page fault. The program maps 64 pages (256 KiB)
; whose page i holds the word i 1024 times, and reads every word of them
; in order: one fault per page. Each way toyvm can serve those faults
; prints the same two lines,
;   sum of the words: 2064384
;   pages: 64
; and argv chooses the way (docs/extending.md compares their costs):
;   toyvm run --stats programs/mapsum.s
;       the VM system: the pages are those of files/numbers.dat, mapped
;       private; the kernel reads each page from the file when it is
;       touched: 64 reads from the disk, 64 disk latencies.
;   toyvm run --stats programs/mapsum.s FILE
;       the same with FILE (a path inside the run's root folder); a
;       shorter file reads as zeros past its end.
;   toyvm run --stats --ext prefetch programs/mapsum.s
;       a SPIN-style extension in the kernel: it reads each faulting page
;       and the 7 after it in one disk request: 8 major faults, the other
;       56 are hits (--ext tracefaults counts the faults of each region:
;       64 in the mapping).
;   toyvm run --stats programs/mapsum.s -libos
;       the program's own library OS (libos/libos.s), as on an exokernel:
;       the 64 pages are a self-paged range; each fault is upcalled to
;       the library's handler, which installs a frame it holds by
;       capability and calls fillword below to compute the page: no file,
;       no disk (upcalls, frames_granted, installs).
;   toyvm run --stats --root programs programs/pager/numpager.s
;       a user-level pager: another process. numpager makes a memory
;       object of 64 pages that it computes, forks, and its child runs
;       "mapsum.s -fd N": the object is at descriptor N (kept by fork and
;       exec), mapped shared; each fault is a request to the pager
;       (pager_faults, pager_requests). pager/filepager.s serves the
;       pages of files/numbers.dat from its own memory the same way.
; With -fd, N is a decimal number: "mapsum.s -fd 3". A bad one, or a
; call that fails, prints "mapsum: -E" on standard error, E the error
; (EINVAL for a bad N, EBADF for a descriptor that is not open), and the
; program exits with status 1.

        .include "lib/sys.inc"
        .equ    LENGTH, 262144          ; 64 pages
        .equ    WORDS, 65536            ; LENGTH / 4
        .equ    PAGEWORDS, 1024         ; words in a page

start:  mov     #dflt, r5               ; r5 = the path: files/numbers.dat,
        cmp     r1, #2                  ; or argv[1] if there is one, which
        blt     open                    ; may name another way instead
        mov     r1, r9                  ; r9 = argc
        mov     r2, r8                  ; r8 = argv
        br      modes

; The VM system: the pages are those of a file, mapped private.
open:   mov     #SYS_OPEN, r0           ; open(path, read)
        mov     r5, r1
        mov     #O_READ, r2
        sys
        tst     r0
        blt     fail
        mov     r0, r5                  ; r5 = fd
        mov     #MAP_PRIVATE, r4        ; mapped private
map:    mov     #SYS_MMAP, r0           ; mmap(0, LENGTH, PROT_READ,
        clr     r1                      ;      r4, fd, 0)
        mov     #LENGTH, r2
        mov     #PROT_READ, r3
        clr     r6
        sys
        tst     r0
        blt     fail
        mov     r0, r7                  ; r7 = the mapping

report: call    sum                     ; r1 = the sum of its words
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

; modes: argv[1] is "-libos", "-fd", or the path of the file to map.
modes:  mov     4(r8), r5               ; r5 = argv[1]
        mov     r5, r1
        mov     #o_libos, r2
        call    streq
        beq     libos
        mov     r5, r1
        mov     #o_fd, r2
        call    streq
        bne     open                    ; neither: a file

; -fd N: a pager's object, open at descriptor N, mapped shared (the only
; way a pager's object may be mapped).
        mov     #EINVAL, r0
        cmp     r9, #3
        blt     fail                    ; no N
        mov     8(r8), r1               ; r5 = N, from argv[2]
        call    atoi
        tst     r0
        blt     fail
        mov     r0, r5
        mov     #MAP_SHARED, r4
        br      map

; -libos: a self-paged range, served by the library OS with fillword.
libos:  mov     #LENGTH, r1             ; libos_init(LENGTH, fillword)
        mov     #fillword, r2
        call    libos_init
        tst     r0
        blt     fail
        mov     r0, r7                  ; r7 = the range
        br      report

; fillword: the library OS's fill routine: r1 = the page, installed and
; writable, r2 = its index i in the range: write the word i 1024 times.
; (It runs in the upcall handler, which may change every register.)
fillword:
        mov     #PAGEWORDS, r3
fillword.next:
        mov     r2, (r1)+
        dec     r3
        bne     fillword.next
        ret

; streq: Z set if the strings at r1 and r2 are equal. Changes r0, r1, r2.
streq:  movb    (r1)+, r0
        cmpb    r0, (r2)+
        bne     streq.done              ; different (Z clear)
        tst     r0                      ; the NUL of both: equal (Z set)
        bne     streq
streq.done:
        ret

; atoi: r0 = the decimal number in the string at r1, or EINVAL if it is
; not one (empty, a byte that is not a digit, or more than 9 digits).
; Changes r0, r1, r2, r3.
atoi:   clr     r0
        clr     r3                      ; r3 = digits read
atoi.digit:
        movb    (r1)+, r2
        beq     atoi.end
        sub     #'0', r2
        blt     atoi.bad                ; below '0'
        cmp     r2, #9
        bgt     atoi.bad                ; above '9'
        mul     #10, r0
        add     r2, r0
        inc     r3
        cmp     r3, #9
        ble     atoi.digit
atoi.bad:
        mov     #EINVAL, r0
        ret
atoi.end:
        tst     r3
        beq     atoi.bad                ; no digit at all
        ret

; fail: write "mapsum: -N" on standard error, N the error in r0, and
; exit with status 1.
fail:   mov     r0, r2                  ; die("mapsum: ", the error)
        mov     #l_me, r1
        call    die

        .include "lib/io.s"             ; the library's code follows ours
        .include "libos/libos.s"        ; the library OS, for -libos

        .data
dflt:   .asciz  "files/numbers.dat"
l_sum:  .asciz  "sum of the words: "
l_pages: .asciz "pages: "
l_me:   .asciz  "mapsum: "
o_libos:
        .asciz  "-libos"
o_fd:   .asciz  "-fd"
