; strings.s - byte instructions on NUL-terminated strings.
;
; Shows: MOVB and CMPB, which move and compare ONE byte and step (rN)+
; and -(rN) by 1 instead of 4; MOVB into a register zero-extends the
; byte. Three small routines: strlen, reverse (in place, with one pointer
; walking up and one walking down) and strcmp (-1, 0 or 1, comparing the
; bytes as unsigned numbers with BLO/BHI, as C's strcmp does).

        .include "lib/sys.inc"

start:  mov     #l_text, r1             ; "text: virtual memory"
        call    putstr
        mov     #text, r1
        call    putstr
        call    putnl

        mov     #l_len, r1              ; "length: 14"
        call    putstr
        mov     #text, r1
        call    strlen
        mov     r0, r1
        call    putint
        call    putnl

        mov     #text, r1               ; "reversed: yromem lautriv"
        call    reverse
        mov     #l_rev, r1
        call    putstr
        mov     #text, r1
        call    putstr
        call    putnl

        mov     #pairs, r6              ; r6 walks the table of pairs
c_loop: mov     #l_cmp, r1              ; "compare A B: result"
        call    putstr
        mov     (r6), r1
        call    putstr
        mov     #' ', r1
        call    putchar
        mov     4(r6), r1
        call    putstr
        mov     #colon, r1
        call    putstr
        mov     (r6)+, r1               ; the pair's two string addresses
        mov     (r6)+, r2
        call    strcmp
        mov     r0, r1
        call    putint
        call    putnl
        cmp     r6, #pairsend
        bne     c_loop

        mov     #SYS_EXIT, r0
        clr     r1
        sys

; ---------------------------------------------------------------------
; strlen: r0 = the length of the string at r1 (NUL excluded).
; ---------------------------------------------------------------------
strlen: mov     r1, r0
sl_loop:
        cmpb    (r0)+, #0               ; look at a byte, step r0 by 1
        bne     sl_loop                 ; r0 ends one past the NUL
        sub     r1, r0                  ; r0 = length + 1
        dec     r0
        ret

; ---------------------------------------------------------------------
; reverse: reverse the string at r1 in place. Changes r2-r4.
; r2 walks up from the first byte, r3 walks down from the NUL.
; ---------------------------------------------------------------------
reverse:
        mov     r1, r2
        mov     r1, r3
rv_end: cmpb    (r3)+, #0               ; find the end
        bne     rv_end
        dec     r3                      ; r3 = address of the NUL
rv_loop:
        movb    -(r3), r4               ; step r3 down to the right byte
        cmp     r2, r3                  ; the pointers met or crossed?
        bhs     rv_done
        movb    (r2), (r3)              ; right byte = left byte
        movb    r4, (r2)+               ; left byte = old right byte
        br      rv_loop
rv_done:
        ret

; ---------------------------------------------------------------------
; strcmp: compare the strings at r1 and r2; r0 = -1 if the first sorts
; before the second, 0 if they are equal, 1 if it sorts after.
; CMPB a, b sets the flags of the 8-bit a - b: C is set when a < b as
; unsigned bytes, so BLO and BHI compare characters 0..255.
; ---------------------------------------------------------------------
strcmp: cmpb    (r1), (r2)+             ; a[i] against b[i]
        blo     sc_less
        bhi     sc_more
        cmpb    (r1)+, #0               ; equal: and both the NUL?
        bne     strcmp
        clr     r0
        ret
sc_less:
        mov     #-1, r0
        ret
sc_more:
        mov     #1, r0
        ret

        .include "lib/io.s"             ; the library's code follows ours

        .data
text:   .asciz  "virtual memory"        ; reversed in place, so in .data
l_text: .asciz  "text: "
l_len:  .asciz  "length: "
l_rev:  .asciz  "reversed: "
l_cmp:  .asciz  "compare "
colon:  .asciz  ": "
apple:  .asciz  "apple"
apple2: .asciz  "apple"                 ; equal to apple, at another address
apply:  .asciz  "apply"
app:    .asciz  "app"
        .align  4
pairs:  .word   apple, apply            ; 'e' < 'y'
        .word   apply, apple
        .word   apple, apple2
        .word   app, apple              ; the NUL (0) < 'l'
pairsend:
