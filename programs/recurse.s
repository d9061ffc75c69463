; recurse.s - recursion with CALL, RET and stack frames.
;
; Shows: the calling convention these samples use, and a frame pointer.
;   - the caller pushes the arguments, last one first, then CALLs; CALL
;     pushes the return address; the caller pops the arguments afterwards
;     with "add #4*n, sp";
;   - the callee saves fp and points fp at its frame:
;         push fp             ; fp of the caller
;         mov  sp, fp         ; 0(fp) = old fp, 4(fp) = return address,
;                             ; 8(fp) = first argument, 12(fp) = second
;     and leaves with "mov fp, sp; pop fp; ret";
;   - the result comes back in r0; r0-r4 may be changed by a call,
;     r5-r13 and fp are kept.
; It prints fact(n) for n = 1..12 (12! is the largest that fits in a
; signed 32-bit word) and two values of Ackermann's function, whose
; recursion is deep (ack(3, 3) makes 2432 calls).

        .include "lib/sys.inc"

start:  mov     #1, r6                  ; n
f_loop: mov     #l_fact, r1             ; "fact(n) = n!"
        call    putstr
        mov     r6, r1
        call    putint
        mov     #')', r1                ; close the (
        call    putchar
        mov     #l_eq, r1
        call    putstr
        push    r6                      ; fact(n)
        call    fact
        add     #4, sp                  ; pop the argument
        mov     r0, r1
        call    putint
        call    putnl
        inc     r6
        cmp     r6, #12
        ble     f_loop

        mov     #2, r6                  ; ack(2, 3)
        mov     #3, r7
        call    show_ack
        mov     #3, r6                  ; ack(3, 3)
        mov     #3, r7
        call    show_ack

        mov     #SYS_EXIT, r0
        clr     r1
        sys

; ---------------------------------------------------------------------
; fact(n): r0 = n! for n >= 0, recursively: n * fact(n - 1).
; ---------------------------------------------------------------------
fact:   push    fp                      ; build the frame
        mov     sp, fp
        mov     8(fp), r1               ; r1 = n
        cmp     r1, #1
        bgt     fa_rec
        mov     #1, r0                  ; fact(0) = fact(1) = 1
        br      fa_ret
fa_rec: sub3    r1, #1, -(sp)           ; push n - 1: a push is a store
        call    fact                    ; into -(sp)
        add     #4, sp
        mul     8(fp), r0               ; r0 = fact(n - 1) * n
fa_ret: mov     fp, sp                  ; drop the frame
        pop     fp
        ret

; ---------------------------------------------------------------------
; ack(m, n): Ackermann's function, r0 = ack(8(fp), 12(fp)).
;   ack(0, n) = n + 1
;   ack(m, 0) = ack(m - 1, 1)
;   ack(m, n) = ack(m - 1, ack(m, n - 1))
; ---------------------------------------------------------------------
ack:    push    fp
        mov     sp, fp
        tst     8(fp)                   ; m = 0?
        bne     ak_m
        mov     12(fp), r0              ; n + 1
        inc     r0
        br      ak_ret
ak_m:   tst     12(fp)                  ; n = 0?
        bne     ak_n
        push    #1                      ; ack(m - 1, 1): push n first...
        sub3    8(fp), #1, -(sp)        ; ...then m
        call    ack
        add     #8, sp
        br      ak_ret
ak_n:   sub3    12(fp), #1, -(sp)       ; inner = ack(m, n - 1)
        push    8(fp)
        call    ack
        add     #8, sp
        push    r0                      ; ack(m - 1, inner)
        sub3    8(fp), #1, -(sp)
        call    ack
        add     #8, sp
ak_ret: mov     fp, sp
        pop     fp
        ret

; ---------------------------------------------------------------------
; show_ack: print "ack(r6, r7) = value".
; ---------------------------------------------------------------------
show_ack:
        mov     #l_ack, r1
        call    putstr
        mov     r6, r1
        call    putint
        mov     #',', r1
        call    putchar
        mov     #l_sp, r1
        call    putstr
        mov     r7, r1
        call    putint
        mov     #')', r1
        call    putchar
        mov     #l_eq, r1
        call    putstr
        push    r7                      ; arguments: last first
        push    r6
        call    ack
        add     #8, sp
        mov     r0, r1
        call    putint
        call    putnl
        ret

        .include "lib/io.s"             ; the library's code follows ours

        .data
l_fact: .asciz  "fact("
l_ack:  .asciz  "ack("
l_sp:   .asciz  " "
l_eq:   .asciz  " = "
