; shm.s - two processes pass a message through a shared memory segment.
;
; Shows: shmget, shmat, shmdt, and how shared memory differs from the
; rest of a forked address space. The parent makes a segment (shmget,
; with a key any process may name), maps it (shmat), writes "nothing
; yet" in it, and forks. The child inherits the mapping, at the same
; address. It copies a message into the segment and 42 into a word of
; its data section, detaches and exits. The parent waits for it, then
; reads both: the message is there, because the segment's pages are the
; same frames in both processes; its data word still holds 7, because
; the child's store went to the child's own copy of that page
; (copy-on-write, programs/cow.s).
;   toyvm run programs/shm.s
;   toyvm run --trace faults programs/shm.s
; The trace shows the child's store into the segment served with the
; parent's frame ("shared page 0x40000000 into frame ..."), and nothing
; more: a shared region's pages are writable by all who map them. Its
; store into the data page takes a second fault, a "copy on write".
;
; A segment lives until its last detach: here the parent's, at the end.
; A second shmdt at the same address finds nothing attached there and
; returns EINVAL (-22).

        .include "lib/sys.inc"
        .equ    KEY, 1234               ; the segment's name, for shmget
        .equ    SIZE, 4096              ; its size: one page

start:  mov     #SYS_SHMGET, r0         ; shmget(KEY, SIZE) -> id
        mov     #KEY, r1
        mov     #SIZE, r2
        sys
        tst     r0
        blt     fail
        mov     r0, r6                  ; r6 = the segment's id
        mov     #SYS_SHMAT, r0          ; shmat(id) -> its address
        mov     r6, r1
        sys
        tst     r0                      ; from 0x40000000 up: positive
        blt     fail
        mov     r0, r7                  ; r7 = the segment
        mov     #l_got, r1              ; "parent: shmget gave id 1"
        call    putstr
        mov     r6, r1
        call    putint
        call    putnl
        mov     #nothing, r1            ; copy "nothing yet" into it
        mov     r7, r2
        call    strcpy
        call    holds                   ; "parent: the segment holds: ..."

        mov     #SYS_FORK, r0
        sys
        tst     r0
        blt     fail
        beq     child                   ; 0: this is the child

        mov     r0, r1                  ; the parent: wait(the child's pid)
        mov     #SYS_WAIT, r0
        sys
        call    holds                   ; the child's message
        mov     #l_word, r1             ; "parent: its data word holds 7"
        call    putstr
        mov     word, r1
        call    putint
        call    putnl

        mov     #SYS_SHMDT, r0          ; shmdt(the segment): the last
        mov     r7, r1                  ; detach, so the segment goes
        sys
        mov     r0, r6
        mov     #l_dt, r1               ; "parent: shmdt returned 0"
        call    putstr
        mov     r6, r1
        call    putint
        call    putnl
        mov     #SYS_SHMDT, r0          ; again: nothing is attached there
        mov     r7, r1
        sys
        mov     r0, r6
        mov     #l_again, r1            ; "parent: shmdt again returned -22"
        call    putstr
        mov     r6, r1
        call    putint
        call    putnl
        clr     r1                      ; exit(0)
        call    exit

; child: the same key finds the same segment; copy the message into it
; and 42 into the data word, detach, exit.
child:  mov     #SYS_SHMGET, r0         ; shmget(KEY, SIZE) again
        mov     #KEY, r1
        mov     #SIZE, r2
        sys
        mov     r0, r6
        mov     #l_same, r1             ; "child:  shmget of the same key
        call    putstr                  ;  gave id 1"
        mov     r6, r1
        call    putint
        call    putnl
        mov     #msg, r1                ; copy the message into the
        mov     r7, r2                  ; segment
        call    strcpy
        mov     #42, word               ; and a store to the child's data
        mov     #l_wrote, r1
        call    putstr
        mov     #SYS_SHMDT, r0          ; shmdt(the segment): the parent
        mov     r7, r1                  ; still has it attached, so it
        sys                             ; stays
        clr     r1                      ; exit(0)
        call    exit

; strcpy: copy the string at r1, its NUL too, to r2. Changes r1, r2.
strcpy: movb    (r1)+, (r2)+            ; MOVB sets Z when the byte is 0
        bne     strcpy
        ret

; holds: "parent: the segment holds: " and the string in the segment.
holds:  push    r1
        mov     #l_holds, r1
        call    putstr
        mov     r7, r1                  ; read at the segment's address
        call    putstr
        call    putnl
        pop     r1
        ret

; fail: "shm: -N" on standard error, N the error in r0, and exit(1).
fail:   mov     r0, r2                  ; die("shm: ", the error)
        mov     #l_fail, r1
        call    die

        .include "lib/io.s"             ; the library's code follows ours

        .data
word:   .word   7                       ; a private word: each process's own
nothing:
        .asciz  "nothing yet"
msg:    .asciz  "hello from the child, through shared memory"
l_got:  .asciz  "parent: shmget gave id "
l_same: .asciz  "child:  shmget of the same key gave id "
l_wrote:
        .asciz  "child:  wrote the message into the segment, 42 into its data word\n"
l_holds:
        .asciz  "parent: the segment holds: "
l_word: .asciz  "parent: its data word holds "
l_dt:   .asciz  "parent: shmdt returned "
l_again:
        .asciz  "parent: shmdt again returned "
l_fail: .asciz  "shm: "
