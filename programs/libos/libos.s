; libos/libos.s - a small library OS: the program pages a range of its
; own memory, as on an exokernel (docs/extending.md, section 3).
;
; The kernel keeps the mechanism: frames, capabilities, page tables. This
; library keeps the policy: what a page holds, which frames it keeps, and
; which one goes when it needs another or the kernel wants one back. A
; fault in the range is upcalled to libos_handler, which
;   1. gets a frame: frame_alloc() -> a capability for a zeroed frame;
;   2. maps it at the faulting page: frame_install(page, cap, read+write);
;   3. fills it: calls the program's fill routine (below);
;   4. returns: upcall_return() reloads the interrupted registers from the
;      upcall frame, and the faulting instruction runs again, and hits.
;
; Include it after the program's code, beside lib/io.s (it needs die for
; its one error message, and includes lib/io.s itself; a second .include
; of a file does nothing):
;         .include "libos/libos.s"        ; from programs/
;         .include "libos.s"              ; from programs/libos/
;
; Entry points, reached with CALL. Like lib/io.s, each takes its
; arguments in r1 and r2, leaves its result in r0, and keeps every other
; register.
;
;   libos_init   r1 = the range's length in bytes, r2 = the fill routine:
;                libos_zero, libos_copy or the program's own. It registers
;                the handler, makes a range of r1 bytes self-paged,
;                readable and writable, and returns its address in r0 (or
;                a negative error: mmap's, upcall_entry's, selfpage's).
;                Call it once.
;   libos_zero   fill routine: the zero-filled page, as the kernel hands
;                it (every frame comes zeroed, so there is nothing to do).
;   libos_copy   fill routine: a copy of the template page, whose address
;                the program stores in the word libos_template first.
;
; A fill routine is called by the handler with r1 = the page's address,
; where its frame is installed, readable, writable and full of zeros, and
; r2 = the page's index in the range (0 for the first page). It fills
; the page and returns with RET. It may change any register but sp
; (upcall_return reloads them all), and it must touch no other page of
; the range: a fault in a self-paged range while the handler runs kills
; the process (139), as there are no nested upcalls.
;
; The replacement policy: first in, first out. The library keeps the
; capabilities it holds in a ring, oldest first. When frame_alloc says
; ENOMEM (a process may hold at most half of the frames of memory) or the
; ring is full (RING frames), it frees the oldest frame: frame_free takes
; it out of its page, which faults again at its next touch and is filled
; again; then it allocates again. The range is paged without a backing
; store: what the program wrote in a page that loses its frame is lost,
; the page is filled afresh. When the kernel asks for a frame back (an
; upcall with r2 = UPCALL_REVOKE, memory is short), the handler frees its
; oldest, the frame the kernel names in r1 as the one it would take,
; and returns at once. A frame the kernel took by force (not given back
; within RevokeGrace cycles of the request's upcall: frames_revoked) has
; a stale capability: frame_free says ESTALE, and the library forgets it
; and frees the next.
;
; Where the library keeps its state: a few words in .data, and the ring
; and the handler's stack in an anonymous mapping of two pages that
; libos_init makes: ordinary memory that the kernel pages, never the
; self-paged range (the handler touches them while it runs).
;
;   toyvm run --stats programs/libos/zero.s       upcalls, installs, ...
;   toyvm run --mem 64K --stats programs/libos/zero.s
;       frames given back on request (revoke_requests, frames_given_back)
;   toyvm run --trace faults programs/libos/template.s
;       "upcall to 0x... (address 0x40002000, access 0)" for each page

        .include "../lib/sys.inc"
        .equ    PAGE, 4096
        .equ    RING, 1024              ; capabilities the ring holds: a page
        .equ    LIBOS_MEM, 8192         ; the ring's page, the stack's page

; ---------------------------------------------------------------------
; libos_init: r1 = the length, r2 = the fill routine; r0 = the range.
; ---------------------------------------------------------------------
libos_init:
        push    r1
        push    r2
        push    r3
        push    r4
        push    r5
        push    r6
        mov     r1, libos.len
        mov     r2, libos.fill
        mov     #SYS_MMAP, r0           ; mmap(0, LIBOS_MEM, read+write,
        clr     r1                      ;      private+anonymous, 0, 0):
        mov     #LIBOS_MEM, r2          ; the ring, then the stack
        mov     #PROT_READ+PROT_WRITE, r3
        mov     #MAP_PRIVATE+MAP_ANONYMOUS, r4
        clr     r5
        clr     r6
        sys
        tst     r0
        blt     libos_init.done
        mov     r0, libos.ring
        mov     #SYS_UPCALL_ENTRY, r0   ; upcall_entry(libos_handler,
        mov     #libos_handler, r1      ;   the top of the second page)
        add3    libos.ring, #LIBOS_MEM, r2
        sys
        tst     r0
        blt     libos_init.done
        mov     #SYS_SELFPAGE, r0       ; selfpage(0, length, read+write):
        clr     r1                      ; the kernel places it
        mov     libos.len, r2
        mov     #PROT_READ+PROT_WRITE, r3
        sys
        tst     r0
        blt     libos_init.done
        mov     r0, libos.base
libos_init.done:
        pop     r6
        pop     r5
        pop     r4
        pop     r3
        pop     r2
        pop     r1
        ret

; ---------------------------------------------------------------------
; The fill routines the library offers.
; ---------------------------------------------------------------------
libos_zero:
        ret                             ; the kernel zeroed the frame

libos_copy:
        mov     r1, r3                  ; movc(PAGE bytes, from the
        mov     libos_template, r2      ; template, to the page)
        mov     #PAGE, r1
        movc    r1, r2, r3
        ret

; ---------------------------------------------------------------------
; libos_handler: the upcall. r1 = the faulting address, r2 = the access
; (UPCALL_READ, UPCALL_WRITE, UPCALL_FETCH, or UPCALL_REVOKE), r3 = sp =
; the upcall frame, where the interrupted registers are saved. It may
; change every register: upcall_return reloads them from the frame.
; ---------------------------------------------------------------------
libos_handler:
        cmp     r2, #UPCALL_REVOKE
        beq     libos.revoke
        and     #-PAGE, r1              ; the page's first byte
        mov     r1, r8                  ; r8 = the page
        call    libos.frame             ; r9 = a capability, for a frame
        mov     r0, r9                  ;      of zeros
        mov     #SYS_FRAME_INSTALL, r0  ; frame_install(page, cap,
        mov     r8, r1                  ;               read+write)
        mov     r9, r2
        mov     #PROT_READ+PROT_WRITE, r3
        sys
        tst     r0
        blt     libos.fail
        mov     r9, r1                  ; the newest in the ring
        call    libos.push
        mov     r8, r1                  ; fill(page, index), index =
        sub3    r8, libos.base, r2      ;   (page - base) / PAGE
        shr     #12, r2
        mov     libos.fill, r0
        call    (r0)
        mov     #SYS_UPCALL_RETURN, r0  ; the faulting instruction again:
        sys                             ; does not return...
        br      libos.fail              ; ... unless not in an upcall

