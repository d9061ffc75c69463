; pager/scribble.s - a pager keeps what its client wrote: page-outs.
;
; Shows: the other half of a pager's work. A client that only reads
; (mapsum.s) costs its pager one page-in per page. One that writes makes
; the object's pages dirty; when the kernel evicts a dirty page it sends
; the pager a page-out with the page's 4096 bytes, and the pager must
; keep them: the next page-in of that page must supply those bytes, not
; the page as the pager first made it, or the write would be lost.
;
; The process makes a memory object of 64 pages (pager_create) and
; forks. The parent is the pager: as numpager.s, it computes page i as
; the word i, 1024 times, and it keeps what a page-out brings (in its own
; memory, `store`, which the kernel pages like any memory) and supplies
; it at the next page-in. The child, the client, maps the object
; writable (mmap, MAP_SHARED) and walks it twice:
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
;   toyvm run --mem 64K --trace faults programs/pager/scribble.s
;       "pager 1 (pid 1): page-out of page 0", then "page-in of page 0".

        .include "../lib/sys.inc"
        .equ    PAGES, 64               ; the object's size
        .equ    PAGE, 4096
        .equ    PAGEWORDS, 1024         ; words in a page
        .equ    LENGTH, 262144          ; PAGES pages
        .equ    WORDS, 65536            ; LENGTH / 4

start:  mov     #SYS_PAGER_CREATE, r0   ; pager_create(PAGES) -> fd
        mov     #PAGES, r1
        sys
        tst     r0
        blt     fail
        mov     r0, r9                  ; r9 = the object's descriptor
        mov     #SYS_FORK, r0
        sys
        tst     r0
        blt     fail
        beq     client
        mov     r0, r10                 ; r10 = the child's pid

; The pager: take the requests one by one, until none will come.
serve:  mov     #SYS_PAGER_RECV, r0     ; pager_recv(fd, buf) -> the kind,
        mov     r9, r1                  ; with the page's index in r1
        mov     #buf, r2
        sys
        tst     r0
        blt     fail
        beq     done                    ; PAGER_DONE
        mov     r1, r8                  ; r8 = the page's index
        mul3    r8, #PAGE, r3           ; r3 = its kept copy: store + i*PAGE
        add     #store, r3
        cmp     r0, #PAGER_PAGEOUT
        beq     pageout
        cmpb    kept(r8), #0            ; a page-in: the bytes kept from a
        bne     supply                  ; page-out if there are some,
        mov     #buf, r3                ; else the word i in buf
        mov     r3, r2
        mov     #PAGEWORDS, r4
compute:
        mov     r8, (r2)+
        dec     r4
        bne     compute
supply: mov     #SYS_PAGER_SUPPLY, r0   ; pager_supply(fd, i, r3)
        mov     r9, r1
        mov     r8, r2
        sys
        tst     r0
        blt     fail
        br      serve
pageout:                                ; a page-out: keep the bytes, for
        mov     #PAGE, r1               ; the next page-in: movc(PAGE, buf,
        mov     #buf, r2                ; store + i*PAGE)
        movc    r1, r2, r3
        movb    #1, kept(r8)
        br      serve

done:   mov     #SYS_WAIT, r0           ; wait(pid) -> pid, status in r1
        mov     r10, r1
        sys
        tst     r0
        blt     fail
        call    exit                    ; exit(its status)

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
fail:   mov     r0, r6
        mov     #STDERR, outfd
        mov     #l_me, r1
        call    putstr
        mov     r6, r1
        call    putint
        call    putnl
        mov     #1, r1
        call    exit

        .include "../lib/io.s"

        .data
l_read1:
        .asciz  "words as the pager made them: "
l_read2:
        .asciz  "words as the client wrote them: "
l_of:   .asciz  " of "
l_sum:  .asciz  "sum of the words: "
l_me:   .asciz  "scribble: "
kept:   .space  PAGES                   ; kept[i] = 1: page i's bytes are kept
        .align  4
buf:    .space  PAGE                    ; a page computed, or paged out
store:  .space  LENGTH                  ; the pages kept, page i at i*PAGE
