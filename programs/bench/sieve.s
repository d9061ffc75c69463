; bench/sieve.s - a benchmark: the primes below 2,000,000 by the sieve of
; Eratosthenes, counted three times over.
;
; Shows: how fast the machine runs a program that does real work, some
; 107 million instructions over a 2 MB array spread over 489 pages (the
; MMU and the TLB at work, and a demand-zero fault a page on the first
; pass). Each pass clears the array a word at a time with CLR (r10)+,
; then sieves it a byte at a time, as programs/sieve.s does, and prints
; the count of primes: 148933, three times.
;
; Run it:
;
;         toyvm run --stats programs/bench/sieve.s      # instructions, faults
;         go run ./bench                                # MIPS, and the ratio to Go
;
; bench/sieve.go is its twin in Go, the same algorithm on a byte array.

        .include "../lib/sys.inc"
        .equ    LIMIT, 2000000          ; sieve the numbers 0 .. LIMIT-1
        .equ    SQRT, 1414              ; the largest i with i*i < LIMIT
        .equ    WORDS, 500000           ; LIMIT/4, for clearing the array
        .equ    PASSES, 3

start:  mov     #PASSES, r9             ; r9 = passes left
pass:   mov     #sieve, r10             ; clear the array: LIMIT/4 words
        mov     #WORDS, r7 
clear:  clr     (r10)+                  ; a word, 4 bytes, at a time
        dec     r7
        bne     clear

        clr     r8                      ; r8 = the count of primes
        mov     #2, r6                  ; r6 = i, the candidate
next:   cmp     r6, #LIMIT
        bge     done
        cmpb    sieve(r6), #0           ; byte i: 0 = prime, 1 = crossed out
        bne     skip
        inc     r8                      ; i is prime: count it
        cmp     r6, #SQRT               ; past the square root, i*i is
        bgt     skip                    ; beyond the array (and 32 bits)
        mul3    r6, r6, r7              ; cross out i*i, i*i+i, ...
mark:   cmp     r7, #LIMIT
        bge     skip
        movb    #1, sieve(r7)
        add     r6, r7
        br      mark
skip:   inc     r6
        br      next

done:   mov     r8, r1                  ; print the count
        call    putint
        call    putnl
        dec     r9
        bne     pass

        clr     r1                      ; exit(0)
        call    exit

        .include "../lib/io.s"          ; the library's code follows ours

        .data
sieve:  .space  LIMIT                   ; a byte a number; a trailing .space
                                        ; takes no room in the image
