package cpu

import (
	"encoding/binary"

	"toyvm/isa"
)

// The fast paths run instructions from a small cache of decoded
// instructions, so that an instruction in a loop is decoded once, not at
// every pass. An entry holds what decoding found (the shape, that is the
// fast handler that runs it, and its operands' modes, registers and
// extension words, its length and its TLB lookups) and the bytes it
// was decoded from. It is found by the instruction's offset in its page
// (the low bits of its physical address) and used only if the bytes now
// at that address are the same: two 8-byte loads and compares, the
// instruction being at most maxFast bytes. Decoding depends on nothing
// but the bytes, so an entry whose bytes match is right, whatever page
// it came from: no invalidation is needed when memory changes (code that
// writes over its own instructions, a DMA, the kernel loading a program)
// or when the mapping does. The cache is invisible: the lookups of an
// instruction run from it are counted as the hits they would have been,
// and an instruction the fast paths cannot run goes to the general path,
// which fetches it again.

// decodedEntries is the number of entries of the cache (direct-mapped).
// An empty entry has bytes that no instruction has (its mask is zero and
// its bytes are not).
const decodedEntries = 256

// shape says which fast handler runs a decoded instruction.
type shape uint8

const (
	shapeRegister shape = iota // two operands, registers or immediates, no stack: fastRegister
	shapeMemory                // general, at most two operands: fastMemory
	shapeBranch                // BR to BHI: fastBranch
	shapePush                  // PUSH: fastPush
	shapePop                   // POP: fastPop
	shapeMove                  // MOV, MOVB with a memory operand: fastMove
	shapeUpdate                // d = d op s, s a register or an immediate, d in memory: fastUpdate
)

// decodedOperand is a general operand as its bytes say.
type decodedOperand struct {
	mode  isa.Mode
	reg   isa.Reg
	reads bool   // a source or a read-modify-write destination: its value is read
	ext   uint32 // the extension word; for an immediate, its value masked to the size
}

// value returns the value of a register or immediate operand.
func (o *decodedOperand) value(c *CPU) uint32 {
	if o.mode == isa.ModeImm {
		return o.ext
	}
	return c.R[o.reg]
}

// fastFacts are the facts about an opcode that the fast handlers read,
// copied from opTable into each decoded entry, so that running an
// instruction on them reads no global table. When the handlers read
// opTable, the memory loop's speed depended on where the linker put it:
// 8.5 ns an instruction in one build, 13.5 in another that only added
// code elsewhere, and the same swing from padding the data before it
// (most likely 4K aliasing: a load whose address shares its low 12 bits
// with a store in flight, to a register say, waits for that store).
type fastFacts struct {
	code   isa.Opcode
	flags  isa.Flags
	swap   bool   // d = d op s: x = d, y = s
	writes bool   // the last operand is written
	when   uint16 // a branch: bit f set if taken when the flags are f
	size   uint32 // 4, or 1 for the byte forms
}

// factsOf returns the fast facts of in.
func factsOf(in *opInfo) fastFacts {
	return fastFacts{code: in.code, flags: in.flags, swap: in.swap, writes: in.writes,
		when: in.when, size: in.size}
}

// mask returns the mask of a size-byte value: 0xFF or 0xFFFFFFFF.
func (f *fastFacts) mask() uint32 { return ^uint32(0) >> (32 - 8*f.size) }

// decoded is one decoded instruction. It fits in 64 bytes, a cache line.
// The rest of what is known of its opcode is opTable[op.code].
type decoded struct {
	bytes, mask [2]uint64 // its bytes as two little-endian words (0 past its end), and ones over its length
	op          fastFacts // what the fast handlers need to know of its opcode
	shape       shape
	length      uint8 // its length in bytes
	lookups     uint8 // its TLB lookups on a fast path: its fetch accesses and its data accesses
	steps       bool  // it steps a register: an operand in mode 2, 3 or 4, or a stack operand
	ops         [2]decodedOperand
}

// disp returns the displacement of a decoded branch, sign-extended: it
// is kept in the first operand's extension word.
func (d *decoded) disp() uint32 { return d.ops[0].ext }

// matches reports whether the 16 bytes at offset off of frame start with
// the bytes d was decoded from. It is small enough to be inlined.
func (d *decoded) matches(frame *[isa.PageSize]byte, off uint32) bool {
	return binary.LittleEndian.Uint64(frame[off:])&d.mask[0] == d.bytes[0] &&
		binary.LittleEndian.Uint64(frame[off+8:])&d.mask[1] == d.bytes[1]
}

// clear empties the entry: no bytes match it.
func (d *decoded) clear() {
	*d = decoded{bytes: [2]uint64{^uint64(0), 0}}
}

