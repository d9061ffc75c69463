; sort.s - insertion sort of a .word array of 16 signed numbers.
;
; Shows: signed comparisons (CMP then BLE), displacement mode -4(r8),
; auto-decrement used as a source: "mov -(r8), 4(r8)" steps r8 down
; BEFORE the destination 4(r8) is evaluated (operands are evaluated left
; to right), so one instruction moves a[j] up into a[j+1].
; It prints the array before and after sorting.

        .equ    SYS_EXIT, 1
        .equ    SYS_WRITE, 2
        .equ    STDOUT, 1

start:  mov     #before, r1
        call    puts
        call    print
        call    sort
        mov     #after, r1
        call    puts
        call    print
        mov     #SYS_EXIT, r0
        clr     r1
        sys

; ---------------------------------------------------------------------
; sort: insertion sort of array..arrend, ascending, signed.
;   for each element from the second on: take it out (the "key"), slide
;   every larger element before it one place up, drop the key in the hole.
; Uses r6 (next element to insert), r7 (the key), r8 (the hole).
; ---------------------------------------------------------------------
sort:   mov     #array+4, r6            ; a[0] alone is already sorted
s_outer:
        cmp     r6, #arrend             ; addresses compare unsigned:
        bhs     s_done                  ; BHS = unsigned >=
        mov     (r6), r7                ; r7 = key
        mov     r6, r8                  ; r8 = the hole, where a[j+1] is
s_inner:
        cmp     r8, #array              ; hole at a[0]: nothing more below
        beq     s_place
        cmp     -4(r8), r7              ; flags of a[j] - key
        ble     s_place                 ; a[j] <= key (signed): stop here
        mov     -(r8), 4(r8)            ; r8 -= 4 first, then a[j+1] = a[j]
        br      s_inner
s_place:
        mov     r7, (r8)                ; the key fills the hole
        add     #4, r6
        br      s_outer
s_done: ret

; ---------------------------------------------------------------------
; print: the array on one line, numbers separated by spaces.
; ---------------------------------------------------------------------
print:  mov     #array, r6
p_loop: mov     (r6)+, r1               ; word mode: (r6)+ steps by 4
        mov     #' ', r2
        cmp     r6, #arrend             ; was that the last one?
        bne     p_put
        mov     #'\n', r2               ; yes: end the line instead
p_put:  call    putnum
        cmp     r6, #arrend
        bne     p_loop
        ret

; ---------------------------------------------------------------------
; puts: write the NUL-terminated string at r1 on standard output.
; Changes r0-r3 and the flags.
; ---------------------------------------------------------------------
puts:   mov     r1, r2                  ; r2 = the start: write's buffer
        mov     r1, r3
ps_len: cmpb    (r3)+, #0               ; CMPB steps r3 by ONE byte
        bne     ps_len                  ; stop after the NUL
        dec     r3                      ; r3 = address of the NUL
        sub     r2, r3                  ; r3 = length (NUL excluded)
        mov     #STDOUT, r1
        mov     #SYS_WRITE, r0
        sys
        ret

; ---------------------------------------------------------------------
; putnum: write the signed number in r1 in decimal, followed by the
; character in r2 (a space or a newline), on standard output.
; Changes r0-r4 and the flags; every other register is kept.
;
; r1 % 10 is the LAST digit, so the digits come out last-first: they are
; stored backwards into numbuf, from its end down, with -(r3) stepping r3
; back one byte each time (MOVB steps by 1, not 4).
; (The most negative number, -2147483648, has no positive twin and is
; printed wrong; none of our programs needs it.)
; ---------------------------------------------------------------------
putnum: mov     #numend, r3             ; r3 = just past the last free byte
        movb    r2, -(r3)               ; the separator goes last
        mov     r1, r4                  ; keep the value: we need its sign later
        bge     pn_digit                ; MOV set N from r1 (and cleared V)
        neg     r1                      ; negative: convert the magnitude
pn_digit:
        mov     r1, r0
        mod     #10, r0                 ; r0 = last digit, 0..9
        add     #'0', r0                ; ... as a character
        movb    r0, -(r3)               ; store it, one byte further down
        div     #10, r1                 ; drop that digit
        bne     pn_digit                ; DIV set Z when nothing is left
        tst     r4
        bge     pn_write
        movb    #'-', -(r3)             ; the sign goes in front
pn_write:
        mov     r3, r2                  ; write(STDOUT, r3, numend - r3)
        mov     #numend, r3
        sub     r2, r3
        mov     #STDOUT, r1
        mov     #SYS_WRITE, r0
        sys
        ret

        .data
array:  .word   31, -4, 17, 0, -25, 8, 99, 3
        .word   -1, 42, 17, -100, 64, 5, 1000000, -7
arrend:                                 ; just past the last element
before: .asciz  "before: "
after:  .asciz  "after:  "
numbuf: .space  12                      ; sign, 10 digits, separator
numend:
