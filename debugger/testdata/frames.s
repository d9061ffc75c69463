; frames.s: three nested calls, each keeping a frame (push fp; mov sp,
; fp), for the debugger's backtrace.
start:  push    #3
        call    outer
        add     #4, sp
        mov     #1, r0
        clr     r1
        sys
outer:  push    fp
        mov     sp, fp
        push    8(fp)
        call    middle
        add     #4, sp
        pop     fp
        ret
middle: push    fp
        mov     sp, fp
        sub     #8, sp                  ; locals
        call    inner
        mov     fp, sp
        pop     fp
        ret
inner:  push    fp
        mov     sp, fp
        mov     #7, r2
        pop     fp
        ret
