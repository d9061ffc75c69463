        .include "cycle.s"
