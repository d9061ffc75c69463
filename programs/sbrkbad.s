; sbrkbad.s - a touch beyond the break kills.
;
; Shows: the heap ends where sbrk put it (rounded up to a page). The
; program grows the heap by two pages, writes to both, gives them back
; with sbrk(-8192), and then writes to the first of them again. That page
; is no longer part of any region: the fault is not a legal page fault,
; and the kernel kills the program with status 139 (SIGSEGV), naming
; the address (the old heap's first page) and the pc of the store.
; Compare sbrk.s, which stays within its break.

        .include "lib/sys.inc"          ; SYS_EXIT, SYS_WRITE, STDOUT, ...
        .equ    GROW, 8192              ; 2 pages

start:  mov     #SYS_SBRK, r0           ; r6 = sbrk(GROW) = the old break,
        mov     #GROW, r1               ; the first byte of the new pages
        sys
        mov     r0, r6
        mov     #1, (r6)                ; both pages are the heap's now
        mov     #2, 4096(r6)
        mov     #SYS_WRITE, r0
        mov     #STDOUT, r1
        mov     #l_grown, r2
        mov     #GROWNLEN, r3
        sys

        mov     #SYS_SBRK, r0           ; give them back
        mov     #-GROW, r1
        sys
        mov     #SYS_WRITE, r0
        mov     #STDOUT, r1
        mov     #l_shrunk, r2
        mov     #SHRUNKLEN, r3
        sys

        mov     #3, (r6)                ; beyond the break: killed here
        mov     #SYS_EXIT, r0           ; never reached
        clr     r1
        sys

        .data
        .equ    GROWNLEN, 45
        .equ    SHRUNKLEN, 45
l_grown:
        .ascii  "grew the heap by two pages and wrote to both\n"
l_shrunk:
        .ascii  "gave them back; now writing to the first one\n"
