; hello: writes a greeting three times, then exits with status 0.
	.equ SYS_EXIT, 1
	.equ SYS_WRITE, 2
	.equ STDOUT, 1

start:	mov #3, r7               ; count
loop:	mov #SYS_WRITE, r0
	mov #STDOUT, r1
	mov #msg, r2
	mov #len, r3
	sys
	dec r7
	bne loop
	call done
	halt                     ; not reached
done:	push fp
	mov sp, fp
	mov -4(fp), r4
	add3 @(r4)+, (r5)+, -(sp)
	movc r1, r2, r3
	mov counter, r6
	movb #'!', buf
	mov #SYS_EXIT, r0
	clr r1
	sys
	.word 0xffffffff        ; data in text: listed as illegal bytes

	.data
msg:	.ascii "hello, toyvm\n"
	.equ len, 13
	.align 4
counter: .word 0x9E3779B1, -1, msg
bytes:	.byte 1, 2, 3
buf:	.space 64
	.byte '\n'
tail:	.space 4096
end:
