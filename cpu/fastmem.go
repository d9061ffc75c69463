package cpu

import "toyvm/isa"

// The memory fast path runs the general instructions of at most two
// operands (MOV @a, r; ADD #1, @a; PUSH r; POP 8(r4); MOV (r5)+, -(r5))
// whose bytes are all in the prefetch buffer and whose data accesses all
// fall inside the CPU's copies of translations (buffer.go). Such an
// instruction cannot fault: every fetch and every data access it makes is
// a lookup the TLB would answer with a hit and no other effect. It runs
// as the general path does, in the same order (side effects applied as
// each operand is evaluated, reads served from the read copies, the one
// write last, then the flags), with the pc in a local variable. Its
// lookups are known from its decoding (decoded.go): one per fetch access
// and one per data access, each inside one page. fastMemory below runs
// any such instruction; the commonest have shorter handlers of their own
// (fastops.go).
//
// At the first doubt (a data access outside the copies, a division by
// zero) it puts back the registers it may have stepped, as a precise
// fault would, and hands the instruction to the general path, which
// fetches it again from its first byte: nothing it did is left to see.
// Only the registers could have changed, and only those of its operands
// and sp: their values before the instruction are kept in a fastUndo (in
// local variables, not in the CPU), and put back in the reverse order, so
// that a register stepped twice gets its first value. Since nothing on
// this path can fault, its side effects never become a backup log.
// Memory, the flags and the counters are touched only once nothing can
// fail.

// fastUndo holds the registers an instruction on the memory fast path may
// step, as they were before it: sp and its operands' registers.
type fastUndo struct {
	sp, r0, r1 uint32
}

// saveRegs returns the registers d may step, before it runs.
func (c *CPU) saveRegs(d *decoded) fastUndo {
	return fastUndo{c.R[isa.SP], c.R[d.ops[0].reg], c.R[d.ops[1].reg]}
}

// giveUp puts back the registers u saved, last first, if d steps any,
// and returns false: the general path runs the instruction.
func (c *CPU) giveUp(d *decoded, u fastUndo) bool {
	if !d.steps {
		return false
	}
	c.R[d.ops[1].reg] = u.r1
	c.R[d.ops[0].reg] = u.r0
	c.R[isa.SP] = u.sp
	return false
}

// fastMemory runs the decoded general instruction d if it has the shape
// above and no stack operand (fastops.go runs PUSH and POP), as every
// fast handler does (fast.go); false: nothing has changed.
func (c *CPU) fastMemory(d *decoded) bool {
	in := &opTable[d.op.code] // the shapes here are many: all of what is known of the opcode
	var u fastUndo
	if d.steps {
		u = c.saveRegs(d)
	}
	var addr, x uint32
	ok := true
	if o := &d.ops[0]; !o.mode.IsMemory() {
		x = o.value(c) & in.mask
	} else if addr, x, ok = c.fastMemoryOperand(o, in.size); !ok {
		return c.giveUp(d, u)
	}
	y := x
	if o := &d.ops[1]; in.n == 2 && !o.mode.IsMemory() {
		y = o.value(c) & in.mask
	} else if in.n == 2 {
		if addr, y, ok = c.fastMemoryOperand(o, in.size); !ok {
			return c.giveUp(d, u)
		}
	}
	if in.swap {
		x, y = y, x // d = d op s
	}
	r, carry, ovf := x, false, false
	if !in.passes {
		if r, carry, ovf, ok = alu(in.code, x, y); !ok {
			return c.giveUp(d, u)
		}
	}
	// The write comes last: once it is certain, nothing can fail.
	switch dst := &d.ops[in.n-1]; {
	case !in.writes: // CMP, CMPB, TST
	case dst.mode == isa.ModeReg:
		c.R[dst.reg] = r & in.mask
	default:
		if !c.fastWrite(addr, in.size, r) {
			return c.giveUp(d, u)
		}
	}
	c.setFlags(in.flags, in.size, r, carry, ovf)
	return true
}

// fastMemoryOperand evaluates the decoded operand o, in a memory mode, as
// evaluate does, with its data reads served from the read copies: its
// address, with the side effect of modes 2, 3 and 4 applied, then its
// value if it is a source or a read-modify-write destination. ok is false
// at the first doubt; its side effect may then have been applied. (A
// register or an immediate operand is read by fastMemory itself, with no
// call.)
func (c *CPU) fastMemoryOperand(o *decodedOperand, size uint32) (addr, val uint32, ok bool) {
	r := o.reg
	switch o.mode {
	case isa.ModeDisp:
		addr = c.R[r] + o.ext
	case isa.ModeAbs:
		addr = o.ext
	case isa.ModeAutoInc:
		addr = c.R[r]
		c.R[r] += size
	case isa.ModeAutoDec:
		c.R[r] -= size
		addr = c.R[r]
	case isa.ModeAutoIncDeferred:
		p := c.R[r]
		c.R[r] += 4
		if addr, ok = c.fastRead(p, 4); !ok {
			return 0, 0, false
		}
	default: // isa.ModeDeferred
		addr = c.R[r]
	}
	if o.reads {
		val, ok = c.fastRead(addr, size)
		return addr, val, ok
	}
	return addr, 0, true
}

// fastRead returns the size-byte value at va if a read copy holds it:
// the hit read would make, without the MMU.
func (c *CPU) fastRead(va, size uint32) (uint32, bool) {
	if p := c.readPages.of(va); p.holds(va, size) {
		return frameLoad(p.frame, va, size), true
	}
	return 0, false
}

// fastWrite stores the low size bytes of v at va if a write copy holds
// it, and reports whether it did.
func (c *CPU) fastWrite(va, size, v uint32) bool {
	if p := c.writePages.of(va); p.holds(va, size) {
		frameStore(p.frame, va, size, v)
		return true
	}
	return false
}
