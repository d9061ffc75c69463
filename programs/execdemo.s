; execdemo.s - a process replaces its program with another: exec.
;
; Shows: exec(path, argv). The kernel builds a new address space for the
; program at path, with the argument strings copied onto its stack, and
; only then drops the old one: the process keeps its pid, its parent and
; its open files, and runs the new program from its start. A successful
; exec does not return: there is nothing left to return to. A failing
; one returns an error and changes nothing, so the program goes on: here
; the first exec names a file that does not exist and gets ENOENT (-2).
; The second runs args.s, or the program named in argv[1], with the
; arguments "one" and "two".
;   toyvm run programs/execdemo.s
; prints
;   execdemo: pid 1, exec of nothere.s returned -2
;   execdemo: pid 1, exec of args.s: what follows is its output
;   argc = 3
;   argv[0] = args.s
;   argv[1] = one
;   argv[2] = two
; argv[0] is the path given to exec, put in front by the kernel, as for
; spawn. The paths are inside the run's root folder (by default the
; folder of execdemo.s):
;   toyvm run programs/execdemo.s fib.s
; runs fib.s instead. --trace sched shows "pid 1: exec args.s"; --stats
; counts execs.

        .include "lib/sys.inc"

start:  mov     #dflt, r9               ; r9 = the program to run: args.s,
        cmp     r1, #2                  ; or argv[1] if there is one
        blt     first
        mov     4(r2), r9

first:  mov     #missing, r6            ; exec("nothere.s", no arguments)
        call    say                     ; "execdemo: pid 1, exec of
        mov     #SYS_EXEC, r0           ;  nothere.s"
        mov     r6, r1
        clr     r2                      ; argv 0: none after the path
        sys
        call    failed                  ; " returned -2": still here

        mov     r9, r6                  ; exec(r9, {"one", "two"})
        call    say
        mov     #l_follows, r1          ; say it now: after the exec, this
        call    putstr                  ; program is gone
        mov     #SYS_EXEC, r0
        mov     r6, r1
        mov     #argv, r2
        sys
        mov     r0, r7                  ; here only if that exec failed
        mov     #STDERR, outfd          ; too: say so on standard error
        call    say
        mov     r7, r0
        call    failed
        mov     #1, r1                  ; exit(1)
        call    exit

; say: "execdemo: pid P, exec of PATH", PATH the string at r6.
say:    mov     #l_me, r1
        call    putstr
        mov     #l_pid, r1
        call    putstr
        mov     #SYS_GETPID, r0
        sys
        mov     r0, r1
        call    putint
        mov     #l_exec, r1
        call    putstr
        mov     r6, r1
        call    putstr
        ret

; failed: " returned -N" and a newline, N exec's error in r0.
failed: mov     r0, r8
        mov     #l_returned, r1
        call    putstr
        mov     r8, r1
        call    putint
        call    putnl
        ret

        .include "lib/io.s"             ; the library's code follows ours

        .data
dflt:   .asciz  "args.s"
missing:
        .asciz  "nothere.s"
one:    .asciz  "one"
two:    .asciz  "two"
l_me:   .asciz  "execdemo: "
l_pid:  .asciz  "pid "
l_exec: .asciz  ", exec of "
l_follows:
        .asciz  ": what follows is its output\n"
l_returned:
        .asciz  " returned "
        .align  4
argv:   .word   one, two, 0             ; the arguments after the path
