; libos/zero.s - zero-filled memory paged by the program's own library OS.
;
; Shows: a library OS at work (libos.s): the upcall on each first touch,
; its FIFO reuse of its own frames, and its answer when the kernel wants
; a frame back. The program makes a self-paged range of PAGES pages,
; served by libos_zero (a page starts as zeros), and walks it PASSES
; times. At each page it reads every word, which must be 0 or the page's
; own stamp (its index + 1), and then writes the stamp into that word.
; So it checks what a library OS without a backing store promises: a
; page holds what the program wrote there, or zeros if its frame was
; taken away meanwhile, and never what another page held, even when its
; frame served another page before (a frame comes zeroed every time).
; It prints how many words read right: all of them.
;   toyvm run --stats programs/libos/zero.s
;       64 upcalls, 64 frames granted and installed: memory is large
;       enough, and the second and third passes find every stamp.
;   toyvm run --stats --mem 64K programs/libos/zero.s
;       memory is 16 frames: the process may hold half of them, so
;       frame_alloc says ENOMEM and the library frees its oldest frame
;       for each new page (upcalls on every pass); and the paging daemon
;       asks for frames back (revoke_requests), which the library gives
;       (frames_given_back) before the kernel would take them by force.
;   toyvm run --mem 64K --trace faults,daemon programs/libos/zero.s
;       each upcall, and each request to give a frame back.

        .include "../lib/sys.inc"
        .equ    PAGES, 64
        .equ    LENGTH, 262144          ; PAGES pages of 4096 bytes
        .equ    WORDS, 1024             ; words in a page
        .equ    PASSES, 3

start:  mov     #LENGTH, r1             ; libos_init(LENGTH, libos_zero)
        mov     #libos_zero, r2
        call    libos_init
        tst     r0
        blt     fail
        mov     r0, r7                  ; r7 = the range
        clr     r9                      ; r9 = the words that read right
        clr     r10                     ; r10 = the pass
pass:   mov     r7, r2                  ; r2 walks the range
        clr     r8                      ; r8 = the page's index
page:   add3    r8, #1, r5              ; r5 = its stamp
        mov     #WORDS, r4
word:   mov     (r2), r0                ; the first word of a page faults
        beq     word.right              ; zeros: a fresh frame
        cmp     r0, r5
        bne     word.wrong              ; neither zeros nor its own stamp
word.right:
        inc     r9
word.wrong:
        mov     r5, (r2)+               ; stamp it
        dec     r4
        bne     word
        inc     r8
        cmp     r8, #PAGES
        blt     page
        inc     r10
        cmp     r10, #PASSES
        blt     pass

        mov     #l_pages, r1            ; "pages: 64, passes: 3"
        call    putstr
        mov     #PAGES, r1
        call    putuint
        mov     #l_passes, r1
        call    putstr
        mov     #PASSES, r1
        call    putuint
        call    putnl
        mov     #l_right, r1            ; "words read as zeros or as their
        call    putstr                  ;  page's stamp: N of N"
        mov     r9, r1
        call    putuint
        mov     #l_of, r1
        call    putstr
        mul3    r10, #PAGES, r1         ; passes x PAGES x WORDS
        mul     #WORDS, r1
        call    putuint
        call    putnl
        clr     r1                      ; exit(0)
        call    exit

; fail: "zero: -N" on standard error, N libos_init's error, and exit(1).
fail:   mov     r0, r2                  ; die("zero: ", the error)
        mov     #l_me, r1
        call    die

        .include "libos.s"              ; the library OS, and lib/io.s
        .include "../lib/io.s"          ; (included once: this does nothing)

        .data
l_pages:
        .asciz  "pages: "
l_passes:
        .asciz  ", passes: "
l_right:
        .asciz  "words read as zeros or as their page's stamp: "
l_of:   .asciz  " of "
l_me:   .asciz  "zero: "
