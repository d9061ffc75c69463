; libos/template.s - every page of a range starts as a copy of a template.
;
; Shows: a library OS that decides what a new page holds (libos.s, with
; its fill routine libos_copy). The program builds a template page - a
; line of text, then the words 3j+1 - and makes a self-paged range of
; PAGES pages whose pages each start as a copy of it: the first touch of
; a page is upcalled, and the handler copies the template (one MOVC) into
; the frame it installs there. The kernel never sees the template: the
; policy (what a page holds) is the program's. The program reads the
; range twice and checks every page against the template, word by word,
; then prints the line that begins the last page.
;   toyvm run --stats programs/libos/template.s
;       32 upcalls, one copy for each page.
;   toyvm run --stats --mem 64K programs/libos/template.s
;       the process holds few frames: each pass copies every page again,
;       into frames the library frees first-in first-out.
;   toyvm run --trace faults programs/libos/template.s
;       "upcall to ... (address 0x40002000, access 0)" for each page.

        .include "../lib/sys.inc"
        .equ    PAGES, 32
        .equ    LENGTH, 131072          ; PAGES pages of 4096 bytes
        .equ    WORDS, 1024             ; words in a page
        .equ    PASSES, 2

; The template: the words 3j+1 (j = 0 to WORDS-1), and the line over its
; first bytes.
start:  mov     #template, r2
        clr     r3
tmpl:   mul3    r3, #3, r0
        inc     r0
        mov     r0, (r2)+
        inc     r3
        cmp     r3, #WORDS
        blt     tmpl
        mov     #line_end-line, r1      ; movc(the line's length, the line,
        mov     #line, r2               ;      the template)
        mov     #template, r3
        movc    r1, r2, r3

        mov     #template, libos_template
        mov     #LENGTH, r1             ; libos_init(LENGTH, libos_copy)
        mov     #libos_copy, r2
        call    libos_init
        tst     r0
        blt     fail
        mov     r0, r7                  ; r7 = the range

        clr     r9                      ; r9 = the pages equal to the template
        clr     r10                     ; r10 = the pass
pass:   mov     r7, r2                  ; r2 walks the range
        clr     r8                      ; r8 = the page's index
page:   mov     #template, r3           ; r3 walks the template
        mov     #WORDS, r4
        mov     #1, r5                  ; r5 = 1 while the page is equal
word:   cmp     (r2)+, (r3)+            ; the first word of a page faults
        beq     word.same
        clr     r5
word.same:
        dec     r4
        bne     word
        add     r5, r9
        inc     r8
        cmp     r8, #PAGES
        blt     page
        inc     r10
        cmp     r10, #PASSES
        blt     pass

        mov     #l_pages, r1            ; "pages: 32, read 2 times"
        call    putstr
        mov     #PAGES, r1
        call    putuint
        mov     #l_times, r1
        call    putstr
        mov     #PASSES, r1
        call    putuint
        mov     #l_times2, r1
        call    putstr
        mov     #l_equal, r1            ; "copies of the template: 64 of 64"
        call    putstr
        mov     r9, r1
        call    putuint
        mov     #l_of, r1
        call    putstr
        mul3    r10, #PAGES, r1
        call    putuint
        call    putnl
        mov     #l_last, r1             ; "the last page begins: " and its
        call    putstr                  ; line, copied out of the range
        mov     #line_end-line, r1      ; first (a system call is given no
        add3    r7, #LENGTH-4096, r2    ; pointer into the range: it could
        mov     #copy, r3               ; lose its frame meanwhile, EFAULT)
        movc    r1, r2, r3
        mov     #copy, r1
        call    putstr
        clr     r1                      ; exit(0)
        call    exit

; fail: "template: -N" on standard error, N libos_init's error; exit(1).
fail:   mov     r0, r2                  ; die("template: ", the error)
        mov     #l_me, r1
        call    die

        .include "libos.s"              ; the library OS, and lib/io.s
        .include "../lib/io.s"          ; (included once: this does nothing)

        .data
line:   .asciz  "a copy of the template page\n"
line_end:
l_pages:
        .asciz  "pages: "
l_times:
        .asciz  ", read "
l_times2:
        .asciz  " times\n"
l_equal:
        .asciz  "copies of the template: "
l_of:   .asciz  " of "
l_last: .asciz  "the last page begins: "
l_me:   .asciz  "template: "
copy:   .space  32                      ; the line, copied back out
        .align  4
template:
        .space  4096                    ; the template page, built at start
