; pager/numpager.s - a user-level pager: a process that computes the pages
; of a memory object, for another process that maps it.
;
; Shows: policy in a process, mechanism in the kernel (docs/extending.md,
; section 4). The pager makes a memory object of 64 pages and starts its
; client: a child that execs "mapsum.s -fd N", N the object's descriptor,
; which fork and exec both keep. mapsum.s maps the object (mmap,
; MAP_SHARED) and adds up its words: each first touch of a page is a
; fault that the kernel turns into a request to the pager, while the
; child waits. The pager serves the requests: a page-in of page i is
; answered with the page the pager computes, the word i, 1024 times. The
; library pager.s does the rest, the same for every pager: it makes the
; object, forks and execs the client, takes the requests one by one,
; keeps the bytes of a page the kernel evicted dirty (a page-out: mapsum.s
; only reads, but see scribble.s), and when no other process uses the
; object any more, waits for its child and exits with its status. So this
; program prints what mapsum.s prints, whatever serves the pages:
;   sum of the words: 2064384
;   pages: 64
;
; The child's program is a path inside the run's root folder, and
; mapsum.s is in programs/, above this one's folder (the default root,
; which no path may climb out of): run it with that root.
;   toyvm run --root programs --stats programs/pager/numpager.s
;       pager_faults 64, pager_requests 64, pager_supplies 64; context
;       switches between the client and the pager.
;   toyvm run --root programs --trace faults programs/pager/numpager.s
;       "pager: page-in of page 0 (0x40000000) sent to pager 1 (pid 1)", ...
; argv[1], if given, names another client, run with "-fd N" after it.

        .include "../lib/sys.inc"
        .equ    PAGES, 64               ; the object's size
        .equ    PAGEWORDS, 1024         ; words in a page

start:  mov     #client, r5             ; r5 = the client: mapsum.s, or
        cmp     r1, #2                  ; argv[1] if there is one
        blt     serve
        mov     4(r2), r5
serve:  mov     #PAGES, r1              ; pager_object(PAGES, "numpager")
        mov     #l_me, r2
        call    pager_object
        mov     r5, r1                  ; pager_spawn(client): the child
        call    pager_spawn             ; runs "client -fd N"
        mov     #fillword, r1           ; pager_serve(fillword): serve,
        call    pager_serve             ; then exit with the child's status

; fillword: the fill routine: r1 = the buffer, r2 = the page's index i:
; write the word i 1024 times.
fillword:
        mov     #PAGEWORDS, r3
fillword.next:
        mov     r2, (r1)+
        dec     r3
        bne     fillword.next
        ret

        .include "pager.s"              ; the pager library, and lib/io.s

        .data
client: .asciz  "mapsum.s"
l_me:   .asciz  "numpager"
