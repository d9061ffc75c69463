package cpu

import (
	"encoding/binary"

	"toyvm/isa"
)

// The commonest instructions have two operands, each a register or (for a
// source) an immediate: ADD #1, r1; CMP r1, r2; MOV r1, r2. fast2 runs
// them without the general machinery, but only when that is invisible:
// when all their bytes lie in the prefetch buffer, so no fetch can fault,
// and when no operand has a side effect or touches memory. Such an
// instruction can still trap only on a division by zero, and then fast2
// leaves it to general, which fetches it again from the same byte.

// maxFast2 is the longest instruction fast2 runs after its opcode byte:
// two operands with an extension word each.
const maxFast2 = 2 * 5

// fast2 runs the two-operand instruction in whose opcode byte has just
// been fetched, if it has the shape above, and reports whether it did; if
// not, nothing has changed.
func (c *CPU) fast2(in *opInfo) bool {
	pc := c.fetchPC
	if !c.fetch.holds(pc, maxFast2) {
		return false
	}
	frame, off := c.fetch.frame, pc&pageMask
	x, n1, ok := c.fastOperand(frame, off, in.roles[0])
	if !ok {
		return false
	}
	y, n2, ok := c.fastOperand(frame, off+n1, in.roles[1])
	if !ok || !c.fastResult(in, x, y, frame[off+n1]&15) {
		return false
	}
	c.hits += lookups(n1) + lookups(n2)
	c.fetchPC = pc + n1 + n2
	c.retire(c.fetchPC)
	return true
}

// fastOperand returns the value of the register or immediate operand at
// offset off of frame and its length in bytes; ok is false for any other
// mode, and for an immediate the role does not allow (an ILLEGAL trap
// that general takes).
func (c *CPU) fastOperand(frame *[isa.PageSize]byte, off uint32, role isa.Role) (v, n uint32, ok bool) {
	spec := frame[off]
	switch isa.Mode(spec >> 4) {
	case isa.ModeReg:
		return c.R[spec&15], 1, true
	case isa.ModeImm:
		return binary.LittleEndian.Uint32(frame[off+1:]), 5, role == isa.Src
	}
	return 0, 0, false
}

// fastResult computes the result of in on its operand values x and y,
// writes it to register d if in writes its last operand, and sets the
// flags; false, having changed nothing: a division by zero.
func (c *CPU) fastResult(in *opInfo, x, y uint32, d byte) bool {
	x, y = x&in.mask, y&in.mask
	if in.swap {
		x, y = y, x // d = d op s
	}
	r, carry, ovf, ok := alu(in.code, x, y)
	if !ok {
		return false
	}
	if in.writes {
		c.R[d] = r & in.mask
	}
	c.setFlags(in, r, carry, ovf)
	return true
}

// lookups returns the fetch accesses of an n-byte operand: its specifier,
// and its extension word if it has one.
func lookups(n uint32) uint64 {
	if n == 1 {
		return 1
	}
	return 2
}
