; syscalls.s - system calls that fail, and one that looks as if it might.
;
; Shows: a system call never kills a program for a bad argument. The
; kernel checks every argument and, if one is wrong, returns a NEGATIVE
; number in r0 instead of a result: minus an error number, as on Unix.
; The program decides what to do; here it prints each one.
;
;   write from address 0x10     -> -14 EFAULT (no region holds the buffer:
;                                   the KERNEL checks the pointer, so no
;                                   fault is taken and nobody is killed;
;                                   compare wild.s, which stores there itself)
;   write to fd 9               -> -9  EBADF  (only fd 1 and 2 are open)
;   write of -5 bytes           -> -22 EINVAL (a length is never negative)
;   system call number 99       -> -38 ENOSYS (no such call)
;
; Then a write that SUCCEEDS although its buffer lies across two pages
; that the program has never touched: "crossing" starts 6 bytes before
; the end of the first data page and ends in the second. Neither page is
; in memory yet (pages come in on their first touch), so the kernel,
; copying the buffer, pages each one in as it gets there, exactly as a
; page fault would. A page that is legal but not present is never an
; error; only an address outside every region is.
;   toyvm run --trace faults,syscalls programs/syscalls.s
; shows the two pages coming in during that write.

        .include "lib/sys.inc"

start:  mov     #SYS_WRITE, r0          ; write(STDOUT, 0x10, 4): page 0 is
        mov     #STDOUT, r1             ; never mapped
        mov     #0x10, r2
        mov     #4, r3
        sys
        mov     #l_wild, r1
        call    report                  ; "... -14"

        mov     #SYS_WRITE, r0          ; write(9, l_wild, 4): fd 9 is not
        mov     #9, r1                  ; open
        mov     #l_wild, r2
        mov     #4, r3
        sys
        mov     #l_fd, r1
        call    report                  ; "... -9"

        mov     #SYS_WRITE, r0          ; write(STDOUT, l_wild, -5)
        mov     #STDOUT, r1
        mov     #l_wild, r2
        mov     #-5, r3
        sys
        mov     #l_neg, r1
        call    report                  ; "... -22"

        mov     #99, r0                 ; system call 99 does not exist;
        sys                             ; the program keeps running
        mov     #l_nosys, r1
        call    report                  ; "... -38"

        mov     #SYS_WRITE, r0          ; write(STDOUT, crossing, CROSSLEN):
        mov     #STDOUT, r1             ; two pages paged in by the kernel
        mov     #crossing, r2
        mov     #CROSSLEN, r3
        sys
        mov     #l_cross, r1
        call    report                  ; "... 12": every byte written

        mov     #SYS_EXIT, r0
        clr     r1
        sys

; ---------------------------------------------------------------------
; report: print the label at r1, then the result in r0 in decimal and a
; newline, with the routines of lib/io.s.
; Changes r0, r1, r5 and the flags.
; ---------------------------------------------------------------------
report: mov     r0, r5                  ; putstr changes r0: keep the result
        call    putstr
        mov     r5, r1
        call    putint
        call    putnl
        ret

; ---------------------------------------------------------------------
; Data. .data starts on a page boundary, so the first 4090 bytes fill
; all but 6 bytes of the first data page, and "crossing" runs from the
; last 6 bytes of that page into the second. Nothing else lives in these
; two pages, so the write above is their first touch. The messages
; follow from the third page on (.align 4096).
; ---------------------------------------------------------------------
        .data
        .equ    CROSSLEN, 12
        .space  4090                    ; the first page, but its last 6 bytes
crossing:
        .ascii  "crossing ok\n"         ; "crossi" in page 1, "ng ok\n" in page 2
        .align  4096
l_wild: .asciz  "write from address 0x10: "
l_fd:   .asciz  "write to fd 9: "
l_neg:  .asciz  "write of -5 bytes: "
l_nosys:
        .asciz  "system call 99: "
l_cross:
        .asciz  "write across two new pages: "

; The library goes last: its word outfd after the messages, so that the
; first two data pages hold only what is described above.
        .include "lib/io.s"
