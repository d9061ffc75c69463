package cpu

import "toyvm/isa"

// The commonest memory instructions have fast handlers of their own,
// shorter than fastMemory because each knows its instruction's shape:
// PUSH, POP, MOV and MOVB, and an operation on memory with a register or
// an immediate source (ADD #1, count). decoded.go's refine picks them.
// Each runs its instruction as fastMemory would (fastmem.go says how):
// in the general path's order, its reads and writes served from the
// copies of translations, and at the first doubt it puts back the
// registers it stepped and gives up.

// fastPush runs PUSH: its source is evaluated, the word written at sp-4,
// and only then is sp stepped. PUSH keeps the flags.
func (c *CPU) fastPush(d *decoded) bool {
	u := c.saveRegs(d)
	var v uint32
	ok := true
	if src := &d.ops[0]; !src.mode.IsMemory() {
		v = src.value(c)
	} else if _, v, ok = c.fastMemoryOperand(src, 4); !ok {
		return c.giveUp(d, u)
	}
	sp := c.R[isa.SP] - 4
	if !c.fastWrite(sp, 4, v) {
		return c.giveUp(d, u)
	}
	c.R[isa.SP] = sp
	return true
}

// fastPop runs POP: the word at sp is read and sp stepped, then the
// destination is evaluated and written. POP keeps the flags.
func (c *CPU) fastPop(d *decoded) bool {
	sp := c.R[isa.SP]
	v, ok := c.fastRead(sp, 4)
	if !ok {
		return false
	}
	dst := &d.ops[0]
	if dst.mode == isa.ModeReg {
		c.R[isa.SP] = sp + 4
		c.R[dst.reg] = v // after the step: POP sp takes the word
		return true
	}
	u := c.saveRegs(d)
	c.R[isa.SP] = sp + 4
	addr, _, ok := c.fastMemoryOperand(dst, 4)
	if !ok || !c.fastWrite(addr, 4, v) {
		return c.giveUp(d, u)
	}
	return true
}

// fastMove runs MOV or MOVB with an operand in memory: the source is
// evaluated, then the destination, the value written and the flags set.
func (c *CPU) fastMove(d *decoded) bool {
	in := &d.op
	u := c.saveRegs(d)
	var x uint32
	ok := true
	if src := &d.ops[0]; !src.mode.IsMemory() {
		x = src.value(c) & in.mask()
	} else if _, x, ok = c.fastMemoryOperand(src, in.size); !ok {
		return c.giveUp(d, u)
	}
	if dst := &d.ops[1]; dst.mode == isa.ModeReg {
		c.R[dst.reg] = x
	} else if addr, _, ok := c.fastMemoryOperand(dst, in.size); !ok || !c.fastWrite(addr, in.size, x) {
		return c.giveUp(d, u)
	}
	c.setFlags(in.flags, in.size, x, false, false)
	return true
}

// fastUpdate runs d = d op s where s is a register or an immediate and d
// is in memory: s is read, d evaluated and read, the result written, and
// then the flags set.
func (c *CPU) fastUpdate(d *decoded) bool {
	in := &d.op
	s := d.ops[0].value(c) & in.mask()
	u := c.saveRegs(d)
	addr, x, ok := c.fastMemoryOperand(&d.ops[1], in.size)
	if !ok {
		return c.giveUp(d, u)
	}
	r, carry, ovf, ok := alu(in.code, x, s)
	if !ok || !c.fastWrite(addr, in.size, r) {
		return c.giveUp(d, u)
	}
	c.setFlags(in.flags, in.size, r, carry, ovf)
	return true
}
