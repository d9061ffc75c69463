package cpu

import "toyvm/isa"

// The commonest instructions have two operands, each a register or (for a
// source) an immediate: ADD #1, r1; CMP r1, r2; MOV r1, r2; and the
// branches. runFast runs them without the general machinery, but only
// when that is invisible: when all their bytes lie in the prefetch
// buffer, so no fetch can fault, and when no operand has a side effect or
// touches memory. Such an instruction can then trap only on a division by
// zero, and runFast leaves that to the general path, which fetches the
// instruction again from its first byte.
//
// The fast paths run an instruction from its decoding, kept in the cache
// of decoded instructions (decoded.go), with the pc in a local variable
// written to PC once: the general path's fetchPC, stored and reloaded at
// every byte, would chain each instruction's work through memory.

// maxFast is the longest instruction runFast runs: an opcode and two
// operands with an extension word each.
const maxFast = 1 + 2*5

// fastBytes is how many bytes at an instruction must be in the prefetch
// buffer for runFast to run it: the 16 bytes that matches compares
// (decoded.go), which hold any instruction of maxFast bytes. An
// instruction in the last 15 bytes of a page goes to the general path.
const fastBytes = 16

// runFast runs instructions on the fast paths from PC until it has run
// budget of them, and then returns true, or until it meets one they
// cannot run, and then returns false with PC at that instruction, for
// the general path. budget is at least 1: the caller has checked that no
// interrupt falls due and max is not reached within budget instructions
// (each fast instruction costs exactly InstCycles, and can neither trap
// nor walk). The pc, the count and the hits stay in local variables
// while it runs; PC, Instructions, Cycles and the hits are written once
// at the end, so no instruction waits for the previous one's stores.
func (c *CPU) runFast(budget uint64) bool {
	pc, n, hits := c.PC, uint64(0), uint64(0)
	var breaks *[isa.PageSize]bool // the page's breakpoints, under a debugger
	if c.stops.breaks != nil {
		breaks = c.breakBits(c.fetch.base)
	}
	for n < budget && c.fetch.holds(pc, fastBytes) && (breaks == nil || !breaks[pc&pageMask]) {
		// the decoded instruction at pc: the cache's entry if its bytes
		// match, else a new decoding (decoded.go)
		frame, off := c.fetch.frame, pc&pageMask
		d := &c.decoded[off%decodedEntries]
		if !d.matches(frame, off) && !d.decode(frame, off) {
			break
		}
		// at most one call per instruction, to the handler of its shape
		next, ok := pc+uint32(d.length), true
		switch d.shape {
		case shapeRegister:
			ok = c.fastRegister(d)
		case shapeBranch:
			next = c.fastBranch(d, next)
		case shapeMemory:
			ok = c.fastMemory(d)
		case shapePush:
			ok = c.fastPush(d)
		case shapePop:
			ok = c.fastPop(d)
		case shapeMove:
			ok = c.fastMove(d)
		case shapeUpdate:
			ok = c.fastUpdate(d)
		}
		if !ok {
			break
		}
		pc, n, hits = next, n+1, hits+uint64(d.lookups)
	}
	c.PC, c.Instructions, c.hits = pc, c.Instructions+n, c.hits+hits
	c.tick(n * InstCycles)
	return n == budget
}

// Each fast handler runs the decoded instruction d, whose bytes are in
// the prefetch buffer; runFast counts its lookups (d.lookups, all hits)
// and moves the pc past it. ok is false, and nothing has changed, if it
// cannot run it.

// fastRegister runs the two-operand instruction d whose operands are
// registers or immediates. Its work is in this one function (setFlags is
// inlined) so that it costs two calls, this one and alu.
func (c *CPU) fastRegister(d *decoded) bool {
	in := &d.op
	x, y := d.ops[0].value(c)&in.mask(), d.ops[1].value(c)&in.mask()
	if in.swap {
		x, y = y, x // d = d op s
	}
	r, carry, ovf, ok := alu(in.code, x, y)
	if !ok {
		return false // a division by zero: the general path traps
	}
	if in.writes {
		c.R[d.ops[1].reg] = r & in.mask()
	}
	c.setFlags(in.flags, in.size, r, carry, ovf)
	return true
}

// fastBranch runs the branch d and returns the address of the next
// instruction: next, the one after it, or its target.
func (c *CPU) fastBranch(d *decoded, next uint32) uint32 {
	if d.op.when>>(c.PSW&Flags)&1 != 0 {
		next += d.disp()
	}
	return next
}
