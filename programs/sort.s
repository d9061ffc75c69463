; sort.s - insertion sort of a .word array of 16 signed numbers.
;
; Shows: signed comparisons (CMP then BLE), displacement mode -4(r8),
; auto-decrement used as a source: "mov -(r8), 4(r8)" steps r8 down
; BEFORE the destination 4(r8) is evaluated (operands are evaluated left
; to right), so one instruction moves a[j] up into a[j+1].
; It prints the array before and after sorting.

        .include "lib/sys.inc"

start:  mov     #before, r1
        call    putstr
        call    print
        call    sort
        mov     #after, r1
        call    putstr
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
        call    putint
        mov     #' ', r1
        cmp     r6, #arrend             ; was that the last one?
        bne     p_put
        mov     #'\n', r1               ; yes: end the line instead
p_put:  call    putchar
        cmp     r6, #arrend
        bne     p_loop
        ret

        .include "lib/io.s"             ; the library's code follows ours

        .data
array:  .word   31, -4, 17, 0, -25, 8, 99, 3
        .word   -1, 42, 17, -100, 64, 5, 1000000, -7
arrend:                                 ; just past the last element
before: .asciz  "before: "
after:  .asciz  "after:  "
