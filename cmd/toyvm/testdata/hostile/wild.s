; a store to address 0, which no region covers
start:  mov     #1, @0
