; mincore.s - which pages of a mapping are in memory?
;
; Shows: demand paging, seen from the program. mmap gives the program
; four pages of anonymous memory, but nothing is in memory yet: each page
; comes at its first touch (a zero-fill fault). The program touches pages
; 0 and 2, then asks the kernel with mincore(addr, len, vec), which writes
; a byte a page at vec: 1 if the page is present, 0 if touching it would
; fault. It prints the bytes as digits:
;   toyvm run programs/mincore.s            resident: 1010
; and what mincore says of a range with no mapping at all (ENOMEM):
;                                           unmapped: -12
; mincore is the syscall kit's example of a call added end to end
; (kits/syscall/README.md).

        .include "lib/sys.inc"
        .equ    PAGES, 4

start:  mov     #SYS_MMAP, r0           ; mmap(0, 4 pages, read+write,
        clr     r1                      ;      private, anonymous)
        mov     #16384, r2
        mov     #PROT_READ+PROT_WRITE, r3
        mov     #MAP_PRIVATE+MAP_ANONYMOUS, r4
        sys
        tst     r0
        blt     fail
        mov     r0, r7                  ; r7 = the mapping

        mov     #1, (r7)                ; touch page 0
        mov     #1, 8192(r7)            ; and page 2

        mov     #SYS_MINCORE, r0        ; mincore(mapping, 4 pages, vec)
        mov     r7, r1
        mov     #16384, r2
        mov     #vec, r3
        sys
        tst     r0
        blt     fail

        mov     #l_res, r1              ; "resident: " and a digit a page
        call    putstr
        mov     #vec, r5
        mov     #PAGES, r6
digit:  movb    (r5)+, r1
        add     #'0', r1
        call    putchar
        dec     r6
        bne     digit
        call    putnl

        mov     #SYS_MINCORE, r0        ; mincore(0x50000000, 1 page, vec):
        mov     #0x50000000, r1         ; no region there
        mov     #4096, r2
        mov     #vec, r3
        sys
        mov     r0, r6
        mov     #l_unm, r1              ; "unmapped: -12"
        call    putstr
        mov     r6, r1
        call    putint
        call    putnl
        clr     r1                      ; exit(0)
        call    exit

; fail: "mincore: -N" on standard error, N the error in r0; exit(1).
fail:   mov     r0, r2                  ; die("mincore: ", the error)
        mov     #l_me, r1
        call    die

        .include "lib/io.s"

        .data
l_res:  .asciz  "resident: "
l_unm:  .asciz  "unmapped: "
l_me:   .asciz  "mincore: "
vec:    .space  PAGES
