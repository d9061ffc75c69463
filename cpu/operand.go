package cpu

import "toyvm/isa"

// operand is a general operand being evaluated.
type operand struct {
	mode isa.Mode
	reg  isa.Reg
	addr uint32 // the address of a memory operand
	val  uint32 // an immediate's value
}

// decode fetches an operand's specifier and extension, applies its
// register side effect and computes its address, in that order (SPEC.md
// section 2). size is what (rN)+ and -(rN) step by. false: a fault or an
// ILLEGAL trap (a mode the role does not allow) has been taken.
func (c *CPU) decode(o *operand, role isa.Role, size uint32) bool {
	spec, ok := c.fetch8()
	if !ok {
		return false
	}
	o.mode, o.reg = isa.Mode(spec>>4), isa.Reg(spec&15)
	if !role.Allows(o.mode) {
		c.raise(isa.Illegal)
		return false
	}
	if o.mode.HasExt() {
		return c.decodeExt(o)
	}
	return c.address(o, size)
}

// address computes the address of an operand without an extension word,
// applying its side effect; false: a fault has been taken.
func (c *CPU) address(o *operand, size uint32) bool {
	switch o.mode {
	case isa.ModeDeferred:
		o.addr = c.R[o.reg]
	case isa.ModeAutoInc:
		o.addr = c.R[o.reg]
		c.stepReg(o.reg, int32(size))
	case isa.ModeAutoDec:
		c.stepReg(o.reg, -int32(size))
		o.addr = c.R[o.reg]
	case isa.ModeAutoIncDeferred:
		p := c.R[o.reg]
		c.stepReg(o.reg, 4)
		a, ok := c.read(p, 4)
		o.addr = a
		return ok
	}
	return true
}

// decodeExt fetches the extension word of modes 5, 6 and 7 and computes
// the address (or the immediate value); false: a fault has been taken.
func (c *CPU) decodeExt(o *operand) bool {
	ext, ok := c.fetch32()
	switch o.mode {
	case isa.ModeDisp:
		o.addr = c.R[o.reg] + ext
	case isa.ModeImm:
		o.val = ext
	case isa.ModeAbs:
		o.addr = ext
	}
	return ok
}

// load returns an operand's value, size bytes (the low byte of a register
// or an immediate for a byte instruction); false: a fault has been taken.
func (c *CPU) load(o *operand, size uint32) (uint32, bool) {
	switch o.mode {
	case isa.ModeReg:
		return c.R[o.reg] & sizeMask(size), true
	case isa.ModeImm:
		return o.val & sizeMask(size), true
	}
	return c.read(o.addr, size)
}

// store writes v to a destination operand: into a register the whole
// value (a byte zero-extended), into memory size bytes; false: a fault has
// been taken.
func (c *CPU) store(o *operand, size, v uint32) bool {
	if o.mode == isa.ModeReg {
		c.R[o.reg] = v & sizeMask(size)
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
