; upcase.s - copy standard input to standard output in capitals, 16
; bytes at a time (the backstep tests replay what it reads; the DAP
; adapter's tests, dap/, give it a file as its input).

        .equ    SYS_EXIT, 1
        .equ    SYS_WRITE, 2
        .equ    SYS_READ, 3
        .equ    STDIN, 0
        .equ    STDOUT, 1
        .equ    CHUNK, 16

start:  mov     #SYS_READ, r0           ; read(STDIN, buf, CHUNK)
        mov     #STDIN, r1
        mov     #buf, r2
        mov     #CHUNK, r3
        sys
        tst     r0
        ble     done                    ; 0: the end of the input
        mov     r0, r5                  ; r5 = count
        mov     #buf, r6                ; r6 walks the buffer
        mov     r0, r7                  ; r7 = bytes left
upper:  movb    (r6), r4
        cmp     r4, #'a'
        blt     next
        cmp     r4, #'z'
        bgt     next
        sub     #32, r4
        movb    r4, (r6)
next:   inc     r6
        dec     r7
        bne     upper
        mov     #SYS_WRITE, r0          ; write(STDOUT, buf, count)
        mov     #STDOUT, r1
        mov     #buf, r2
        mov     r5, r3
        sys
        br      start

done:   mov     #SYS_EXIT, r0
        clr     r1
        sys

        .data
buf:    .space  CHUNK
