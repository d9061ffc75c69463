; modes.s - every addressing mode, one at a time.
;
; Shows: the eight modes of a general operand (the high nibble of the
; specifier byte), as sources and as destinations, and how far each one
; steps its register:
;   0 rN      1 (rN)    2 (rN)+   3 -(rN)
;   4 @(rN)+  5 d(rN)   6 #v      7 @a or a bare label
; (rN)+ and -(rN) step by the operand size: 4 for word instructions, 1
; for MOVB and CMPB. @(rN)+ always steps by 4, since rN points at a
; word-sized POINTER whatever size the final operand has.
; Each line prints what one instruction produced.

        .include "lib/sys.inc"

start:
; --- mode 0, register: the operand is the register itself.
        mov     #7, r6
        mov     r6, r5                  ; specifier 0x06, then 0x05
        mov     #m0, r1
        call    show                    ; 7

; --- mode 1, deferred: the register holds the address.
        mov     #table, r6
        mov     (r6), r5                ; r5 = table[0]
        mov     #m1, r1
        call    show                    ; 100

; --- mode 2, auto-increment: use the address, then step the register.
        mov     #table, r6
        mov     (r6)+, r5               ; table[0], r6 += 4
        mov     (r6)+, r5               ; table[1], r6 += 4
        mov     #m2, r1
        call    show                    ; 200
        sub3    r6, #table, r5
        mov     #moved, r1
        call    show                    ; 8

        mov     #bytes, r6
        movb    (r6)+, r5               ; byte 'A', r6 += 1 only
        mov     #m2b, r1
        call    show                    ; 65
        sub3    r6, #bytes, r5
        mov     #moved, r1
        call    show                    ; 1

; --- mode 3, auto-decrement: step the register down, then use it.
        mov     #tabend, r6
        mov     -(r6), r5               ; r6 -= 4, then table[3]
        mov     #m3, r1
        call    show                    ; 400
        sub3    r6, #tabend, r5
        mov     #moved, r1
        call    show                    ; -4

        mov     #bytes+2, r6
        movb    -(r6), r5               ; r6 -= 1, then byte 'B'
        mov     #m3b, r1
        call    show                    ; 66
        sub3    r6, #bytes+2, r5
        mov     #moved, r1
        call    show                    ; -1

; --- mode 4, auto-increment deferred: r6 points at a pointer.
        mov     #ptrs, r6
        mov     @(r6)+, r5              ; word at ptrs[0] = word at table+8
        mov     #m4, r1
        call    show                    ; 300
        sub3    r6, #ptrs, r5
        mov     #moved, r1
        call    show                    ; 4

        mov     #ptrs+4, r6
        movb    @(r6)+, r5              ; byte at ptrs[1] = byte at bytes+1
        mov     #m4b, r1
        call    show                    ; 66 ('B')
        sub3    r6, #ptrs+4, r5
        mov     #moved, r1
        call    show                    ; 4, not 1: it stepped over a pointer

; --- mode 5, displacement: address = register + a 32-bit number.
        mov     #table, r6
        mov     12(r6), r5              ; table[3]
        mov     #m5, r1
        call    show                    ; 400
        mov     #tabend, r6
        mov     -16(r6), r5             ; a negative displacement: table[0]
        mov     #m5n, r1
        call    show                    ; 100
        mov     #4, r6
        mov     table(r6), r5           ; a label as displacement, r6 as index
        mov     #m5l, r1
        call    show                    ; 200

; --- mode 6, immediate: the value follows the specifier.
        mov     #-5, r5
        mov     #m6, r1
        call    show                    ; -5
        movb    #0x1234, r5             ; a byte instruction takes the low byte
        mov     #m6b, r1
        call    show                    ; 0x34 = 52

; --- mode 7, absolute: the address follows the specifier.
        mov     @table+8, r5            ; word at address table+8
        mov     #m7, r1
        call    show                    ; 300
        mov     table, r5               ; a bare label is absolute too
        mov     #m7l, r1
        call    show                    ; 100

; --- as destinations, and the order of evaluation.
        mov     #sink, r6
        mov     #11, (r6)+              ; sink[0] = 11, r6 += 4
        mov     #22, (r6)+              ; sink[1] = 22, r6 += 4
        mov     #33, -(r6)              ; r6 -= 4, sink[1] = 33
        add     #1, -4(r6)              ; sink[0] = 11 + 1 (read, add, write)
        add3    sink, sink+4, r5        ; 12 + 33
        mov     #md, r1
        call    show                    ; 45

        mov     #copy, r6
        mov     (r6)+, (r6)+            ; source copy[0] (r6 += 4), THEN the
        mov     copy+4, r5              ; destination is copy[1]
        mov     #mo, r1
        call    show                    ; 1
        sub3    r6, #copy, r5
        mov     #moved, r1
        call    show                    ; 8: both side effects happened

        mov     #SYS_EXIT, r0
        clr     r1
        sys

; ---------------------------------------------------------------------
; show: write the string at r1, then the number in r5 and a newline,
; with the routines of lib/io.s. Changes r0, r1 and the flags.
; ---------------------------------------------------------------------
show:   call    putstr
        mov     r5, r1
        call    putint
        call    putnl
        ret

        .include "lib/io.s"             ; the library's code follows ours

        .data
table:  .word   100, 200, 300, 400
tabend:
ptrs:   .word   table+8, bytes+1        ; two pointers, for mode 4
sink:   .word   0, 0
copy:   .word   1, 2, 3
bytes:  .ascii  "AB"
m0:     .asciz  "mode 0 mov r6, r5: "
m1:     .asciz  "mode 1 mov (r6), r5: "
m2:     .asciz  "mode 2 mov (r6)+, r5 twice: "
m2b:    .asciz  "mode 2 movb (r6)+, r5: "
m3:     .asciz  "mode 3 mov -(r6), r5: "
m3b:    .asciz  "mode 3 movb -(r6), r5: "
m4:     .asciz  "mode 4 mov @(r6)+, r5: "
m4b:    .asciz  "mode 4 movb @(r6)+, r5: "
m5:     .asciz  "mode 5 mov 12(r6), r5: "
m5n:    .asciz  "mode 5 mov -16(r6), r5: "
m5l:    .asciz  "mode 5 mov table(r6), r5: "
m6:     .asciz  "mode 6 mov #-5, r5: "
m6b:    .asciz  "mode 6 movb #0x1234, r5: "
m7:     .asciz  "mode 7 mov @table+8, r5: "
m7l:    .asciz  "mode 7 mov table, r5: "
md:     .asciz  "destinations: sink[0] + sink[1] = "
mo:     .asciz  "mov (r6)+, (r6)+ made copy[1] = "
moved:  .asciz  "  r6 moved by "
