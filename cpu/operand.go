package cpu

import (
	"encoding/binary"

	"toyvm/isa"
)

// operand is a general operand being evaluated.
type operand struct {
	mode isa.Mode
	reg  isa.Reg
	addr uint32 // the address of a memory operand
	val  uint32 // the value of a source, the old value of a read-modify-write destination
}

// evaluate evaluates the next operand, in the order of docs/isa.md section 5: its specifier
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
	spec := isa.SpecOperand(c.next8())
	*o = operand{mode: spec.Mode, reg: spec.Reg}
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

// evaluateBuffered is evaluate for an operand whose bytes all lie in the
// prefetch buffer, done in one function: its fetches cannot fault, so
// reading the specifier and extension word at once and then applying the
// side effect is the same as fetching them one by one. done is false, and
// nothing has changed, when the operand is not in the buffer or its mode
// is not allowed (evaluate then fetches it, and raises ILLEGAL); ok is
// false when a data access has faulted. It works on local variables and
// writes *o once per case: reading back a field just written through o
// would wait for the store.
func (c *CPU) evaluateBuffered(o *operand, role isa.Role, size uint32) (done, ok bool) {
	pc := c.fetchPC
	if !c.fetch.holds(pc, 5) {
		return false, true
	}
	spec, ext := c.fetch.frame[pc&pageMask], binary.LittleEndian.Uint32(c.fetch.frame[pc&pageMask+1:])
	op := isa.SpecOperand(spec)
	mode, r := op.Mode, op.Reg
	if !role.Allows(mode) {
		return false, true
	}
	if mode.HasExt() {
		c.fetchPC, c.hits = pc+5, c.hits+2
	} else {
		c.fetchPC, c.hits = pc+1, c.hits+1
	}
	switch mode {
	case isa.ModeReg:
		*o = operand{mode: mode, reg: r, val: c.R[r] & sizeMask(size)}
		return true, true
	case isa.ModeImm:
		*o = operand{mode: mode, reg: r, val: ext & sizeMask(size)}
		return true, true
	case isa.ModeDisp:
		*o = operand{mode: mode, reg: r, addr: c.R[r] + ext}
	case isa.ModeAbs:
		*o = operand{mode: mode, reg: r, addr: ext}
	default:
		*o = operand{mode: mode, reg: r}
		return true, c.memoryOperand(o, role, size)
	}
	return true, c.readOperand(o, role, size)
}

// memoryOperand finishes evaluating an operand in a memory mode: its
// address, and for a source or a read-modify-write destination its value;
// false: a fault has been taken.
func (c *CPU) memoryOperand(o *operand, role isa.Role, size uint32) bool {
	return c.address(o, size) && c.readOperand(o, role, size)
}

// readOperand reads the value of a memory operand whose address is
// computed, if it is a source or a read-modify-write destination; false:
// a fault has been taken.
func (c *CPU) readOperand(o *operand, role isa.Role, size uint32) bool {
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
