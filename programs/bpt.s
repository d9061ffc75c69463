; bpt.s - a breakpoint written into the program.
;
; Shows: BPT traps to the kernel. Under `toyvm run`, with no debugger to
; stop, the kernel kills the process (exit status 133, as SIGTRAP would).
; Under `toyvm debug` the session stops just after the bpt, and
; `continue` goes on: try `printf 'continue\nregs\ncontinue\n' | toyvm
; debug programs/bpt.s`.

        .include "lib/sys.inc"          ; SYS_EXIT, SYS_WRITE, STDOUT, ...

start:  mov     #SYS_WRITE, r0
        mov     #STDOUT, r1
        mov     #before, r2
        mov     #7, r3
        sys
        bpt                             ; stop here when debugged
        mov     #SYS_WRITE, r0
        mov     #after, r2
        mov     #6, r3
        sys
        mov     #SYS_EXIT, r0
        clr     r1
        sys

        .data
before: .ascii  "before\n"
after:  .ascii  "after\n"
