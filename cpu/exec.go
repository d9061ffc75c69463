package cpu

import "toyvm/isa"

// execute runs the instruction at PC, or takes the trap it raises: a
// switch on the opcode, the operand roles, sizes, stack and flag effects
// coming from the isa table.
func (c *CPU) execute() {
	c.begin()
	if !c.ready() {
		return
	}
	op := isa.Lookup(isa.Opcode(c.next8()))
	switch {
	case op == nil:
		c.raise(isa.Illegal)
		return
	case op.Privileged && c.user:
		c.raise(isa.Privileged)
		return
	}
	switch op.Code {
	case isa.BR, isa.BEQ, isa.BNE, isa.BLT, isa.BGE, isa.BLE, isa.BGT,
		isa.BLO, isa.BHS, isa.BLS, isa.BHI:
		c.branch(op.Code)
	case isa.NOP:
		c.retire(c.fetchPC)
	case isa.HALT:
		c.retire(c.fetchPC)
		c.halted, c.stop = true, true
	case isa.SYS:
		c.retire(c.fetchPC)
		c.trapAfter(isa.Syscall)
	case isa.BPT:
		c.retire(c.fetchPC)
		c.trapAfter(isa.Breakpoint)
	case isa.RET:
		c.ret()
	case isa.JMP, isa.CALL:
		c.jump(op)
	case isa.MOVC:
		c.movc()
	default:
		c.general(op)
	}
}

// general runs an instruction of the MOV to POP rows: its operands are
// evaluated in order (the implicit stack operand of POP just before its
// destination), the result is computed, the destination written, and
// only then are the flags set.
func (c *CPU) general(op *isa.Op) {
	var args [3]operand
	var popped uint32
	n := len(op.Operands)
	for k, role := range op.Operands {
		if role == isa.Dst && op.Stack == isa.PopStack && !c.pop(&popped) {
			return
		}
		if !c.ready() {
			return
		}
		spec := c.next8()
		if !c.register(&args[k], spec, role, op.Size) &&
			!c.evaluateMore(&args[k], spec, role, op.Size) {
			return
		}
	}
	x, y := args[0].val, args[1].val
	switch {
	case op.Stack == isa.PopStack:
		x = popped
	case n == 2 && op.Operands[1] == isa.RMW:
		x, y = y, x // d = d op s
	}
	r, carry, ovf, ok := alu(op.Code, x, y)
	if !ok {
		c.raise(isa.Divide)
		return
	}
	if d := &args[n-1]; d.mode == isa.ModeReg && op.Operands[n-1] != isa.Src && op.Stack == isa.NoStack {
		c.R[d.reg&15] = r & sizeMask(op.Size) // the commonest destination, inline
	} else if !c.writeResult(op, d, r) {
		return
	}
	if op.Flags != isa.FlagsKeep {
		c.PSW = c.PSW&^Flags | flags(op.Flags, op.Size, r, carry, ovf)
	}
	c.retire(c.fetchPC)
}

// writeResult writes r to the instruction's destination: the last operand
// if it is one, or the stack for PUSH; false: a fault has been taken.
func (c *CPU) writeResult(op *isa.Op, last *operand, r uint32) bool {
	if op.Stack == isa.PushStack {
		return c.push(r)
	}
	if role := op.Operands[len(op.Operands)-1]; role == isa.Dst || role == isa.RMW {
		return c.store(last, op.Size, r)
	}
	return true
}

// push is the implicit stack operand of PUSH and CALL: sp -= 4, then the
// word v is written at sp; false: a fault has been taken.
func (c *CPU) push(v uint32) bool {
	c.stepReg(isa.SP, -4)
	return c.write(c.R[isa.SP], 4, v)
}

// pop is the implicit stack operand of POP and RET, like (sp)+: sp += 4,
// then the word at the old sp is read into *v; false: a fault has been
// taken.
func (c *CPU) pop(v *uint32) bool {
	a := c.R[isa.SP]
	c.stepReg(isa.SP, 4)
	var ok bool
	*v, ok = c.read(a, 4)
	return ok
}

// ret pops the return address into pc.
func (c *CPU) ret() {
	var a uint32
	if c.pop(&a) {
		c.retire(a)
	}
}

// jump runs JMP and CALL: the target's address is computed, then CALL
// pushes the address of the next instruction.
func (c *CPU) jump(op *isa.Op) {
	var t operand
	if !c.evaluate(&t, isa.Target, op.Size) {
		return
	}
	if op.Stack == isa.PushStack && !c.push(c.fetchPC) {
		return
	}
	c.retire(t.addr)
}

// branch runs a conditional branch: the displacement is relative to the
// next instruction.
func (c *CPU) branch(code isa.Opcode) {
	d, ok := c.fetch16()
	if !ok {
		return
	}
	next := c.fetchPC
	if c.taken(code) {
		next += uint32(int32(int16(d)))
	}
	c.retire(next)
}

// taken reports whether the branch code is taken on the current flags.
func (c *CPU) taken(code isa.Opcode) bool {
	p := c.PSW
	switch code {
	case isa.BEQ:
		return p.Z()
	case isa.BNE:
		return !p.Z()
	case isa.BLT:
		return p.N() != p.V()
	case isa.BGE:
		return p.N() == p.V()
	case isa.BLE:
		return p.Z() || p.N() != p.V()
	case isa.BGT:
		return !p.Z() && p.N() == p.V()
	case isa.BLO:
		return p.C()
	case isa.BHS:
		return !p.C()
	case isa.BLS:
		return p.C() || p.Z()
	case isa.BHI:
		return !p.C() && !p.Z()
	}
	return true // BR
}
