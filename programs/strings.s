; strings.s - byte instructions on NUL-terminated strings.
;
; Shows: MOVB and CMPB, which move and compare ONE byte and step (rN)+
; and -(rN) by 1 instead of 4; MOVB into a register zero-extends the
; byte. Three small routines: strlen, reverse (in place, with one pointer
; walking up and one walking down) and strcmp (-1, 0 or 1, comparing the
; bytes as unsigned numbers with BLO/BHI, as C's strcmp does).

        .equ    SYS_EXIT, 1
        .equ    SYS_WRITE, 2
        .equ    STDOUT, 1

start:  mov     #l_text, r1             ; "text: virtual memory"
        call    puts
        mov     #text, r1
        call    puts
        mov     #nl, r1
        call    puts

        mov     #l_len, r1              ; "length: 14"
        call    puts
        mov     #text, r1
        call    strlen
        mov     r0, r1
        mov     #'\n', r2
        call    putnum

        mov     #text, r1               ; "reversed: yromem lautriv"
        call    reverse
        mov     #l_rev, r1
        call    puts
        mov     #text, r1
        call    puts
        mov     #nl, r1
        call    puts

        mov     #pairs, r6              ; r6 walks the table of pairs
c_loop: mov     #l_cmp, r1              ; "compare A B: result"
        call    puts
        mov     (r6), r1
        call    puts
        mov     #space, r1
        call    puts
        mov     4(r6), r1
        call    puts
        mov     #colon, r1
        call    puts
        mov     (r6)+, r1               ; the pair's two string addresses
        mov     (r6)+, r2
        call    strcmp
        mov     r0, r1
        mov     #'\n', r2
        call    putnum
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
text:   .asciz  "virtual memory"        ; reversed in place, so in .data
l_text: .asciz  "text: "
l_len:  .asciz  "length: "
l_rev:  .asciz  "reversed: "
l_cmp:  .asciz  "compare "
space:  .asciz  " "
colon:  .asciz  ": "
nl:     .asciz  "\n"
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
numbuf: .space  12                      ; sign, 10 digits, separator
numend:
