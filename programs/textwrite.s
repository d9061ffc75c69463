; textwrite.s - a program that writes over its own code: killed.
;
; Shows: the text pages are mapped read-only (their PTEs have W clear), so
; code cannot be overwritten by accident. The store "mov #0, start" is
; legal as an instruction (a bare label is mode 7, absolute), but the MMU
; finds the page valid and not writable and raises a PROTECTION fault
; (write access, user mode, fault_addr = the address of start, 0x1000).
; The kernel kills the process with status 128 + 11 = 139 and prints one
; line on standard error. "survived" is never printed.

        .include "lib/sys.inc"          ; SYS_EXIT, SYS_WRITE, STDOUT, ...
        .equ    MSGLEN, 25              ; 24 characters + newline

start:  mov     #SYS_WRITE, r0
        mov     #STDOUT, r1
        mov     #before, r2
        mov     #MSGLEN, r3
        sys
        mov     #0, start               ; write a word over the first instruction
        mov     #SYS_WRITE, r0          ; never reached
        mov     #STDOUT, r1
        mov     #after, r2
        mov     #9, r3
        sys
        mov     #SYS_EXIT, r0
        clr     r1
        sys

        .data
before: .ascii  "writing over my own code\n"
after:  .ascii  "survived\n"
