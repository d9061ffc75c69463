; pager/pager.s - a small library for a user-level pager: a process that
; serves the pages of a memory object to other processes that map it
; (docs/extending.md, section 4).
;
; The kernel keeps the mechanism: when a client touches a page of the
; object that is not in memory, it blocks the client and sends the pager
; a request. The pager keeps the policy: what a page holds. This library
; does the work every pager does, and leaves the program one routine,
; its fill routine, that says what page i holds. It
;   1. makes the object (pager_create), whose descriptor fork and exec
;      keep;
;   2. starts the client: forks, and the child execs the client's
;      program with the arguments "-fd N", N the object's descriptor;
;   3. serves the requests one by one (pager_recv):
;      - a page-in of page i: it calls the fill routine to make page i
;        in its buffer, and answers with pager_supply, which copies the
;        buffer into the frame the kernel set aside and wakes the client;
;      - a page-out of page i: the kernel evicted the page, dirty (a
;        client wrote to it), and its 4096 bytes are in the buffer: the
;        library keeps them, and supplies them, not a page made afresh,
;        at the next page-in of page i, or the write would be lost;
;      - done: no other process maps the object or holds its descriptor
;        any more: it waits for its child and exits with its status.
;
; Include it after the program's code (it includes lib/sys.inc and
; lib/io.s itself; a second .include of a file does nothing):
;         .include "pager.s"              ; from programs/pager/
; It defines PAGE, a page's size (4096 bytes), for the program too.
;
; Entry points, reached with CALL. Like lib/io.s, each takes its
; arguments in r1 and r2 (pager_cannot a third in r3). None returns an
; error: a system call that fails ends the program with pager_fail.
;
;   pager_object r1 = the object's size in pages, r2 = the pager's name
;                ("numpager"), for its messages. Makes the object, and
;                returns its descriptor in r0. It keeps the other
;                registers. Call it first, once.
;   pager_spawn  r1 = the client's path ("mapsum.s"). Forks; the child
;                execs the client with "-fd N", and if that fails, writes
;                so (pager_cannot) and exits with status 1. Returns in
;                the parent, with the child's pid in r0; it keeps the
;                other registers.
;   pager_serve  r1 = the fill routine. Serves the requests until no
;                client is left, then waits for a child (any: the
;                pager's client) and exits with its status. It does not
;                return.
;   pager_fail   r1 = an error: "NAME: -N" on standard error, NAME the
;                pager's name and N the error, and exit(1).
;   pager_cannot r1 = a verb ("open"), r2 = a path, r3 = an error: on
;                standard error "NAME: cannot open PATH: -N", and a hint:
;                paths are inside the run's root folder, which must be
;                programs/ for a pager of programs/pager/ to name its
;                client and its files; then exit(1).
;
; A fill routine is called by pager_serve with r1 = a buffer of PAGE
; bytes and r2 = the page's index (0 for the first page). It fills the
; buffer with page i and returns with RET. It may change r0 to r5, and
; must keep the other registers.
;
; Where the library keeps the pages paged out: it asks for room with
; sbrk, PAGE bytes for each page of the object and then a byte for each
; (1 once the page's bytes are kept). That memory is ordinary memory,
; which the kernel pages like any other; a page of it that the library
; never writes is never touched, and costs no frame.

        .include "../lib/sys.inc"
        .equ    PAGE, 4096

; ---------------------------------------------------------------------
; pager_object: r1 = the pages, r2 = the name; r0 = the descriptor.
; ---------------------------------------------------------------------
pager_object:
        push    r1
        mov     r2, pager.name
        mov     #SYS_PAGER_CREATE, r0   ; pager_create(pages) -> fd
        sys
        tst     r0
        blt     pager.fail
        mov     r0, pager.fd
        mul3    r1, #PAGE, r0           ; the kept pages, then their bytes:
        mov     r0, pager.kept          ; r0 = where the bytes start,
        add     r0, r1                  ; r1 = pages * (PAGE + 1)
        mov     #SYS_SBRK, r0           ; sbrk(r1) -> the old break: the
        sys                             ; room starts there
        tst     r0
        blt     pager.fail
        mov     r0, pager.store
        add     r0, pager.kept          ; kept[i] at store + pages * PAGE
        mov     pager.fd, r0
        pop     r1
        ret

; ---------------------------------------------------------------------
; pager_spawn: r1 = the client's path; r0 = the child's pid.
; ---------------------------------------------------------------------
pager_spawn:
        push    r2
        push    r3
        mov     pager.fd, r2            ; N in decimal: the digits, last
        mov     #pager.digits+12, r3    ; first, stored down from the end
        movb    #0, -(r3)               ; of pager.digits, NUL first
pager_spawn.digit:
        mov     r2, r0
        mod     #10, r0                 ; the last digit
        add     #'0', r0
        movb    r0, -(r3)
        div     #10, r2                 ; drop it
        bne     pager_spawn.digit
        mov     r3, pager.argn          ; the client's argv: "-fd", N
        mov     #SYS_FORK, r0
        sys
        tst     r0
        blt     pager.fail
        beq     pager_spawn.child
        pop     r3
        pop     r2
        ret

; The child: exec(path, {"-fd", N}). It does not return if it works: the
; client keeps the descriptor, and the pager's memory goes.
pager_spawn.child:
        mov     #SYS_EXEC, r0
        mov     #pager.argv, r2
        sys
        mov     r1, r2                  ; it failed: pager_cannot("exec",
        mov     r0, r3                  ; path, the error)
        mov     #pager.l_exec, r1
        call    pager_cannot

; ---------------------------------------------------------------------
; pager_serve: r1 = the fill routine. It does not return.
; ---------------------------------------------------------------------
pager_serve:
        mov     r1, r6                  ; r6 = the fill routine
pager_serve.next:
        mov     #SYS_PAGER_RECV, r0     ; pager_recv(fd, buf) -> the kind,
        mov     pager.fd, r1            ; with the page's index in r1
        mov     #pager.buf, r2
        sys
        tst     r0
        blt     pager.fail
        beq     pager_serve.done        ; PAGER_DONE
        mov     r1, r7                  ; r7 = the page's index i
        mul3    r7, #PAGE, r8           ; r8 = its kept copy: store + i*PAGE
        add     pager.store, r8
        add3    pager.kept, r7, r9      ; r9 = kept[i]
        cmp     r0, #PAGER_PAGEOUT
        beq     pager_serve.out

; A page-in: the bytes kept from a page-out if there are some, else the
; page the fill routine makes in the buffer.
        cmpb    (r9), #0
        bne     pager_serve.supply
        mov     #pager.buf, r1          ; fill(buf, i)
        mov     r7, r2
        call    (r6)
        mov     #pager.buf, r8
pager_serve.supply:
        mov     #SYS_PAGER_SUPPLY, r0   ; pager_supply(fd, i, r8)
        mov     pager.fd, r1
        mov     r7, r2
        mov     r8, r3
        sys
        tst     r0
        blt     pager.fail
        br      pager_serve.next

; A page-out: keep the page's bytes, from the buffer, for its next
; page-in: movc(PAGE, buf, the kept copy).
pager_serve.out:
        mov     #PAGE, r1
        mov     #pager.buf, r2
        mov     r8, r3
        movc    r1, r2, r3
        movb    #1, (r9)
        br      pager_serve.next

; Done: wait for the child, and exit with its status.
pager_serve.done:
        mov     #SYS_WAIT, r0           ; wait(any child) -> pid, with its
        mov     #ANY_CHILD, r1          ; status in r1
        sys
        tst     r0
        blt     pager.fail
        call    exit                    ; exit(its status)

; ---------------------------------------------------------------------
; pager_fail: r1 = an error: "NAME: -N", exit(1). pager.fail: the same,
; with the error in r0, for a system call that failed.
; ---------------------------------------------------------------------
pager.fail:
        mov     r0, r1
pager_fail:
        mov     r1, r2                  ; the name, then die(": ", error)
        mov     #STDERR, outfd
        mov     pager.name, r1
        call    putstr
        mov     #pager.l_colon, r1
        call    die

; ---------------------------------------------------------------------
; pager_cannot: r1 = a verb, r2 = a path, r3 = an error:
;   NAME: cannot VERB PATH: -N
;   NAME: paths are inside the run's root: toyvm run --root programs
;         programs/pager/NAME.s                 (on one line)
; and exit(1).
; ---------------------------------------------------------------------
pager_cannot:
        mov     r1, r4                  ; r4 = the verb
        mov     #STDERR, outfd
        mov     pager.name, r1          ; "NAME: cannot VERB PATH: "
        call    putstr
        mov     #pager.l_cannot, r1
        call    putstr
        mov     r4, r1
        call    putstr
        mov     #' ', r1
        call    putchar
        mov     r2, r1
        call    putstr
        mov     #pager.l_colon, r1
        call    putstr
        mov     r3, r1                  ; "-N"
        call    putint
        call    putnl
        mov     pager.name, r1          ; the hint
        call    putstr
        mov     #pager.l_hint, r1
        call    putstr
        mov     pager.name, r1
        call    putstr
        mov     #pager.l_hint2, r1
        call    putstr
        mov     #1, r1                  ; exit(1)
        call    exit

        .include "../lib/io.s"

        .data
pager.name:
        .word   0                       ; the pager's name, for messages
pager.fd:
        .word   0                       ; the object's descriptor
pager.store:
        .word   0                       ; the kept pages: page i at i*PAGE
pager.kept:
        .word   0                       ; kept[i] = 1: page i is kept
pager.argv:
        .word   pager.l_fd              ; the client's arguments after
pager.argn:                             ; its path: "-fd", N
        .word   0, 0
pager.l_fd:
        .asciz  "-fd"
pager.digits:
        .space  12                      ; N, at its end
pager.l_exec:
        .asciz  "exec"
pager.l_colon:
        .asciz  ": "
pager.l_cannot:
        .asciz  ": cannot "
pager.l_hint:
        .asciz  ": paths are inside the run's root: toyvm run --root programs programs/pager/"
pager.l_hint2:
        .asciz  ".s\n"
        .align  4
pager.buf:
        .space  PAGE                    ; a page made, or paged out
