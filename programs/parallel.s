; parallel.s - three processes fill and check their own memory at once.
;
; Shows: processes, each in its own address space. Run with no argument,
; the program is the parent: it spawns two copies of itself, each with
; one argument, its number "1" or "2", then does the same work as they
; do, as number 0, and waits for each child in turn. The work: fill an
; array of 8 pages with words that depend on the number, then check them
; all; the result is 10 + the number if every word was right (the number
; alone if not). A child exits with it; the parent prints them all.
;
; The three processes share the CPU (the timer preempts each after a
; time slice) and the memory. Every process's array lies at the same
; virtual address, yet each sees only its own words: the same address
; means a different frame in each address space. Under
;   toyvm run --mem 64K --stats programs/parallel.s
; their pages do not all fit, and the kernel evicts the pages of one to
; make room for another's; the result is the same. The children print
; nothing: the order in which the processes run depends on the memory
; size and the policy, and the output must not.
;
; Why not more children? Page tables stay in memory in toyvm: each
; process holds at least three frames (its page directory and the page
; tables of its text and of its stack) as long as it lives. In 64K (16
; frames) four processes leave too few frames for any of them to run.
;
; spawn finds "parallel.s" in the run's root folder, by default the
; folder of the program toyvm was asked to run, and the kernel assembles
; it reading the files it includes (lib/sys.inc, lib/io.s) from there.

        .include "lib/sys.inc"
        .equ    CHILDREN, 2
        .equ    WORDS, 8192             ; the array: 8 pages
        .equ    BYTES, 32768            ; WORDS * 4
        .equ    MULT, 0x9E3779B1

start:  cmp     r1, #1                  ; argc = 1: the parent
        beq     parent
        mov     4(r2), r0               ; r0 = argv[1], the child's number
        movb    (r0), r6                ; its one digit
        sub     #'0', r6                ; r6 = 1 or 2
        br      child

; ---------------------------------------------------------------------
; The parent: spawn the children, do its own work, then wait for each
; child, in order, and print its status.
; ---------------------------------------------------------------------
parent: mov     #argvs, r6              ; r6 walks the children's argv arrays
        mov     #pids, r7               ; r7 walks the table of their pids
        mov     #CHILDREN, r8
spawn:  mov     #SYS_SPAWN, r0          ; spawn("parallel.s", argv)
        mov     #path, r1
        mov     r6, r2
        sys
        mov     r0, (r7)+               ; the child's pid (or an error)
        add     #8, r6                  ; the next argv: two words
        dec     r8
        bne     spawn

        clr     r6                      ; the parent's own work, number 0
        call    work
        mov     r0, r8
        mov     #l_parent, r1           ; "parent: 10"
        call    putstr
        mov     r8, r1
        call    putint
        call    putnl

        mov     #pids, r7
        mov     #1, r6                  ; r6 = the child's number
reap:   mov     #SYS_WAIT, r0           ; wait(pid): r0 = pid, r1 = status
        mov     (r7)+, r1
        sys
        mov     r1, r8                  ; keep the status
        mov     #l_child, r1            ; "child 1 exited with status 11"
        call    putstr
        mov     r6, r1
        call    putint
        mov     #' ', r1
        call    putchar
        mov     #l_status, r1
        call    putstr
        mov     r8, r1
        call    putint
        call    putnl
        inc     r6
        cmp     r6, #CHILDREN
        ble     reap
        mov     #SYS_EXIT, r0
        clr     r1
        sys

; ---------------------------------------------------------------------
; A child, number r6: check its memory and exit with the verdict.
; ---------------------------------------------------------------------
child:  call    work
        mov     r0, r1
        mov     #SYS_EXIT, r0
        sys

; ---------------------------------------------------------------------
; work: fill the array with word i = i * MULT + r6, then check every
; word. Returns r0 = 10 + r6 if all were right, r6 if not. Changes
; r7-r9 and the flags.
; ---------------------------------------------------------------------
work:   mov     #array, r7
        mov     r6, r8                  ; r8 = the value of word i
        mov     #WORDS, r9
wk_fill:
        mov     r8, (r7)+
        add     #MULT, r8
        dec     r9
        bne     wk_fill
        mov     #array, r7
        mov     r6, r8
        mov     #WORDS, r9
wk_check:
        cmp     (r7)+, r8
        bne     wk_wrong
        add     #MULT, r8
        dec     r9
        bne     wk_check
        add3    r6, #10, r0             ; all right: 10 + number
        ret
wk_wrong:
        mov     r6, r0                  ; a word was wrong: the number
        ret

        .include "lib/io.s"             ; the library's code follows ours

        .data
path:   .asciz  "parallel.s"
one:    .asciz  "1"
two:    .asciz  "2"
l_parent:
        .asciz  "parent: "
l_child:
        .asciz  "child "
l_status:
        .asciz  "exited with status "
        .align  4
argvs:  .word   one, 0                  ; argv of child 1: {"1", end}
        .word   two, 0
pids:   .space  8                       ; CHILDREN words
        .align  4096                    ; the array, on pages of its own
array:  .space  BYTES
