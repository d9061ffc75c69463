; recursion with no end
start:  call    start
