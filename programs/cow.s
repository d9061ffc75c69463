; cow.s - copy-on-write: after fork, parent and child share every page
; until one of them writes it.
;
; Shows: what fork does NOT copy. The parent fills an array of eight
; pages (word i holds i), then forks. The child adds 1000 to every word
; of page 0, reads the seven others, prints what it sees and exits. The
; parent waits for it and prints what IT sees: its words are as they
; were. Then the parent adds 1000 to its own page 0. Each line shows the
; first two words of page 0, then the sum of the words of pages 1 to 7:
;   parent: filled the array:       0 1 | 33026560
;   child:  added 1000 to page 0:   1000 1001 | 33026560
;   parent: the child exited with status 0
;   parent: sees, unchanged:        0 1 | 33026560
;   parent: added 1000 to page 0:   1000 1001 | 33026560
;
; What the kernel does. fork copies no page: the child starts with empty
; page tables, and every page of the parent becomes shared by the two
; processes, with the write permission (W) taken away from each entry
; that maps it. Run with --trace faults to see each step:
;   - The child's first touch of a page is an INVALID fault (it has no
;     entry yet), which the kernel serves with the frame the parent has
;     in memory: "shared page 0x00004000 into frame ...". No copy, no
;     disk: a shared hit. The child only READS pages 1 to 7: they are
;     never copied, the two processes read the same frames.
;   - "add #1000, (r7)+" reads the word, then writes it. The write finds
;     the entry valid and present but without W: a PROTECTION fault.
;     The page's region is writable, so this is no error but a page
;     shared copy-on-write: the kernel takes a new frame, copies the
;     page's 4096 bytes into it, maps the copy writable for the child
;     alone and restarts the instruction: "copy on write 0x00003000 into
;     frame ...". The parent keeps the original. The child's other 1023
;     writes to that page hit its copy, with no fault.
;   - The stack is shared too: the child's first CALL writes it, and the
;     kernel copies that page as well.
;   - Once the child has exited, the parent is the only holder of its
;     pages. Its first write to one is still a PROTECTION fault (the
;     entry has no W), but there is nothing to copy: the kernel gives the
;     entry its W back, "writable again (no other sharer)".
; Counters at the end, on standard error:
;   toyvm run --stats programs/cow.s
; shared_hits (11: the child's first touch of each page, the array's 8,
; the code, the data and the stack), cow_copies (2: the child's page 0
; and stack), cow_reuses (2: the same pages, the parent's; under
; --dirty sw, where the kernel maps every page without W until its first
; write, the parent's two faults count as dirty_faults instead).
; In small memory the two processes' pages do not all fit:
;   toyvm run --mem 64K --trace faults,daemon programs/cow.s
; shows a page of both evicted once ("0x00001000 of pid 1 and 1 more"),
; and a shared page the child reads back from swap.

        .include "lib/sys.inc"
        .equ    WORDS, 8192             ; the array: eight pages of words
        .equ    BYTES, 32768            ; WORDS * 4
        .equ    PAGE, 4096              ; page 1 starts at array + PAGE
        .equ    PAGEWORDS, 1024         ; words in a page

start:  mov     #array, r7              ; fill: word i = i
        clr     r8
fill:   mov     r8, (r7)+
        inc     r8
        cmp     r8, #WORDS
        blt     fill
        mov     #l_filled, r1
        call    show

        mov     #SYS_FORK, r0           ; fork: both go on from here
        sys
        tst     r0
        blt     fail                    ; no child was made
        beq     child                   ; 0: this is the child

        mov     r0, r1                  ; the parent: wait(the child's pid)
        mov     #SYS_WAIT, r0
        sys
        mov     r1, r6                  ; r6 = its exit status
        mov     #l_waited, r1           ; "parent: the child exited with
        call    putstr                  ;  status 0"
        mov     r6, r1
        call    putint
        call    putnl
        mov     #l_sees, r1             ; the parent's words, unchanged
        call    show

        mov     #array, r7              ; now the parent writes page 0,
        mov     #PAGEWORDS, r8          ; which is its alone: W comes back
        call    add1000                 ; without a copy
        mov     #l_parent, r1
        call    show
        clr     r1                      ; exit(0)
        call    exit

; child: add 1000 to each word of page 0 (its first write makes the
; kernel copy the page), then print what it sees (reading pages 1-7).
child:  mov     #array, r7
        mov     #PAGEWORDS, r8
        call    add1000
        mov     #l_child, r1
        call    show
        clr     r1                      ; exit(0)
        call    exit

; add1000: add 1000 to each of r8 words from r7 on. Changes r7 and r8.
add1000:
        add     #1000, (r7)+            ; read, add, then WRITE: the write
        dec     r8                      ; is what faults on a shared page
        bne     add1000
        ret

; show: write the label at r1, then words 0 and 1 of page 0 and the sum
; of pages 1 to 7: "LABEL0 1 | 33026560". Changes r1.
show:   call    putstr
        mov     array, r1               ; the word at array (absolute mode)
        call    putint
        mov     #' ', r1
        call    putchar
        mov     array+4, r1
        call    putint
        mov     #l_bar, r1
        call    putstr
        push    r7
        push    r8
        mov     #array+PAGE, r7         ; r7 walks pages 1 to 7
        clr     r1                      ; r1 = their sum
show.sum:
        add     (r7)+, r1
        cmp     r7, #array+BYTES
        blo     show.sum                ; addresses compare unsigned
        call    putint
        call    putnl
        pop     r8
        pop     r7
        ret

; fail: "fork: -N" on standard error, N fork's error, and exit(1).
fail:   mov     r0, r2                  ; die("fork: ", the error)
        mov     #l_fail, r1
        call    die

        .include "lib/io.s"             ; the library's code follows ours

        .data
l_filled:
        .asciz  "parent: filled the array:       "
l_child:
        .asciz  "child:  added 1000 to page 0:   "
l_waited:
        .asciz  "parent: the child exited with status "
l_sees: .asciz  "parent: sees, unchanged:        "
l_parent:
        .asciz  "parent: added 1000 to page 0:   "
l_bar:  .asciz  " | "
l_fail: .asciz  "fork: "
        .align  4096                    ; the array, on pages of its own
array:  .space  BYTES
