; fourteen.s - one instruction that needs fourteen pages at once.
;
; Shows: the most pages one instruction can touch. sub3 @(r1)+, @(r2)+,
; @(r3)+ placed across two text pages reads three pointers and uses three
; targets, and every one of those words straddles a page boundary: 2 + 3
; * 2 + 3 * 2 = 14 pages, and the kernel restarts the instruction after
; each fault until all of them are present together. In the default 16M
; they are. Run it with --mem 64K: after the page tables, fewer than 14
; frames are left, each fault evicts a page the instruction needs again,
; and the kernel, seeing no progress, kills the process with status 137
; (kernel/stall.go). With --trace faults you see it go round.

        .include "lib/sys.inc"          ; SYS_EXIT, SYS_WRITE, STDOUT, ...

start:  mov     #p1, r1
        mov     #p2, r2
        mov     #p3, r3
        jmp     x
        .align  4096
        .space  0xffe                   ; x starts 2 bytes before a page ends
x:      sub3    @(r1)+, @(r2)+, @(r3)+  ; t3 = t1 - t2
        mov     #SYS_WRITE, r0
        mov     #STDOUT, r1
        mov     #msg, r2
        mov     #26, r3
        sys
        mov     #SYS_EXIT, r0
        mov     t3, r1                  ; exit status 5 - 3 = 2
        sys

        .data
msg:    .ascii  "the instruction completed\n"
        .space  0xffe - 26
p1:     .word   t1                      ; each word at 0x...ffe: two pages
        .space  0x1ffc
p2:     .word   t2
        .space  0x1ffc
p3:     .word   t3
        .space  0x1ffc
t1:     .word   5
        .space  0x1ffc
t2:     .word   3
        .space  0x1ffc
t3:     .word   0
