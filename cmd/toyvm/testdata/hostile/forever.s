; a loop with no end
start:  br      start
