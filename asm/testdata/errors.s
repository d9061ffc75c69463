; Every mistake the assembler reports, one or more a line.
start:	mvo r1, r2              ; misspelt mnemonic
	xyzzy r1                ; unknown, nothing near
	.wrod 5                 ; misspelt directive
	mov 5, r1               ; bare number
	mov r1, #5              ; immediate destination
	jmp r1                  ; register target
	call #4                 ; immediate target
	movc (r1), r2, r3       ; non-register MOVC operand
	mov r1                  ; too few operands
	nop r1                  ; too many operands
	br nowhere              ; undefined label
	br (r1)                 ; branch to a non-address
start:	nop                     ; duplicate label
	mov r1,, r2             ; syntax error
	mov r16, r1             ; no such register
	mov (foo), r1           ; not a register
	mov #r1+4, r2           ; register in an expression
	mov #0x, r1             ; bad number
	mov #4294967296, r1     ; too big
	mov #'ab', r1           ; character too long
	mov @(r1), r2           ; @(rN) needs its +
	mov $5, r1              ; stray character
r3:	nop                     ; label named like a register
	.data
	.byte 256, -129, 'a'    ; out of range
	.ascii "tab\q"          ; bad escape
	.ascii "open            ; unterminated string
	.asciz 5                ; not a string
	.word                   ; no values
	.word r1                ; a register is no value
	.space -1               ; negative
	.space later            ; not a constant
	.align 6                ; not a power of two
	.equ 5, 6               ; no name
	.equ loop, loop         ; depends on itself
	.text 1                 ; no arguments
far:	br far+40000            ; out of range
