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
// as the general path does, in the same order (side effects applied as
// each operand is evaluated, reads served from the read copies, the one
// write last, then the flags), with the pc in a local variable.
//
// At the first doubt (an access outside the copies, a mode the role does
// not allow, a division by zero) it undoes the side effects it has applied,
// as a precise fault would, and hands the instruction to the general path,
// which fetches it again from its first byte: nothing it did is left to
// see. Only the registers could have changed. Since nothing on this path
// can fault, its side effects never become a backup log: it records them,
// and the hits it will report, in a fastRun local to the instruction
// (kept out of the CPU, so no store to it has to be read back from
// memory by the next instruction). Memory, the flags and the counters are
// touched only once nothing can fail.

// fastRun is what the memory fast path remembers about the instruction
// it is running.
type fastRun struct {
	hits  uint64          // data lookups served from the copies so far
	n     int             // side effects applied
	reg   [maxLog]isa.Reg // their registers, in order
	delta [maxLog]int32   // and their steps
}

// step applies the side effect r += delta and records it.
func (f *fastRun) step(c *CPU, r isa.Reg, delta int32) {
	c.R[r] += uint32(delta)
	f.reg[f.n], f.delta[f.n] = r, delta
	f.n++
}

// giveUp undoes the side effects f recorded, last first, and returns
// ok false: the general path runs the instruction.
func (c *CPU) giveUp(f *fastRun) (next uint32, hits uint64, ok bool) {
	for i := f.n - 1; i >= 0; i-- {
		c.R[f.reg[i]] -= uint32(f.delta[i])
	}
	return 0, 0, false
}

// runMemory runs the general instruction in at pc if it has the shape
// above, as every fast path does (fast.go): it returns the next
// instruction's address and its lookups, or ok false when nothing has
// changed.
func (c *CPU) runMemory(in *opInfo, pc uint32) (uint32, uint64, bool) {
	var f fastRun
	var popped uint32
	if in.stack == isa.PopStack && !c.fastPop(&f, &popped) {
		return c.giveUp(&f) // POP: the stack operand comes before its destination
	}
	addr, x, n1, ok := c.fastEvaluate(&f, pc+1, in.roles[0], in.size)
	if !ok {
		return c.giveUp(&f)
	}
	y, n2, last := x, uint32(0), pc+1
	if in.n == 2 {
		last += n1
		if addr, y, n2, ok = c.fastEvaluate(&f, last, in.roles[1], in.size); !ok {
			return c.giveUp(&f)
		}
	}
	switch {
	case in.stack == isa.PopStack:
		x = popped
	case in.swap:
		x, y = y, x // d = d op s
	}
	r, carry, ovf := x, false, false
	if !in.passes {
		if r, carry, ovf, ok = alu(in.code, x, y); !ok {
			return c.giveUp(&f)
		}
	}
	// The write comes last: once it is certain, nothing can fail.
	hits := f.hits + 1 + lookups(n1) + lookups(n2) // the data, the opcode, the operands
	spec := c.fetch.frame[last&pageMask]           // the destination's specifier
	switch {
	case in.stack == isa.PushStack:
		if !c.fastWrite(c.R[isa.SP]-4, 4, r) {
			return c.giveUp(&f)
		}
		c.R[isa.SP] -= 4 // PUSH's step, once its write is certain: no record needed
		hits++
	case !in.writes: // CMP, CMPB, TST
	case isa.Mode(spec>>4) == isa.ModeReg:
		c.R[spec&15] = r & in.mask
	default:
		if !c.fastWrite(addr, in.size, r) {
			return c.giveUp(&f)
		}
		hits++
	}
	c.setFlags(in, r, carry, ovf)
	return pc + 1 + n1 + n2, hits, true
}

// fastEvaluate evaluates the operand whose bytes start at pc, all in the
// prefetch buffer, as evaluate does, with its data read served from the
// read copies. It returns the operand's address (of a memory operand),
// its value (of a source or a read-modify-write destination) and its
// length in bytes. ok is false at the first doubt; its side effect may
// then have been applied, and recorded in f.
func (c *CPU) fastEvaluate(f *fastRun, pc uint32, role isa.Role, size uint32) (addr, val, n uint32, ok bool) {
	frame, off := c.fetch.frame, pc&pageMask
	spec := frame[off]
	if spec>>4 == uint8(isa.ModeReg) { // every role of a general instruction allows it
		return 0, c.R[spec&15] & sizeMask(size), 1, true
	}
	mode, r := isa.Mode(spec>>4), isa.Reg(spec&15)
	if !role.Allows(mode) {
		return 0, 0, 0, false
	}
	n = 1
	switch mode {
	case isa.ModeImm:
		return 0, binary.LittleEndian.Uint32(frame[off+1:]) & sizeMask(size), 5, true
	case isa.ModeDisp:
		addr, n = c.R[r]+binary.LittleEndian.Uint32(frame[off+1:]), 5
	case isa.ModeAbs:
		addr, n = binary.LittleEndian.Uint32(frame[off+1:]), 5
	default:
		if addr, ok = c.fastAddress(f, mode, r, size); !ok {
			return 0, 0, 0, false
		}
	}
	if role == isa.Src || role == isa.RMW {
		val, ok = c.fastRead(f, addr, size)
		return addr, val, n, ok
	}
	return addr, 0, n, true
}

// fastAddress computes the address of an operand in mode 1, 2, 3 or 4,
// applying its side effect as address does and recording it in f; ok is
// false when the pointer of mode 4 is not in a read copy.
func (c *CPU) fastAddress(f *fastRun, mode isa.Mode, r isa.Reg, size uint32) (addr uint32, ok bool) {
	switch mode {
	case isa.ModeAutoInc:
		addr = c.R[r]
		f.step(c, r, int32(size))
	case isa.ModeAutoDec:
		f.step(c, r, -int32(size))
		addr = c.R[r]
	case isa.ModeAutoIncDeferred:
		p := c.R[r]
		f.step(c, r, 4)
		return c.fastRead(f, p, 4)
	default: // isa.ModeDeferred
		addr = c.R[r]
	}
	return addr, true
}

// fastPop is pop with the read served from a read copy; false: the word
// is not in one (sp's step is then applied and recorded in f).
func (c *CPU) fastPop(f *fastRun, v *uint32) bool {
	a := c.R[isa.SP]
	f.step(c, isa.SP, 4)
	var ok bool
	*v, ok = c.fastRead(f, a, 4)
	return ok
}

// fastRead returns the size-byte value at va if a read copy holds it:
// the hit read would make (counted in f), without the MMU.
func (c *CPU) fastRead(f *fastRun, va, size uint32) (uint32, bool) {
	if p := c.readPages.of(va); p.holds(va, size) {
		f.hits++
		return frameLoad(p.frame, va, size), true
	}
	return 0, false
}

// fastWrite stores the low size bytes of v at va if a write copy holds
// it, and reports whether it did (the hit is the caller's to count).
func (c *CPU) fastWrite(va, size, v uint32) bool {
	if p := c.writePages.of(va); p.holds(va, size) {
		frameStore(p.frame, va, size, v)
		return true
	}
	return false
}
