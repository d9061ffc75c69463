; sieve.s - the primes below 200, by the sieve of Eratosthenes.
;
; Shows: a byte array made with .space (zero bytes), indexed with the
; displacement mode "sieve(r6)": the label is the 32-bit displacement and
; the register the index, so the address is sieve + r6. MOVB and CMPB
; touch one byte; MUL3 computes i*i.
; Prints every prime below 200, one per line (46 lines).

        .include "lib/sys.inc"
        .equ    LIMIT, 200

start:  mov     #2, r6                  ; r6 = i, the candidate
s_next: cmp     r6, #LIMIT
        bge     s_done
        cmpb    sieve(r6), #0           ; byte i: 0 = still possibly prime
        bne     s_skip                  ; 1 = crossed out earlier
        mov     r6, r1                  ; i is prime: print it
        call    putint
        call    putnl
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

        .include "lib/io.s"             ; the library's code follows ours

        .data
sieve:  .space  LIMIT                   ; one byte per number 0..199, all 0
