; The mistakes students make most, one a line, each with a comment that
; names it; mistakes.golden holds what the assembler says about each.
start:	mov r3 r4               ; a missing comma between operands
	.word 1 2               ; a missing comma between values
	mov r1,, r2             ; an extra comma
	mov, r1, r2             ; a comma after the mnemonic
	mov r1, r2,             ; a comma at the end
	mov r1                  ; a missing operand
	mov , r1                ; a missing first operand
	mov (r1+), r2           ; the + of auto-increment inside the parentheses
	mov (r1-), r2           ; the - of auto-decrement inside the parentheses
	mov +(r1), r2           ; the + in front
	mov (r1)-, r2           ; the - behind
	mov [r1], r2            ; brackets for memory
	mov 4[r1], r2           ; brackets with a displacement
	mov r1, #5              ; an immediate as the destination
	clr #5                  ; an immediate as the only destination
	mov #5 r1               ; # and no comma
	mov $5, r1              ; $ for an immediate
	mov %r1, r2             ; % before a register
	mov &buf, r1            ; & for an address
	mov #2*4, r1            ; an operator toyvm has not
	mov @r1, r2             ; @ before a register
	mov @(r1), r2           ; @(rN) without its +
	mov #r1, r2             ; # before a register
	mov (5), r1             ; a number in parentheses
	mov (), r1              ; empty parentheses
	mov (r1, r2             ; a missing closing parenthesis
	mov (r16), r1           ; no such register
	mov r16, r1             ; no such register, bare
	mov 0xZZ, r1            ; bad hexadecimal digits
	mov #0b102, r1          ; bad binary digits
	mov #12ab, r1           ; letters in a decimal number
	mov #1.5, r1            ; a fraction
	mov #, r1               ; # with no value
loop	mov r1, r2              ; a label without its colon
done                            ; a label without its colon, alone
hlt                             ; an instruction where a label goes
	.ascii 'x'              ; a string in single quotes
	.ascii 'hello'          ; a longer one
	.asciz hello            ; no quotes at all
	.ascii "open            ; an unterminated string
	movb #'ab', r1          ; two characters in one
	.byte "abc"             ; a string where values go
	.wrd 5                  ; a misspelt directive
	.fill 5                 ; an unknown directive
	.text 1                 ; .text with an argument
	.equ X 5                ; .equ without its comma
	.equ X = 5              ; .equ with =
	.include lib/io.s       ; an include without quotes
	MOV R1, R2              ; upper case is fine
here:	br Here                 ; labels are case-sensitive
	br heer                 ; a misspelt label
	jmp r1                  ; a register as a jump target
	call putnum()           ; a call with parentheses
	mov r1, r2 copy it      ; a comment without its ;
	nop nop                 ; two instructions on a line
x: y: nop                       ; two labels on a line
5: nop                          ; a label that starts with a digit
	mov “a”, r1             ; typographic quotes from a word processor
	mov r1, r2 \            ; a backslash
	ld r1, r2               ; an instruction toyvm has not
	mov r1, r2 ; fine       ; a comment may hold anything: ; “ $ [
