; pager/filepager.s - a user-level pager that serves the pages of a file.
;
; Shows: a pager decides where the data lives. The kernel's VM system
; maps files by itself (mapsum.s with no argument); here a process does
; it instead, its own way. It opens the file, makes a memory object of 64
; pages (pager_create, which returns a descriptor for it) and forks: the
; child execs "mapsum.s -fd N", N the object's descriptor (fork and exec
; keep it; the file's descriptor too, unused). Meanwhile the pager reads
; the whole file into its own memory (ordinary memory, demand-paged and
; swapped like any other): a fault of the client in the meantime waits
; until the pager gets to its request. Then it takes the requests one by
; one (pager_recv):
;   - a page-in of page i: supply the file's page i, straight from the
;     copy in memory (pager_supply copies 4096 bytes from there);
;   - a page-out of page i: a client wrote to the page and the kernel
;     evicted it: its bytes, in buf, replace page i of the copy, so the
;     next page-in supplies them (the file itself is not written);
;   - done: no other process uses the object: wait for the child, and
;     exit with its status.
; mapsum.s prints what it prints for the file mapped by the kernel:
;   sum of the words: 2064384
;   pages: 64
; The file is files/numbers.dat, or argv[1]; a shorter one reads as
; zeros past its end, a longer one is cut at 64 pages. Its path, and the
; client's, are inside the run's root folder, and both are in programs/,
; above this one's folder (the default root): run it with that root.
;   toyvm run --root programs --stats programs/pager/filepager.s
;       pager_faults 64, pager_supplies 64, and no file_page_ins: the
;       kernel reads no page of the file, the pager read it all.
;   toyvm run --root programs --mem 64K --stats programs/pager/filepager.s
;       the pager's copy of the file does not fit in memory: the pager
;       itself faults on it (swap_ins) while it serves its client.

        .include "../lib/sys.inc"
        .equ    PAGES, 64               ; the object's size
        .equ    PAGE, 4096
        .equ    LENGTH, 262144          ; PAGES pages

start:  mov     #dflt, r5               ; r5 = the file: files/numbers.dat,
        cmp     r1, #2                  ; or argv[1] if there is one
        blt     open
        mov     4(r2), r5
open:   mov     #SYS_OPEN, r0           ; open(path, read)
        mov     r5, r1
        mov     #O_READ, r2
        sys
        tst     r0
        blt     nofile
        mov     r0, r5                  ; r5 = the file's descriptor

        mov     #SYS_PAGER_CREATE, r0   ; pager_create(PAGES) -> fd
        mov     #PAGES, r1
        sys
        tst     r0
        blt     fail
        mov     r0, r9                  ; r9 = the object's descriptor
        mov     r9, r1                  ; N, in decimal, for the client
        mov     #fdnum, r2
        call    itoa
        mov     #SYS_FORK, r0           ; the client starts at once: its
        sys                             ; first fault waits for the pager
        tst     r0
        blt     fail
        beq     child
        mov     r0, r10                 ; r10 = the child's pid

; The pager reads the file into its memory, up to LENGTH bytes.
        mov     #file, r6               ; r6 = where the next bytes go
        mov     #LENGTH, r7             ; r7 = how many more fit
load:   mov     #SYS_READ, r0           ; read(fd, r6, r7) -> how many
        mov     r5, r1
        mov     r6, r2
        mov     r7, r3
        sys
        tst     r0
        blt     fail
        beq     loaded                  ; the end of the file
        add     r0, r6
        sub     r0, r7
        bne     load                    ; until the copy is full
loaded: mov     #SYS_CLOSE, r0          ; close(fd)
        mov     r5, r1
        sys

; serve: take the requests one by one, until none will come.
serve:  mov     #SYS_PAGER_RECV, r0     ; pager_recv(fd, buf) -> the kind,
        mov     r9, r1                  ; with the page's index in r1
        mov     #buf, r2
        sys
        tst     r0
        blt     fail
        beq     done                    ; PAGER_DONE
        mul3    r1, #PAGE, r3           ; r3 = the file's page i in memory
        add     #file, r3
        cmp     r0, #PAGER_PAGEOUT
        beq     pageout
        mov     r1, r2                  ; a page-in: pager_supply(fd, i, r3)
        mov     r9, r1
        mov     #SYS_PAGER_SUPPLY, r0
        sys
        tst     r0
        blt     fail
        br      serve
pageout:                                ; a page-out: the bytes written
        mov     #PAGE, r1               ; replace the page: movc(PAGE,
        mov     #buf, r2                ; buf, r3)
        movc    r1, r2, r3
        br      serve

; done: wait for the child, and exit with its status.
done:   mov     #SYS_WAIT, r0           ; wait(pid) -> pid, status in r1
        mov     r10, r1
        sys
        tst     r0
        blt     fail
        call    exit                    ; exit(its status)

; child: fork returned 0. exec("mapsum.s", {"-fd", N}): it keeps the
; descriptor; the pager's memory, the copy of the file, goes.
child:  mov     #SYS_EXEC, r0
        mov     #client, r1
        mov     #argv, r2
        sys
        mov     #client, r5             ; it failed: "filepager: cannot
        br      nofile                  ; open mapsum.s: -2", and a hint

; nofile: "filepager: cannot open PATH: -N" (PATH at r5, N the
; error in r0) and where paths are, on standard error; exit(1).
nofile: mov     r0, r6
        mov     #STDERR, outfd
        mov     #l_cannot, r1
        call    putstr
        mov     r5, r1
        call    putstr
        mov     #l_colon, r1
        call    putstr
        mov     r6, r1
        call    putint
        call    putnl
        mov     #l_hint, r1
        call    putstr
        mov     #1, r1                  ; exit(1) (a child's is the
        call    exit                    ; pager's status too)

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

; fail: "filepager: -N" on standard error, N the error in r0; exit(1).
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
dflt:   .asciz  "files/numbers.dat"
client: .asciz  "mapsum.s"
o_fd:   .asciz  "-fd"
l_me:   .asciz  "filepager: "
l_cannot:
        .asciz  "filepager: cannot open "
l_colon:
        .asciz  ": "
l_hint: .asciz  "filepager: paths are inside the run's root: toyvm run --root programs programs/pager/filepager.s\n"
tmp:    .space  12
fdnum:  .space  12                      ; N, for the client's argv
        .align  4
argv:   .word   o_fd, fdnum, 0          ; the client's arguments after its path
buf:    .space  PAGE                    ; a page paged out
file:   .space  LENGTH                  ; the file's first 64 pages
