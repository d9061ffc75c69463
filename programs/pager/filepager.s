; pager/filepager.s - a user-level pager that serves the pages of a file.
;
; Shows: a pager decides where the data lives. The kernel's VM system
; maps files by itself (mapsum.s with no argument); here a process does
; it instead, its own way. With the library pager.s, it makes a memory
; object of 64 pages, opens the file, and starts its client: a child that
; execs "mapsum.s -fd N", N the object's descriptor (fork and exec keep
; it; the file's descriptor too, unused). Meanwhile the pager reads the
; whole file into its own memory (ordinary memory, demand-paged and
; swapped like any other): a fault of the client in the meantime waits
; until the pager gets to its request. Then it serves the requests: a
; page-in of page i is answered with the file's page i, copied from the
; copy in memory by the fill routine. The library keeps what a page-out
; brings, as for any pager (the file itself is never written), and when
; no other process uses the object, waits for the child and exits with
; its status. mapsum.s prints what it prints for the file mapped by the
; kernel:
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
        .equ    LENGTH, 262144          ; PAGES pages

start:  mov     #dflt, r5               ; r5 = the file: files/numbers.dat,
        cmp     r1, #2                  ; or argv[1] if there is one
        blt     object
        mov     4(r2), r5
object: mov     #PAGES, r1              ; pager_object(PAGES, "filepager")
        mov     #l_me, r2
        call    pager_object
        mov     #SYS_OPEN, r0           ; open(path, read)
        mov     r5, r1
        mov     #O_READ, r2
        sys
        tst     r0
        blt     nofile
        mov     r0, r5                  ; r5 = the file's descriptor
        mov     #client, r1             ; pager_spawn("mapsum.s"): the
        call    pager_spawn             ; client starts at once: its first
                                        ; fault waits for the pager

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
        mov     #copypage, r1           ; pager_serve(copypage): serve,
        call    pager_serve             ; then exit with the child's status

; copypage: the fill routine: r1 = the buffer, r2 = the page's index i:
; copy the file's page i into it: movc(PAGE, file + i*PAGE, buffer).
copypage:
        mov     r1, r3
        mul3    r2, #PAGE, r2
        add     #file, r2
        mov     #PAGE, r1
        movc    r1, r2, r3
        ret

; nofile: the file cannot be opened (r5 = its path, r0 = the error):
; "filepager: cannot open PATH: -N", and where paths are; exit(1).
nofile: mov     r5, r2                  ; pager_cannot("open", path, error)
        mov     r0, r3
        mov     #l_open, r1
        call    pager_cannot

; fail: "filepager: -N" on standard error, N the error in r0; exit(1).
fail:   mov     r0, r1                  ; pager_fail(the error)
        call    pager_fail

        .include "pager.s"              ; the pager library, and lib/io.s

        .data
dflt:   .asciz  "files/numbers.dat"
client: .asciz  "mapsum.s"
l_me:   .asciz  "filepager"
l_open: .asciz  "open"
        .align  4
file:   .space  LENGTH                  ; the file's first 64 pages
