; pager/scribble.s - a pager keeps what its client wrote: page-outs.
;
; Shows: the other half of a pager's work. A client that only reads
; (mapsum.s) costs its pager one page-in per page. One that writes makes
; the object's pages dirty; when the kernel evicts a dirty page it sends
; the pager a page-out with the page's 4096 bytes, and the pager must
; keep them: the next page-in of that page must supply those bytes, not
; the page as the pager first made it, or the write would be lost.
;
; The process makes a memory object of 64 pages (pager_object, of the
; library pager.s) and forks. The parent is the pager (pager_serve): as
; numpager.s, it computes page i as the word i, 1024 times, and the
; library keeps what a page-out brings (in the pager's own memory, which
; the kernel pages like any memory) and supplies it at the next page-in.
; The child, the client, maps the object writable (mmap, MAP_SHARED) and
; walks it twice:
;   1. every word j of page i must read i (the pager's page); the child
;      writes 1000*i + j over it;
;   2. every word must read what the child wrote.
; It prints how many words read right each time, and the sum of the
; words of the second walk, then exits; the pager gets PAGER_DONE, waits
; for it and exits with its status. With enough memory nothing is
; evicted; with --mem 64K most pages leave memory between the two walks,
; dirty: they go to the pager and come back from it.
;   toyvm run --stats programs/pager/scribble.s
;       pager_requests 64 = pager_supplies: page-ins only.
;   toyvm run --stats --mem 64K programs/pager/scribble.s
;       pager_requests > pager_supplies: the difference is page-outs;
;       pager_supplies > 64: pages came back, with what was written.
;   toyvm run --mem 64K --trace faults,daemon programs/pager/scribble.s
;       "page-out of page 0 of pager 1's object sent to it (pid 1)", then
;       "pager: page-in of page 0 (0x40000000) sent to pager 1 (pid 1)".

        .include "../lib/sys.inc"
        .equ    PAGES, 64               ; the object's size
        .equ    PAGEWORDS, 1024         ; words in a page
        .equ    LENGTH, 262144          ; PAGES pages
        .equ    WORDS, 65536            ; LENGTH / 4

start:  mov     #PAGES, r1              ; pager_object(PAGES, "scribble")
        mov     #l_me, r2
        call    pager_object
        mov     r0, r9                  ; r9 = the object's descriptor
        mov     #SYS_FORK, r0
        sys
        tst     r0
        blt     fail
        beq     client
        mov     #fillword, r1           ; the parent is the pager:
        call    pager_serve             ; pager_serve(fillword)

; fillword: the fill routine: r1 = the buffer, r2 = the page's index i:
; write the word i 1024 times.
fillword:
        mov     #PAGEWORDS, r3
fillword.next:
        mov     r2, (r1)+
        dec     r3
        bne     fillword.next
        ret

; The client, the child: fork returned 0; r9 is the descriptor.
client: mov     #SYS_MMAP, r0           ; mmap(0, LENGTH, read+write,
        clr     r1                      ;      MAP_SHARED, fd, 0)
        mov     #LENGTH, r2
        mov     #PROT_READ+PROT_WRITE, r3
        mov     #MAP_SHARED, r4
        mov     r9, r5
        clr     r6
        sys
        tst     r0
        blt     fail
        mov     r0, r7                  ; r7 = the mapping

        mov     r7, r2                  ; 1. each word must be its page's
        clr     r9                      ; index; write 1000*i + j over it;
                                        ; r9 = the words that read right
        clr     r5                      ; r5 = i
page1:  clr     r6                      ; r6 = j
word1:  cmp     (r2), r5                ; the first word of a page faults
        bne     wrong1
        inc     r9
wrong1: mul3    r5, #1000, r0
        add     r6, r0
        mov     r0, (r2)+
        inc     r6
        cmp     r6, #PAGEWORDS
        blt     word1
        inc     r5
        cmp     r5, #PAGES
        blt     page1
        mov     #l_read1, r1            ; "words as the pager made them:
        call    report                  ;  65536 of 65536"

        mov     r7, r2                  ; 2. each word must read what was
        clr     r9                      ; written; r10 = their sum
        clr     r10
        clr     r5
page2:  clr     r6
word2:  mul3    r5, #1000, r0
        add     r6, r0
        add     (r2), r10
        cmp     (r2)+, r0
        bne     wrong2
        inc     r9
wrong2: inc     r6
        cmp     r6, #PAGEWORDS
        blt     word2
        inc     r5
        cmp     r5, #PAGES
        blt     page2
        mov     #l_read2, r1            ; "words as the client wrote them:
        call    report                  ;  65536 of 65536"
        mov     #l_sum, r1              ; "sum of the words: 2097905664"
        call    putstr
        mov     r10, r1
        call    putuint
        call    putnl
        clr     r1                      ; exit(0)
        call    exit

; report: the string at r1, then "r9 of 65536" and a newline.
report: call    putstr
        mov     r9, r1
        call    putuint
        mov     #l_of, r1
        call    putstr
        mov     #WORDS, r1
        call    putuint
        call    putnl
        ret

; fail: "scribble: -N" on standard error, N the error in r0; exit(1).
fail:   mov     r0, r1                  ; pager_fail(the error)
        call    pager_fail

        .include "pager.s"              ; the pager library, and lib/io.s

        .data
l_read1:
        .asciz  "words as the pager made them: "
l_read2:
        .asciz  "words as the client wrote them: "
l_of:   .asciz  " of "
l_sum:  .asciz  "sum of the words: "
l_me:   .asciz  "scribble"
