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
// (a mode the role does not allow) has been taken.
func (c *CPU) evaluate(o *operand, role isa.Role, size uint32) bool {
	if !c.ready() {
		return false
	}
	spec := c.next8()
	if c.register(o, spec, role, size) {
		return true
	}
	return c.evaluateMore(o, spec, role, size)
}

// register evaluates an operand whose specifier is spec if it is a
// register one (mode 0, any role but a target), the commonest case, kept
// small enough to be inlined; it returns false for any other operand.
func (c *CPU) register(o *operand, spec byte, role isa.Role, size uint32) bool {
	if spec>>4 != 0 || role == isa.Target {
		return false
	}
	*o = operand{mode: isa.ModeReg, reg: isa.Reg(spec & 15), val: c.R[spec&15] & sizeMask(size)}
	return true
}

// evaluateMore is evaluate for an operand that is not a register one,
// once its specifier spec is fetched.
func (c *CPU) evaluateMore(o *operand, spec byte, role isa.Role, size uint32) bool {
	*o = operand{mode: isa.Mode(spec >> 4), reg: isa.Reg(spec & 15)}
	if !role.Allows(o.mode) {
		c.raise(isa.Illegal)
		return false
	}
	if o.mode == isa.ModeImm { // the next commonest case
		var ok bool
		o.val, ok = c.fetch32()
		o.val &= sizeMask(size)
		return ok
	}
	if !c.address(o, size) {
		return false
	}
	if o.mode.IsMemory() && (role == isa.Src || role == isa.RMW) {
		var ok bool
		o.val, ok = c.read(o.addr, size)
		return ok
	}
	return true
}

// address fetches the extension word of modes 5, 6 and 7 and computes the
// operand's address (or an immediate's value), applying the side effect
// of modes 2, 3 and 4; false: a fault has been taken.
func (c *CPU) address(o *operand, size uint32) bool {
	r := o.reg & 15
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
		a, ok := c.read(p, 4)
		o.addr = a
		return ok
	default:
		return c.extension(o, size)
	}
	return true
}

// extension fetches the extension word of modes 5, 6 and 7 and computes
// the address, or the immediate's value (its low byte for a byte
// instruction); false: a fault has been taken.
func (c *CPU) extension(o *operand, size uint32) bool {
	ext, ok := c.fetch32()
	switch o.mode {
	case isa.ModeDisp:
		o.addr = c.R[o.reg&15] + ext
	case isa.ModeImm:
		o.val = ext & sizeMask(size)
	case isa.ModeAbs:
		o.addr = ext
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
