package cpu

import (
	"encoding/binary"

	"toyvm/isa"
)

// The commonest instructions have two operands, each a register or (for a
// source) an immediate: ADD #1, r1; CMP r1, r2; MOV r1, r2; and the
// branches. runFast runs them without the general machinery, but only
// when that is invisible: when all their bytes lie in the prefetch
// buffer, so no fetch can fault, and when no operand has a side effect or
// touches memory. Such an instruction can then trap only on a division by
// zero, and runFast leaves that to the general path, which fetches the
// instruction again from its first byte.
//
// The fast path reads the instruction's bytes at offsets from a local pc
// and writes PC once: the general path's fetchPC, stored and reloaded at
// every byte, would chain each instruction's work through memory.

// maxFast is the longest instruction runFast runs: an opcode and two
// operands with an extension word each.
const maxFast = 1 + 2*5

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
	for n < budget && c.fetch.holds(pc, maxFast) {
		// one call per instruction, to the path that runs it
		var next uint32
		var h uint64
		ok := false
		switch in := &opTable[c.fetch.frame[pc&pageMask]]; in.path {
		case pathRegister:
			next, h, ok = c.fastRegister(in, pc)
		case pathMemory:
			next, h, ok = c.runMemory(in, pc)
		case pathBranch:
			next, h, ok = c.fastBranch(in, pc)
		}
		if !ok {
			break
		}
		pc, n, hits = next, n+1, hits+h
	}
	c.PC, c.Instructions, c.hits = pc, c.Instructions+n, c.hits+hits
	c.tick(n * InstCycles)
	return n == budget
}

// Each fast path runs the instruction in at pc, whose maxFast bytes are
// in the prefetch buffer, if it has the path's shape, and returns the
// address of the next instruction and the TLB lookups it made (all
// hits); ok is false, and nothing has changed, if it has not.

// fastRegister runs the two-operand instruction in at pc if its operands are registers or immediates, and hands it to
// runMemory if not. Its work is in this one function (fastOperand and
// setFlags are inlined) so that it costs two calls, this one and alu.
func (c *CPU) fastRegister(in *opInfo, pc uint32) (next uint32, hits uint64, ok bool) {
	frame, off := c.fetch.frame, pc&pageMask
	x, n1, ok := c.fastOperand(frame, off+1, in.roles[0])
	if !ok {
		return c.runMemory(in, pc)
	}
	y, n2, ok := c.fastOperand(frame, off+1+n1, in.roles[1])
	if !ok {
		return c.runMemory(in, pc)
	}
	x, y = x&in.mask, y&in.mask
	if in.swap {
		x, y = y, x // d = d op s
	}
	r, carry, ovf, ok := alu(in.code, x, y)
	if !ok {
		return 0, 0, false // a division by zero: the general path traps
	}
	if in.writes {
		c.R[frame[off+1+n1]&15] = r & in.mask
	}
	c.setFlags(in, r, carry, ovf)
	return pc + 1 + n1 + n2, 1 + lookups(n1) + lookups(n2), true
}

// fastBranch runs the branch in at pc: it makes two lookups, the opcode
// and the displacement.
func (c *CPU) fastBranch(in *opInfo, pc uint32) (next uint32, hits uint64, ok bool) {
	d := binary.LittleEndian.Uint16(c.fetch.frame[(pc+1)&pageMask:])
	next = pc + 3
	if c.taken(in.code) {
		next += uint32(int32(int16(d)))
	}
	return next, 2, true
}

// fastOperand returns the value of the register or immediate operand at
// offset off of frame and its length in bytes; ok is false for any other
// mode, and for an immediate the role does not allow (an ILLEGAL trap
// that general takes).
func (c *CPU) fastOperand(frame *[isa.PageSize]byte, off uint32, role isa.Role) (v, n uint32, ok bool) {
	spec := frame[off]
	switch isa.Mode(spec >> 4) {
	case isa.ModeReg:
		return c.R[spec&15], 1, true
	case isa.ModeImm:
		return binary.LittleEndian.Uint32(frame[off+1:]), 5, role == isa.Src
	}
	return 0, 0, false
}

// lookups returns the fetch accesses of an n-byte operand: its specifier,
// and its extension word if it has one.
// (none for an absent operand, n = 0).
func lookups(n uint32) uint64 {
	switch n {
	case 0:
		return 0
	case 1:
		return 1
	}
	return 2
}
