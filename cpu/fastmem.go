package cpu

import (
	"encoding/binary"

	"toyvm/isa"
)

// The memory fast path runs the general instructions of at most two
// operands (MOV @a, r; ADD #1, @a; PUSH r; POP 8(r4); MOV (r5)+, -(r5))
// whose bytes are all in the prefetch buffer and whose data accesses all
// fall inside the CPU's copies of translations (buffer.go). Such an
// instruction cannot fault: every fetch and every data access it makes is
// a lookup the TLB would answer with a hit and no other effect. It runs
// as the general path does, in the same order (side effects applied and
// logged as each operand is evaluated, reads served from the read copies,
// the one write last, then the flags), with the pc in a local variable.
//
// At the first doubt (an access outside the copies, a mode the role does
// not allow, a division by zero) it undoes the side effects it has applied,
// as a precise fault would, and hands the instruction to the general path,
// which fetches it again from its first byte: nothing it did is left to
// see. Only the registers could have changed, and the log restores them;
// memory, the flags and the counters are touched only once nothing can
// fail.

// runMemory runs the general instruction in at pc if it has the shape
// above, and reports whether it did; if not, nothing has changed.
func (c *CPU) runMemory(in *opInfo, pc uint32) bool {
	c.nlog = 0
	counted := c.hits // fastRead and fastWrite count their hits in c.hits
	var popped uint32
	if in.stack == isa.PopStack && !c.fastPop(&popped) {
		return c.giveUp(counted) // POP: the stack operand comes before its destination
	}
	first, n1, ok := c.fastEvaluate(pc+1, in.roles[0], in.size)
	if !ok {
		return c.giveUp(counted)
	}
	last, n2 := first, uint32(0)
	if in.n == 2 {
		if last, n2, ok = c.fastEvaluate(pc+1+n1, in.roles[1], in.size); !ok {
			return c.giveUp(counted)
		}
	}
	x, y := first.val, last.val
	switch {
	case in.stack == isa.PopStack:
		x = popped
	case in.swap:
		x, y = y, x // d = d op s
	}
	r, carry, ovf, ok := alu(in.code, x, y)
	if !ok || !c.fastWriteResult(in, &last, r) {
		return c.giveUp(counted)
	}
	c.setFlags(in, r, carry, ovf)
	c.hits += 1 + lookups(n1) + lookups(n2) // the fetches: opcode, operands
	c.done(pc + 1 + n1 + n2)
	return true
}

// giveUp undoes what runMemory did (the side effects, and the hits
// counted since c.hits was counted) and returns false: the general path
// runs the instruction.
func (c *CPU) giveUp(counted uint64) bool {
	c.undoLog()
	c.hits = counted
	return false
}

// fastEvaluate evaluates the operand whose bytes start at pc, all in the
// prefetch buffer, as evaluate does, with its data read served from the
// read copies, and returns it and its length in bytes. ok is false at the
// first doubt; its side effect may then have been applied and logged.
func (c *CPU) fastEvaluate(pc uint32, role isa.Role, size uint32) (o operand, n uint32, ok bool) {
	frame, off := c.fetch.frame, pc&pageMask
	spec := frame[off]
	o.mode, o.reg = isa.Mode(spec>>4), isa.Reg(spec&15)
	if !role.Allows(o.mode) {
		return o, 0, false
	}
	n = 1
	switch o.mode {
	case isa.ModeReg:
		o.val = c.R[o.reg] & sizeMask(size)
		return o, 1, true
	case isa.ModeImm:
		o.val = binary.LittleEndian.Uint32(frame[off+1:]) & sizeMask(size)
		return o, 5, true
	case isa.ModeDisp:
		o.addr, n = c.R[o.reg]+binary.LittleEndian.Uint32(frame[off+1:]), 5
	case isa.ModeAbs:
		o.addr, n = binary.LittleEndian.Uint32(frame[off+1:]), 5
	default:
		if o.addr, ok = c.fastAddress(o.mode, o.reg, size); !ok {
			return o, 0, false
		}
	}
	if role == isa.Src || role == isa.RMW {
		o.val, ok = c.fastRead(o.addr, size)
		return o, n, ok
	}
	return o, n, true
}

// fastAddress computes the address of an operand in mode 1, 2, 3 or 4,
// applying and logging its side effect as address does; ok is false when
// the pointer of mode 4 is not in a read copy.
func (c *CPU) fastAddress(mode isa.Mode, r isa.Reg, size uint32) (addr uint32, ok bool) {
	switch mode {
	case isa.ModeAutoInc:
		addr = c.R[r]
		c.stepReg(r, int32(size))
	case isa.ModeAutoDec:
		c.stepReg(r, -int32(size))
		addr = c.R[r]
	case isa.ModeAutoIncDeferred:
		p := c.R[r]
		c.stepReg(r, 4)
		return c.fastRead(p, 4)
	default: // isa.ModeDeferred
		addr = c.R[r]
	}
	return addr, true
}

// fastPop is pop with the read served from a read copy; false: the word
// is not in one (sp's step is then applied and logged).
func (c *CPU) fastPop(v *uint32) bool {
	a := c.R[isa.SP]
	c.stepReg(isa.SP, 4)
	var ok bool
	*v, ok = c.fastRead(a, 4)
	return ok
}

// fastRead returns the size-byte value at va if a read copy holds it:
// the hit read would make (and count), without the MMU.
func (c *CPU) fastRead(va, size uint32) (uint32, bool) {
	if p := c.readPages.of(va); p.holds(va, size) {
		c.hits++
		return frameLoad(p.frame, va, size), true
	}
	return 0, false
}

// fastWriteResult is writeResult with the write served from a write copy;
// false: the destination is not in one, and nothing is written (PUSH's
// step of sp is then applied and logged).
func (c *CPU) fastWriteResult(in *opInfo, last *operand, r uint32) bool {
	switch {
	case in.stack == isa.PushStack:
		c.stepReg(isa.SP, -4)
		return c.fastWrite(c.R[isa.SP], 4, r)
	case !in.writes:
		return true
	case last.mode == isa.ModeReg:
		c.R[last.reg&15] = r & in.mask
		return true
	}
	return c.fastWrite(last.addr, in.size, r)
}

// fastWrite stores the low size bytes of v at va if a write copy holds
// it, and reports whether it did.
func (c *CPU) fastWrite(va, size, v uint32) bool {
	if p := c.writePages.of(va); p.holds(va, size) {
		c.hits++
		frameStore(p.frame, va, size, v)
		return true
	}
	return false
}
