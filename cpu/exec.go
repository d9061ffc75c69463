package cpu

import "toyvm/isa"

// execute runs the instruction at PC, or takes the trap it raises: a
// switch on the opcode's class, the operand roles, sizes, stack and flag
// effects coming from opTable (built from the isa table).
func (c *CPU) execute() {
	c.begin()
	if !c.ready() {
		return
	}
	in := &opTable[c.next8()]
	if in.priv && c.user {
		c.raise(isa.Privileged)
		return
	}
	switch in.class {
	case classGeneral:
		c.general(in)
	case classBranch:
		c.branch(in.code)
	case classJump:
		c.jump(in)
	default:
		c.execOther(in)
	}
}

// execOther runs the instructions without general operands, other than
// the branches, and takes the ILLEGAL trap of an unknown opcode.
func (c *CPU) execOther(in *opInfo) {
	switch in.class {
	case classIllegal:
		c.raise(isa.Illegal)
	case classNOP:
		c.retire(c.fetchPC)
	case classHALT:
		c.retire(c.fetchPC)
		c.halted, c.stop = true, true
	case classSYS:
		c.retire(c.fetchPC)
		c.trapAfter(isa.Syscall)
	case classBPT:
		c.retire(c.fetchPC)
		c.trapAfter(isa.Breakpoint)
	case classRET:
		c.ret()
	case classMOVC:
		c.movc()
	}
}

// general runs an instruction of the MOV to POP rows: its operands are
// evaluated in order (the implicit stack operand of POP just before its
// destination), the result is computed, the destination written, and
// only then are the flags set.
func (c *CPU) general(in *opInfo) {
	var popped uint32
	if !c.operands(in, &popped) {
		return
	}
	x, y := c.args[0].val, c.args[1].val
	switch {
	case in.stack == isa.PopStack:
		x = popped
	case in.swap:
		x, y = y, x // d = d op s
	}
	r, carry, ovf, ok := alu(in.code, x, y)
	if !ok {
		c.raise(isa.Divide)
		return
	}
	if !c.writeResult(in, &c.args[in.n-1], r) {
		return
	}
	c.setFlags(in.flags, in.size, r, carry, ovf)
	c.retire(c.fetchPC)
}

// operands evaluates the general operands of in into c.args, in order,
// and POP's stack operand into *popped just before its destination;
// false: a fault or a trap has been taken.
func (c *CPU) operands(in *opInfo, popped *uint32) bool {
	for k := range in.n {
		role := in.roles[k]
		if role == isa.Dst && in.stack == isa.PopStack && !c.pop(popped) {
			return false
		}
		done, ok := c.evaluateBuffered(&c.args[k], role, in.size)
		if !ok || !done && !c.evaluate(&c.args[k], role, in.size) {
			return false
		}
	}
	return true
}

// setFlags sets the condition flags as an instruction whose flag effect
// is f and whose size is size does for result r.
func (c *CPU) setFlags(f isa.Flags, size, r uint32, carry, ovf bool) {
	if f != isa.FlagsKeep {
		c.PSW = c.PSW&^Flags | flags(f, size, r, carry, ovf)
	}
}

// writeResult writes r to the instruction's destination: the last operand
// if it is one, or the stack for PUSH; false: a fault has been taken.
func (c *CPU) writeResult(in *opInfo, last *operand, r uint32) bool {
	switch {
	case in.stack == isa.PushStack:
		return c.push(r)
	case !in.writes:
		return true
	case last.mode == isa.ModeReg:
		c.R[last.reg&15] = r & in.mask
		return true
	}
	return c.write(last.addr, in.size, r)
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
func (c *CPU) jump(in *opInfo) {
	t := &c.args[0]
	if !c.evaluate(t, isa.Target, in.size) {
		return
	}
	if in.stack == isa.PushStack && !c.push(c.fetchPC) {
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

// taken reports whether the branch code is taken on the current flags:
// one look at the branch's row of opTable (optable.go), which holds
// takenOn's answer for every combination of the flags.
func (c *CPU) taken(code isa.Opcode) bool {
	return opTable[code].when>>(c.PSW&Flags)&1 != 0
}

// takenOn reports whether the branch code is taken when the flags are p:
// the definition of the conditions, from which opTable is built.
func takenOn(code isa.Opcode, p PSW) bool {
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
