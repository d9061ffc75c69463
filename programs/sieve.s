; sieve.s - the primes below 200, by the sieve of Eratosthenes.
;
; Shows: a byte array made with .space (zero bytes), indexed with the
; displacement mode "sieve(r6)": the label is the 32-bit displacement and
; the register the index, so the address is sieve + r6. MOVB and CMPB
; touch one byte; MUL3 computes i*i.
; Prints every prime below 200, one per line (46 lines).

        .equ    SYS_EXIT, 1
        .equ    SYS_WRITE, 2
        .equ    STDOUT, 1
        .equ    LIMIT, 200

start:  mov     #2, r6                  ; r6 = i, the candidate
s_next: cmp     r6, #LIMIT
        bge     s_done
        cmpb    sieve(r6), #0           ; byte i: 0 = still possibly prime
        bne     s_skip                  ; 1 = crossed out earlier
        mov     r6, r1                  ; i is prime: print it
        mov     #'\n', r2
        call    putnum
        mul3    r6, r6, r7              ; cross out i*i, i*i+i, ...
s_mark: cmp     r7, #LIMIT              ; (smaller multiples of i were
        bge     s_skip                  ;  crossed out by smaller primes)
        movb    #1, sieve(r7)
        add     r6, r7
        br      s_mark
s_skip: inc     r6
        br      s_next
s_done: mov     #SYS_EXIT, r0
        clr     r1
        sys

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
sieve:  .space  LIMIT                   ; one byte per number 0..199, all 0
numbuf: .space  12                      ; sign, 10 digits, separator
numend:
