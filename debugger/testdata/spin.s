; spin.s - a loop that never ends, for the terminal test's Ctrl-C.

start:  clr     r1
spin:   inc     r1
        br      spin
