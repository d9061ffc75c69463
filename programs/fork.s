; fork.s - a tree of processes made by fork, printed in a fixed order.
;
; Shows: fork and wait. fork makes a child that is a copy of its parent:
; the same code, the same registers, a copy of every page of data and
; stack. Both go on from the instruction after the SYS; the only
; difference between them is fork's result in r0: the child's pid in the
; parent, 0 in the child.
;
; Each process has a name, its path in the tree: the first process is
; "r", its children "r0" and "r1", theirs "r00", "r01", "r10", "r11".
; The name is a string in the data section. A child adds its digit to
; the name it inherited: its store lands in its own copy of the page
; (copy-on-write, programs/cow.s), so its parent's name stays as it was.
;
; Every process prints its name and pid, indented two spaces a level. A
; process above the bottom level forks one child, WAITS for it, and only
; then forks the next: at any time a single process is running and the
; others wait for their children, so the lines come out in the same
; order on every run, whatever the scheduler does. A process exits with
; the number of processes in its part of the tree, itself included: a
; leaf with 1, the others with 1 + their children's statuses, which wait
; returns in r1. So the first process counts the whole tree: 7.
;   toyvm run programs/fork.s
; begins
;   r: pid 1
;     r0: pid 2, fork returned 0
;       r00: pid 3, fork returned 0
;     r0: fork returned 3, wait returned 3 with status 1
; and ends "r: 7 processes in the tree". Watch the kernel at work with
;   toyvm run --trace sched programs/fork.s    ("pid 1: forks pid 2", ...)
;   toyvm run --stats programs/fork.s          (forks, cow_copies, ...)

        .include "lib/sys.inc"
        .equ    DEPTH, 2                ; levels of children below "r"

start:  clr     r5                      ; r5 = 0: the first process
node:   call    indent                  ; every process starts here:
        mov     #name, r1               ; "NAME: pid N", and for a child
        call    putstr
        mov     #l_pid, r1              ; (r5 = 1) ", fork returned 0"
        call    putstr
        mov     #SYS_GETPID, r0
        sys
        mov     r0, r1
        call    putint
        tst     r5
        beq     node.nl
        mov     #l_zero, r1
        call    putstr
node.nl:
        call    putnl
        cmp     depth, #DEPTH
        bge     leaf                    ; the bottom level: no children

        mov     #1, r9                  ; r9 = processes counted: itself
        clr     r8                      ; r8 = the child's digit, 0 then 1
kid:    mov     #SYS_FORK, r0
        sys
        tst     r0
        blt     fail                    ; no child was made
        beq     child                   ; 0: this is the child
        mov     r0, r10                 ; the parent: r10 = the child's pid
        mov     #SYS_WAIT, r0           ; wait(pid): r0 = pid, r1 = status
        mov     r10, r1
        sys
        mov     r0, r11                 ; r11 = the pid wait returned
        mov     r1, r12                 ; r12 = the child's exit status
        add     r12, r9                 ; count the child's part of the tree
        call    indent                  ; "NAME: fork returned P, wait
        mov     #name, r1               ;  returned P with status S"
        call    putstr
        mov     #l_forked, r1
        call    putstr
        mov     r10, r1
        call    putint
        mov     #l_waited, r1
        call    putstr
        mov     r11, r1
        call    putint
        mov     #l_status, r1
        call    putstr
        mov     r12, r1
        call    putint
        call    putnl
        inc     r8
        cmp     r8, #2
        blt     kid                     ; the second child, once the first
                                        ; has exited
        tst     depth
        bne     done                    ; the first process alone sums up
        mov     #name, r1               ; "r: 7 processes in the tree"
        call    putstr
        mov     #l_colon, r1
        call    putstr
        mov     r9, r1
        call    putint
        mov     #l_total, r1
        call    putstr
        clr     r1                      ; exit(0)
        call    exit
done:   mov     r9, r1                  ; exit(processes in this subtree)
        call    exit
leaf:   mov     #1, r1                  ; exit(1): itself alone
        call    exit

; child: fork returned 0. The registers are the parent's, r8 included:
; add its digit to the name, one level deeper, and start as a node.
child:  mov     depth, r0
        add3    r8, #'0', r1
        movb    r1, name+1(r0)          ; after "r" and the parent's digits
        inc     depth                   ; (the next byte is still the NUL)
        mov     #1, r5                  ; r5 = 1: a child
        br      node

; indent: two spaces for each level below "r". Keeps every register
; but r0, as the library's routines do.
indent: push    r1
        push    r2
        mov     depth, r2
        mov     #' ', r1
indent.level:
        dec     r2
        blt     indent.done             ; DEC sets N once r2 goes below 0
        call    putchar
        call    putchar
        br      indent.level
indent.done:
        pop     r2
        pop     r1
        ret

; fail: "fork: -N" on standard error, N fork's error (EAGAIN, ENOMEM).
fail:   mov     r0, r2                  ; die("fork: ", the error)
        mov     #l_fail, r1
        call    die

        .include "lib/io.s"             ; the library's code follows ours

        .data
depth:  .word   0                       ; this process's level: 0 for "r"
name:   .asciz  "r"                     ; this process's name...
        .space  DEPTH                   ; ... with room for DEPTH digits
l_pid:  .asciz  ": pid "
l_zero: .asciz  ", fork returned 0"
l_forked:
        .asciz  ": fork returned "
l_waited:
        .asciz  ", wait returned "
l_status:
        .asciz  " with status "
l_colon:
        .asciz  ": "
l_total:
        .asciz  " processes in the tree\n"
l_fail: .asciz  "fork: "