// remember records the bytes lo and hi (the 16 bytes at the
// instruction) that d was decoded from, as far as its length.
func (d *decoded) remember(lo, hi uint64) {
	d.mask = [2]uint64{^uint64(0), 0}
	if d.length < 8 {
		d.mask[0] = 1<<(8*d.length) - 1
	} else {
		d.mask[1] = 1<<(8*(d.length-8)) - 1
	}
	d.bytes = [2]uint64{lo & d.mask[0], hi & d.mask[1]}
}

// decode decodes into d the instruction at offset off of frame, whose 16
// bytes are in the frame, and remembers its bytes; false, and d is empty,
// if no fast handler runs it (its opcode has no fast path, or a mode is
// not allowed by its role: the general path traps ILLEGAL).
func (d *decoded) decode(frame *[isa.PageSize]byte, off uint32) bool {
	if !d.decodeAt(frame, off) {
		d.clear()
		return false
	}
	d.remember(binary.LittleEndian.Uint64(frame[off:]), binary.LittleEndian.Uint64(frame[off+8:]))
	return true
}

// decodeAt decodes into d the instruction at offset off of frame; false
// if no fast handler runs it.
func (d *decoded) decodeAt(frame *[isa.PageSize]byte, off uint32) bool {
	in := &opTable[frame[off]]
	*d = decoded{op: factsOf(in), length: 1, lookups: 1}
	switch in.path {
	case pathNone:
		return false
	case pathBranch:
		d.ops[0].ext = uint32(int32(int16(binary.LittleEndian.Uint16(frame[off+1:]))))
		d.length, d.lookups, d.shape = 3, 2, shapeBranch
		return true
	}
	sh := shapeRegister
	if in.path == pathMemory {
		sh = shapeMemory
	}
	for k := range in.n {
		o := &d.ops[k]
		if !d.decodeOperand(o, frame, off, in.roles[k]) {
			return false
		}
		if o.mode.IsMemory() {
			sh = shapeMemory
		}
	}
	d.lookups += dataLookups(d)
	d.steps = in.stack != isa.NoStack || steps(d.ops[0].mode) || steps(d.ops[1].mode)
	d.shape = refine(d, sh)
	return true
}

// decodeOperand decodes into o the operand that starts d.length bytes
// into the instruction at off, and adds its bytes to d; false if its mode
// is not allowed by role.
func (d *decoded) decodeOperand(o *decodedOperand, frame *[isa.PageSize]byte, off uint32, role isa.Role) bool {
	spec := isa.SpecOperand(frame[off+uint32(d.length)])
	o.mode, o.reg = spec.Mode, spec.Reg
	if !role.Allows(o.mode) {
		return false
	}
	o.reads = role == isa.Src || role == isa.RMW
	d.length, d.lookups = d.length+1, d.lookups+1
	if o.mode.HasExt() {
		o.ext = binary.LittleEndian.Uint32(frame[off+uint32(d.length):])
		d.length, d.lookups = d.length+4, d.lookups+1
	}
	if o.mode == isa.ModeImm {
		o.ext &= d.op.mask()
	}
	return true
}

// dataLookups returns the data accesses of the decoded general
// instruction d when it runs on a fast path, where each lies inside one
// page: the read of each operand read from memory and the pointer of
// mode 4, the stack operand's read or write, and the write of a memory
// destination.
func dataLookups(d *decoded) uint8 {
	n := uint8(0)
	in := &opTable[d.op.code]
	for k := range in.n {
		o := &d.ops[k]
		if o.mode.IsMemory() && o.reads {
			n++
		}
		if o.mode == isa.ModeAutoIncDeferred {
			n++
		}
	}
	if in.stack != isa.NoStack {
		n++
	}
	if dst := &d.ops[in.n-1]; in.writes && dst.mode.IsMemory() {
		n++
	}
	return n
}

// steps reports whether an operand in mode m steps its register.
func steps(m isa.Mode) bool {
	return m == isa.ModeAutoInc || m == isa.ModeAutoDec || m == isa.ModeAutoIncDeferred
}

// refine returns the shape of the decoded instruction d, which decodeAt
// found to be sh: one of the shapes of fastops.go if a handler of its own
// runs d, else sh.
func refine(d *decoded, sh shape) shape {
	switch {
	case sh != shapeMemory:
		return sh
	case d.op.code == isa.PUSH:
		return shapePush
	case d.op.code == isa.POP:
		return shapePop
	case d.op.code == isa.MOV || d.op.code == isa.MOVB:
		return shapeMove
	case d.op.swap && !d.ops[0].mode.IsMemory():
		return shapeUpdate
	}
	return sh
}
