package cpu

import "toyvm/isa"

// operand is a general operand being evaluated.
type operand struct {
	mode isa.Mode
	reg  isa.Reg
	addr uint32 // the address of a memory operand
	val  uint32 // the value of a source, the old value of a read-modify-write destination
}

// evaluate evaluates the next operand, in SPEC.md's order: its specifier
// and extension are fetched, its register side effect is applied, its
// address computed, and for a source or a read-modify-write destination
// its value read. size (4, or 1 for the byte forms) is what (rN)+ and
// -(rN) step by and how much is read. false: a fault or an ILLEGAL trap
// (a mode the role does not allow) has been taken. The register and
// immediate cases are handled here, the others by memoryOperand: one call
// per operand on the common paths.
func (c *CPU) evaluate(o *operand, role isa.Role, size uint32) bool {
	if !c.ready() {
		return false
	}
	spec := c.next8()
	*o = operand{mode: isa.Mode(spec >> 4), reg: isa.Reg(spec & 15)}
	if !role.Allows(o.mode) {
		c.raise(isa.Illegal)
		return false
	}
	switch o.mode {
	case isa.ModeReg:
		o.val = c.R[o.reg] & sizeMask(size)
		return true
	case isa.ModeImm:
		v, ok := c.fetch32()
		o.val = v & sizeMask(size)
		return ok
	}
	return c.memoryOperand(o, role, size)
}

// memoryOperand finishes evaluating an operand in a memory mode: its
// address, and for a source or a read-modify-write destination its value;
// false: a fault has been taken.
func (c *CPU) memoryOperand(o *operand, role isa.Role, size uint32) bool {
	if !c.address(o, size) {
		return false
	}
	if role == isa.Src || role == isa.RMW {
		var ok bool
		o.val, ok = c.read(o.addr, size)
		return ok
	}
	return true
}

// address fetches the extension word of modes 5 and 7 and computes the
// operand's address, applying the side effect of modes 2, 3 and 4; false:
// a fault has been taken.
func (c *CPU) address(o *operand, size uint32) bool {
	r := o.reg & 15
	ok := true
	switch o.mode {
	case isa.ModeDeferred:
		o.addr = c.R[r]
	case isa.ModeAutoInc:
		o.addr = c.R[r]
		c.stepReg(r, int32(size))
	case isa.ModeAutoDec:
		c.stepReg(r, -int32(size))
		o.addr = c.R[r]
	case isa.ModeAutoIncDeferred:
		p := c.R[r]
		c.stepReg(r, 4)
		o.addr, ok = c.read(p, 4)
	case isa.ModeDisp:
		o.addr, ok = c.fetch32()
		o.addr += c.R[r]
	case isa.ModeAbs:
		o.addr, ok = c.fetch32()
	}
	return ok
}

// store writes v to a destination operand: into a register the whole
// value (a byte zero-extended), into memory size bytes; false: a fault has
// been taken.
func (c *CPU) store(o *operand, size, v uint32) bool {
	if o.mode == isa.ModeReg {
		c.R[o.reg&15] = v & sizeMask(size)
		return true
	}
	return c.write(o.addr, size, v)
}

// sizeMask returns the mask of a size-byte value.
func sizeMask(size uint32) uint32 {
	if size == 1 {
		return 0xFF
	}
	return 0xFFFFFFFF
}
