package cpu

import "toyvm/isa"

// movc runs MOVC rL, rS, rD: it copies rL bytes from rS to rD one byte at
// a time, and after each byte decrements rL and increments rS and rD. A
// fault or an interrupt between bytes leaves the registers where the copy
// reached and pc at the MOVC, so that it resumes where it stopped: the
// progress is architectural, never backed out (and never logged).
func (c *CPU) movc() {
	var regs [3]isa.Reg
	for k := range regs {
		var o operand
		if !c.evaluate(&o, isa.RegOnly, 1) {
			return
		}
		regs[k] = o.reg
	}
	c.copyBytes(regs[0], regs[1], regs[2])
}

// copyBytes copies until rL is 0, taking a due interrupt between bytes.
func (c *CPU) copyBytes(rL, rS, rD isa.Reg) {
	for c.R[rL] != 0 {
		if !c.copyByte(c.R[rS], c.R[rD]) {
			return
		}
		c.R[rL]--
		c.R[rS]++
		c.R[rD]++
		c.tick(ByteCycles)
		c.chargeWalks()
		if c.R[rL] != 0 && c.due() {
			c.interrupt(c.start)
			return
		}
	}
	c.retire(c.fetchPC)
}

// copyByte copies the byte at src to dst; false: a fault has been taken.
func (c *CPU) copyByte(src, dst uint32) bool {
	b, ok := c.read(src, 1)
	return ok && c.write(dst, 1, b)
}
