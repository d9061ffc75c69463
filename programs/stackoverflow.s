; stackoverflow.s - a recursion with no end, stopped at the stack's limit.
;
; Shows: the stack grows on demand, but only so far. Each call of dive
; pushes a 256-byte frame (the return address and 252 bytes below it)
; and calls itself again, forever. Every 16 calls sp enters a new page
; and the kernel grows the stack, until sp reaches 0x7ff00000, 1 MiB
; below the top of the stack (0x80000000). The next push, of the return
; address at 0x7feffffc, is not within the stack's reach: no region covers
; it, the fault is not a legal page fault, and the kernel kills the
; program with status 139 (SIGSEGV), printing one line on standard
; error that says the stack overflowed, with the address and the pc of
; the CALL:
;   toyvm run programs/stackoverflow.s; echo $?
;
; The program first rounds sp down to a page boundary (0x7ffff000), so
; that the frames, and the address of the fatal push, do not depend on
; how long the program's arguments are (they sit above sp at entry).

        .include "lib/sys.inc"          ; SYS_EXIT, SYS_WRITE, STDOUT, ...
        .equ    FRAME, 252              ; the frame's bytes below the return address

start:  and     #-4096, sp              ; sp = the page boundary at or below it
        mov     #SYS_WRITE, r0          ; say what is about to happen
        mov     #STDOUT, r1
        mov     #msg, r2
        mov     #MSGLEN, r3
        sys
        clr     r6                      ; r6 = the depth reached
        call    dive
        mov     #SYS_EXIT, r0           ; never reached
        clr     r1
        sys

; ---------------------------------------------------------------------
; dive: take a frame, write the depth into it, and call itself again.
; ---------------------------------------------------------------------
dive:   sub     #FRAME, sp
        inc     r6
        mov     r6, (sp)                ; a store into the new frame
        call    dive                    ; pushes the return address: 256 bytes
        ret                             ; a frame in all; never reached

        .data
        .equ    MSGLEN, 50
msg:    .ascii  "recursing until the stack reaches its 1 MiB limit\n"
