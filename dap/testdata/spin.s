; spin.s - a program that never ends: it counts in r1 for ever, so that
; the adapter's tests can pause it, set breakpoints while it runs, and
; leave it running.

start:  clr     r1
spin:   inc     r1
        br      spin
