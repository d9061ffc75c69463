; wild.s - a store through a null pointer: the kernel kills the program.
;
; Shows: page 0 is never mapped, so that a null pointer is caught. The
; store "mov #1, (r6)" with r6 = 0 misses the TLB; the page walk finds no
; valid mapping for virtual page 0 and the MMU raises an INVALID fault
; (write access, user mode, fault_addr 0). No region of the process
; covers address 0, so this is not a page fault the kernel can serve: it
; kills the process with status 128 + 11 = 139 (SIGSEGV on Unix) and
; prints one line on standard error. "survived" is never printed.

        .include "lib/sys.inc"          ; SYS_EXIT, SYS_WRITE, STDOUT, ...

start:  mov     #SYS_WRITE, r0
        mov     #STDOUT, r1
        mov     #before, r2
        mov     #21, r3                 ; 20 characters + newline
        sys
        clr     r6                      ; a null pointer
        mov     #1, (r6)                ; write to address 0: INVALID fault
        mov     #SYS_WRITE, r0          ; never reached
        mov     #STDOUT, r1
        mov     #after, r2
        mov     #9, r3
        sys
        mov     #SYS_EXIT, r0
        clr     r1
        sys

        .data
before: .ascii  "storing to address 0\n"
after:  .ascii  "survived\n"
