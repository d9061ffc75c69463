start:  nop
        .include "nothere.s"