; The kernel wants a frame back (r1 = the capability it takes if it is
; not given one in time): give it the oldest, and go back at once.
libos.revoke:
        call    libos.drop
        mov     #SYS_UPCALL_RETURN, r0
        sys
        br      libos.fail

; libos.frame: r0 = a capability for a zeroed frame: a new one, or, when
; the process holds all it may, a new one after the oldest was freed.
libos.frame:
        cmp     libos.count, #RING
        bge     libos.frame.old         ; the ring is full: make room first
libos.frame.new:
        mov     #SYS_FRAME_ALLOC, r0
        sys
        tst     r0
        bge     libos.frame.done        ; a frame
        cmp     r0, #ENOMEM
        bne     libos.fail              ; any other error is a bug
libos.frame.old:
        call    libos.drop              ; FIFO: free the oldest, and ask
        tst     r0                      ; again (ENOMEM: none to free)
        blt     libos.fail
        br      libos.frame.new
libos.frame.done:
        ret

; libos.drop: give back the oldest frame of the ring: frame_free takes it
; out of its page and frees it. A stale capability (ESTALE: the kernel
; took that frame by force already) only leaves the ring, and the next
; oldest goes. r0 = 0, or ENOMEM if the ring is empty. Changes r0, r1.
libos.drop:
        mov     #ENOMEM, r0
        tst     libos.count
        beq     libos.drop.done
        call    libos.pop               ; frame_free(the oldest)
        mov     r0, r1
        mov     #SYS_FRAME_FREE, r0
        sys
        cmp     r0, #ESTALE
        beq     libos.drop              ; not ours any more: the next one
        tst     r0
        blt     libos.fail              ; EINVAL, EACCES: a bug
libos.drop.done:
        ret

; libos.push: r1 = a capability, put in the ring as its newest. Changes
; r0.
libos.push:
        mov     libos.head, r0          ; slot (head + count) mod RING
        add     libos.count, r0
        and     #RING-1, r0
        shl     #2, r0
        add     libos.ring, r0
        mov     r1, (r0)
        inc     libos.count
        ret

; libos.pop: r0 = the oldest capability, taken out of the ring.
libos.pop:
        mov     libos.head, r0
        shl     #2, r0
        add     libos.ring, r0
        mov     (r0), r0
        inc     libos.head
        and     #RING-1, libos.head
        dec     libos.count
        ret

; libos.fail: a call that should not fail did (r0 = its error): write
; "libos: cannot serve a fault: -N" on standard error and exit(1).
libos.fail:
        mov     r0, r2                  ; die(that message, the error)
        mov     #libos.l_fail, r1
        call    die

        .include "../lib/io.s"

        .data
libos_template:
        .word   0                       ; the template page, for libos_copy
libos.fill:
        .word   0                       ; the fill routine
libos.base:
        .word   0                       ; the self-paged range
libos.len:
        .word   0                       ; ... and its length
libos.ring:
        .word   0                       ; the ring of capabilities
libos.head:
        .word   0                       ; its oldest slot
libos.count:
        .word   0                       ; how many it holds
libos.l_fail:
        .asciz  "libos: cannot serve a fault: "
