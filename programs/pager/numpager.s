; pager/numpager.s - a user-level pager: a process that computes the pages
; of a memory object, for another process that maps it.
;
; Shows: policy in a process, mechanism in the kernel (docs/extending.md,
; section 4). The pager makes a memory object of 64 pages (pager_create,
; which returns a descriptor for it) and forks; the child execs
; "mapsum.s -fd N", N the descriptor, which fork and exec both keep.
; mapsum.s maps the object (mmap, MAP_SHARED) and adds up its words: each
; first touch of a page is a fault that the kernel turns into a request
; to the pager, while the child waits. The pager takes the requests one
; by one (pager_recv):
;   - a page-in of page i: it fills its buffer with the word i, 1024
;     times, and answers with pager_supply; the kernel copies the buffer
;     into the frame it had set aside, maps it, and wakes the child;
;   - a page-out of page i: the kernel evicted the page, dirty (a client
;     wrote to it); its 4096 bytes are in the buffer: the pager keeps
;     them, and supplies them, not the computed page, at the next page-in
;     of that page (mapsum.s only reads: see pager/scribble.s for that);
;   - done: no other process maps the object or holds its descriptor any
;     more. The pager waits for its child and exits with its status.
; So it prints what mapsum.s prints, whatever serves the pages:
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
;       "pager 1 (pid 1): page-in of page 0", ...
; argv[1], if given, names another client, run with "-fd N" after it.

        .include "../lib/sys.inc"
        .equ    PAGES, 64               ; the object's size
        .equ    PAGE, 4096
        .equ    PAGEWORDS, 1024         ; words in a page
        .equ    LENGTH, 262144          ; PAGES pages

start:  mov     #client, r11            ; r11 = the client: mapsum.s, or
        cmp     r1, #2                  ; argv[1] if there is one
        blt     create
        mov     4(r2), r11
create: mov     #SYS_PAGER_CREATE, r0   ; pager_create(PAGES) -> fd
        mov     #PAGES, r1
        sys
        tst     r0
        blt     fail
        mov     r0, r9                  ; r9 = the object's descriptor
        mov     r9, r1                  ; N, in decimal, for the client
        mov     #fdnum, r2
        call    itoa
        mov     #SYS_FORK, r0
        sys
        tst     r0
        blt     fail
        beq     child
        mov     r0, r10                 ; r10 = the child's pid

; serve: take the requests one by one, until none will come.
serve:  mov     #SYS_PAGER_RECV, r0     ; pager_recv(fd, buf) -> the kind,
        mov     r9, r1                  ; with the page's index in r1
        mov     #buf, r2
        sys
        tst     r0
        blt     fail
        beq     done                    ; PAGER_DONE
        mov     r1, r8                  ; r8 = the page's index
        cmp     r0, #PAGER_PAGEOUT
        beq     pageout

; A page-in: the bytes kept from a page-out if there are some, else the
; page computed into buf.
        mul3    r8, #PAGE, r3           ; r3 = the kept copy: store + i*PAGE
        add     #store, r3
        cmpb    kept(r8), #0
        bne     supply
        mov     #buf, r3                ; r3 = buf, holding the word i
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

; A page-out: keep the page's bytes, from buf, for its next page-in.
pageout:
        mov     #PAGE, r1               ; movc(PAGE, buf, store + i*PAGE)
        mov     #buf, r2
        mul3    r8, #PAGE, r3
        add     #store, r3
        movc    r1, r2, r3
        movb    #1, kept(r8)
        br      serve

; done: wait for the child, and exit with its status.
done:   mov     #SYS_WAIT, r0           ; wait(pid) -> pid, status in r1
        mov     r10, r1
        sys
        tst     r0
        blt     fail
        call    exit                    ; exit(its status)

; child: fork returned 0. exec(client, {"-fd", N}): it does not return
; if it works; it keeps the descriptor, and the pager's own memory goes.
child:  mov     #SYS_EXEC, r0
        mov     r11, r1
        mov     #argv, r2
        sys
        mov     r0, r6                  ; it failed: "numpager: cannot
        mov     #STDERR, outfd          ; exec mapsum.s: -2", and a hint
        mov     #l_exec, r1
        call    putstr
        mov     r11, r1
        call    putstr
        mov     #l_colon, r1
        call    putstr
        mov     r6, r1
        call    putint
        call    putnl
        mov     #l_hint, r1
        call    putstr
        mov     #1, r1                  ; exit(1): the pager's status too
        call    exit

; itoa: write r1 (0 or more) in decimal at r2, with a NUL after it.
; Changes r0, r1, r2, r3.
itoa:   mov     #tmp+12, r3             ; the digits, last first, down
        movb    #0, -(r3)               ; from the end of tmp
itoa.digit:
        mov     r1, r0
        mod     #10, r0
        add     #'0', r0
        movb    r0, -(r3)
        div     #10, r1
        bne     itoa.digit
itoa.copy:
        movb    (r3)+, (r2)+            ; then copied to r2, NUL included
        bne     itoa.copy
        ret

; fail: "numpager: -N" on standard error, N the error in r0; exit(1).
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
client: .asciz  "mapsum.s"
o_fd:   .asciz  "-fd"
l_me:   .asciz  "numpager: "
l_exec: .asciz  "numpager: cannot exec "
l_colon:
        .asciz  ": "
l_hint: .asciz  "numpager: paths are inside the run's root: toyvm run --root programs programs/pager/numpager.s\n"
tmp:    .space  12
fdnum:  .space  12                      ; N, for the client's argv
        .align  4
argv:   .word   o_fd, fdnum, 0          ; the client's arguments after its path
kept:   .space  PAGES                   ; kept[i] = 1: page i's bytes are kept
        .align  4
buf:    .space  PAGE                    ; a page computed, or paged out
store:  .space  LENGTH                  ; the pages kept, page i at i*PAGE
