package cpu

import "toyvm/isa"

// This file computes results and flags. The functions are pure: the CPU
// commits the flags only once the instruction's write has succeeded.

const (
	signBit  = 1 << 31
	minInt32 = 0x80000000
)

// add returns x + y, the carry out of bit 31 and the signed overflow.
func add(x, y uint32) (r uint32, carry, ovf bool) {
	r = x + y
	return r, r < x, (^(x^y)&(x^r))&signBit != 0
}

// sub returns x - y, the borrow (unsigned x < y) and the signed overflow.
func sub(x, y uint32) (r uint32, borrow, ovf bool) {
	r = x - y
	return r, x < y, ((x^y)&(x^r))&signBit != 0
}

// sub8 is sub on the low bytes of x and y; the result is 8 bits.
func sub8(x, y uint32) (r uint32, borrow, ovf bool) {
	x, y = x&0xFF, y&0xFF
	r = (x - y) & 0xFF
	return r, x < y, ((x^y)&(x^r))&0x80 != 0
}

// div returns x / y, signed and truncating, and whether it overflowed
// (0x80000000 / -1 gives 0x80000000). y must not be 0.
func div(x, y uint32) (r uint32, ovf bool) {
	if x == minInt32 && y == 0xFFFFFFFF {
		return minInt32, true
	}
	return uint32(int32(x) / int32(y)), false
}

// mod returns x % y with the sign of the dividend x (0x80000000 % -1 is
// 0). y must not be 0.
func mod(x, y uint32) uint32 {
	if y == 0xFFFFFFFF {
		return 0
	}
	return uint32(int32(x) % int32(y))
}

// alu returns the result of the operation code on x and y: x is the
// destination's old value or the first source, y the second source
// (docs/isa.md section 4: ADD s, d computes d + s, so x = d and y = s). carry
// and ovf are the C and V the instruction would set. ok is false for a
// division or modulo by zero.
func alu(code isa.Opcode, x, y uint32) (r uint32, carry, ovf, ok bool) {
	if passes(code) {
		return x, false, false, true
	}
	switch code {
	case isa.ADD, isa.ADD3:
		r, carry, ovf = add(x, y)
	case isa.SUB, isa.SUB3, isa.CMP:
		r, carry, ovf = sub(x, y)
	case isa.CMPB:
		r, carry, ovf = sub8(x, y)
	case isa.INC:
		r, carry, ovf = add(x, 1)
	case isa.DEC:
		r, carry, ovf = sub(x, 1)
	case isa.NEG:
		r, carry, ovf = sub(0, x)
	case isa.DIV, isa.DIV3, isa.MOD:
		return divide(code, x, y)
	default:
		r = logic(code, x, y)
	}
	return r, carry, ovf, true
}

// passes reports whether alu returns x itself for the operation code,
// with no carry or overflow: the moves, and TST. The fast paths skip the
// call to alu for them.
func passes(code isa.Opcode) bool {
	switch code {
	case isa.MOV, isa.MOVB, isa.TST, isa.PUSH, isa.POP:
		return true
	}
	return false
}

// divide computes DIV, DIV3 and MOD; ok is false when y is 0.
func divide(code isa.Opcode, x, y uint32) (r uint32, carry, ovf, ok bool) {
	if y == 0 {
		return 0, false, false, false
	}
	if code == isa.MOD {
		return mod(x, y), false, false, true
	}
	r, ovf = div(x, y)
	return r, false, ovf, true
}

// logic computes the operations that never carry or overflow.
func logic(code isa.Opcode, x, y uint32) uint32 {
	switch code {
	case isa.MUL, isa.MUL3:
		return x * y
	case isa.AND:
		return x & y
	case isa.OR:
		return x | y
	case isa.XOR:
		return x ^ y
	case isa.SHL:
		return x << (y & 31)
	case isa.SHR:
		return x >> (y & 31)
	case isa.SAR:
		return uint32(int32(x) >> (y & 31))
	case isa.NOT:
		return ^x
	}
	return 0 // CLR
}

// flags returns the condition flags an instruction with flag effect f
// and operand size sets for result r: N from the sign bit of the size, Z
// when the result (of that size) is 0, C and V as given for FlagsNZCV; for
// FlagsNZ, C is clear and V is ovf (only DIV reports an overflow).
func flags(f isa.Flags, size uint32, r uint32, carry, ovf bool) PSW {
	sign := uint32(signBit)
	if size == 1 {
		sign, r = 0x80, r&0xFF
	}
	var p PSW
	if r&sign != 0 {
		p |= FlagN
	}
	if r == 0 {
		p |= FlagZ
	}
	if carry && f == isa.FlagsNZCV {
		p |= FlagC
	}
	if ovf {
		p |= FlagV
	}
	return p
}
