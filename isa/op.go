package isa

import "strings"

// Opcode is an instruction's first byte.
type Opcode uint8

// Role says what an instruction does with one of its operands.
type Role uint8

const (
	// Src is read for its value.
	Src Role = iota
	// Dst is written only; its old value is never read.
	Dst
	// RMW is read for its old value, then written with the result.
	RMW
	// Target is used for its address only (JMP and CALL).
	Target
	// RegOnly must name a register with mode 0 (MOVC).
	RegOnly
	// Branch is a signed 16-bit displacement, not a general operand.
	Branch
)

var roleNames = [...]string{"src", "dst", "rmw", "target", "reg", "branch"}

// String returns the role's short name, as the disassembler's table and
// the docs write it: "src", "dst", "rmw", "target", "reg" or "branch".
func (r Role) String() string {
	if int(r) < len(roleNames) {
		return roleNames[r]
	}
	return "role?"
}

// Allows reports whether an operand of role r may use mode m.
// An operand that breaks this rule is an illegal instruction.
func (r Role) Allows(m Mode) bool {
	switch {
	case m > ModeAbs:
		return false
	case r == Dst || r == RMW:
		return m != ModeImm
	case r == Target:
		return m != ModeReg && m != ModeImm
	case r == RegOnly:
		return m == ModeReg
	}
	return true
}

// Stack is an instruction's implicit stack operand.
type Stack uint8

const (
	// NoStack: the instruction does not touch the stack implicitly.
	NoStack Stack = iota
	// PushStack: sp -= 4, then a word is written at sp (PUSH, CALL).
	PushStack
	// PopStack: a word is read at sp, sp += 4 (POP, RET).
	PopStack
)

var stackNames = [...]string{"none", "push", "pop"}

// String returns "none", "push" or "pop".
func (s Stack) String() string {
	if int(s) < len(stackNames) {
		return stackNames[s]
	}
	return "stack?"
}

// Flags says which condition codes an instruction sets.
type Flags uint8

const (
	// FlagsKeep leaves N, Z, C and V unchanged.
	FlagsKeep Flags = iota
	// FlagsNZ sets N and Z from the result and clears C and V
	// (DIV and DIV3 set V on 0x80000000 / -1).
	FlagsNZ
	// FlagsNZCV sets N and Z from the result, C from the carry or
	// borrow and V from signed overflow.
	FlagsNZCV
)

var flagsNames = [...]string{"keep", "NZ", "NZCV"}

// String returns "keep", "NZ" or "NZCV": the flags the instruction sets.
func (f Flags) String() string {
	if int(f) < len(flagsNames) {
		return flagsNames[f]
	}
	return "flags?"
}

// Op describes one instruction: its encoding, its operands and what it
// does to the flags. Ops is the one table the assembler, the CPU, the
// disassembler and the kernel's backup decoder all read.
type Op struct {
	Code       Opcode
	Name       string // mnemonic, lower case
	Operands   []Role // in the order they are encoded and evaluated
	Size       uint32 // bytes stepped by (rN)+ and -(rN): 4, or 1 for byte forms
	Stack      Stack  // implicit stack operand, evaluated after sources and targets
	Flags      Flags
	Privileged bool // illegal in user mode
	Summary    string
}

var (
	none   = []Role{}
	s      = []Role{Src}
	d      = []Role{Dst}
	m      = []Role{RMW}
	t      = []Role{Target}
	b      = []Role{Branch}
	sd     = []Role{Src, Dst}
	sm     = []Role{Src, RMW}
	ss     = []Role{Src, Src}
	ssd    = []Role{Src, Src, Dst}
	rrr    = []Role{RegOnly, RegOnly, RegOnly}
	keep   = FlagsKeep
	nz     = FlagsNZ
	nzcv   = FlagsNZCV
	word   = uint32(4)
	byte1  = uint32(1)
	noPush = NoStack
)

const (
	privileged = true  // illegal in user mode
	anyMode    = false // allowed in user mode
)

// Ops is the instruction table, in opcode order; each opcode's number is
// the constant of its name below.
var Ops = []Op{
	{HALT, "halt", none, word, noPush, keep, privileged, "stop the machine (privileged)"},
	{NOP, "nop", none, word, noPush, keep, anyMode, "do nothing"},
	{SYS, "sys", none, word, noPush, keep, anyMode, "system call: number in r0, arguments r1-r6, result in r0"},
	{RET, "ret", none, word, PopStack, keep, anyMode, "pc = pop"},
	{BPT, "bpt", none, word, noPush, keep, anyMode, "breakpoint trap"},
	{MOV, "mov", sd, word, noPush, nz, anyMode, "d = s"},
	{MOVB, "movb", sd, byte1, noPush, nz, anyMode, "byte move; into a register it zero-extends"},
	{ADD, "add", sm, word, noPush, nzcv, anyMode, "d = d + s"},
	{SUB, "sub", sm, word, noPush, nzcv, anyMode, "d = d - s"},
	{MUL, "mul", sm, word, noPush, nz, anyMode, "d = d * s (low 32 bits)"},
	{DIV, "div", sm, word, noPush, nz, anyMode, "d = d / s, signed, truncating; s = 0 traps"},
	{MOD, "mod", sm, word, noPush, nz, anyMode, "d = d % s, sign of the dividend; s = 0 traps"},
	{AND, "and", sm, word, noPush, nz, anyMode, "d = d & s"},
	{OR, "or", sm, word, noPush, nz, anyMode, "d = d | s"},
	{XOR, "xor", sm, word, noPush, nz, anyMode, "d = d ^ s"},
	{SHL, "shl", sm, word, noPush, nz, anyMode, "d = d << (s & 31)"},
	{SHR, "shr", sm, word, noPush, nz, anyMode, "d = d >> (s & 31), logical"},
	{SAR, "sar", sm, word, noPush, nz, anyMode, "d = d >> (s & 31), arithmetic"},
	{CMP, "cmp", ss, word, noPush, nzcv, anyMode, "flags of a - b"},
	{CMPB, "cmpb", ss, byte1, noPush, nzcv, anyMode, "flags of the 8-bit a - b"},
	{ADD3, "add3", ssd, word, noPush, nzcv, anyMode, "d = a + b"},
	{SUB3, "sub3", ssd, word, noPush, nzcv, anyMode, "d = a - b"},
	{MUL3, "mul3", ssd, word, noPush, nz, anyMode, "d = a * b"},
	{DIV3, "div3", ssd, word, noPush, nz, anyMode, "d = a / b (traps as div)"},
	{MOVC, "movc", rrr, byte1, noPush, keep, anyMode, "copy rL bytes from rS to rD, byte by byte"},
	{CLR, "clr", d, word, noPush, nz, anyMode, "d = 0"},
	{INC, "inc", m, word, noPush, nzcv, anyMode, "d = d + 1"},
	{DEC, "dec", m, word, noPush, nzcv, anyMode, "d = d - 1"},
	{NEG, "neg", m, word, noPush, nzcv, anyMode, "d = 0 - d"},
	{NOT, "not", m, word, noPush, nz, anyMode, "d = ^d"},
	{TST, "tst", s, word, noPush, nz, anyMode, "flags of s"},
	{PUSH, "push", s, word, PushStack, keep, anyMode, "sp -= 4; word at sp = s"},
	{POP, "pop", d, word, PopStack, keep, anyMode, "d = word at sp; sp += 4"},
	{JMP, "jmp", t, word, noPush, keep, anyMode, "pc = address of t"},
	{CALL, "call", t, word, PushStack, keep, anyMode, "push the return address; pc = address of t"},
	{BR, "br", b, word, noPush, keep, anyMode, "branch always"},
	{BEQ, "beq", b, word, noPush, keep, anyMode, "branch if Z"},
	{BNE, "bne", b, word, noPush, keep, anyMode, "branch if !Z"},
	{BLT, "blt", b, word, noPush, keep, anyMode, "branch if N != V"},
	{BGE, "bge", b, word, noPush, keep, anyMode, "branch if N == V"},
	{BLE, "ble", b, word, noPush, keep, anyMode, "branch if Z or N != V"},
	{BGT, "bgt", b, word, noPush, keep, anyMode, "branch if !Z and N == V"},
	{BLO, "blo", b, word, noPush, keep, anyMode, "branch if C (unsigned lower)"},
	{BHS, "bhs", b, word, noPush, keep, anyMode, "branch if !C (unsigned higher or same)"},
	{BLS, "bls", b, word, noPush, keep, anyMode, "branch if C or Z (unsigned lower or same)"},
	{BHI, "bhi", b, word, noPush, keep, anyMode, "branch if !C and !Z (unsigned higher)"},
}

// Opcodes of the instructions the CPU treats specially, named so that
// code never spells them as numbers.
const (
	HALT Opcode = 0x00
	NOP  Opcode = 0x01
	SYS  Opcode = 0x02
	RET  Opcode = 0x03
	BPT  Opcode = 0x04
	MOV  Opcode = 0x10
	MOVB Opcode = 0x11
	ADD  Opcode = 0x12
	SUB  Opcode = 0x13
	MUL  Opcode = 0x14
	DIV  Opcode = 0x15
	MOD  Opcode = 0x16
	AND  Opcode = 0x17
	OR   Opcode = 0x18
	XOR  Opcode = 0x19
	SHL  Opcode = 0x1A
	SHR  Opcode = 0x1B
	SAR  Opcode = 0x1C
	CMP  Opcode = 0x1D
	CMPB Opcode = 0x1E
	ADD3 Opcode = 0x20
	SUB3 Opcode = 0x21
	MUL3 Opcode = 0x22
	DIV3 Opcode = 0x23
	MOVC Opcode = 0x24
	CLR  Opcode = 0x30
	INC  Opcode = 0x31
	DEC  Opcode = 0x32
	NEG  Opcode = 0x33
	NOT  Opcode = 0x34
	TST  Opcode = 0x35
	PUSH Opcode = 0x36
	POP  Opcode = 0x37
	JMP  Opcode = 0x38
	CALL Opcode = 0x39
	BR   Opcode = 0x40
	BEQ  Opcode = 0x41
	BNE  Opcode = 0x42
	BLT  Opcode = 0x43
	BGE  Opcode = 0x44
	BLE  Opcode = 0x45
	BGT  Opcode = 0x46
	BLO  Opcode = 0x47
	BHS  Opcode = 0x48
	BLS  Opcode = 0x49
	BHI  Opcode = 0x4A
)

var (
	byCode [256]*Op
	byName = map[string]*Op{}
)

func init() {
	for i := range Ops {
		op := &Ops[i]
		if byCode[op.Code] != nil || byName[op.Name] != nil {
			panic("isa.init: duplicate opcode or name " + op.Name)
		}
		byCode[op.Code] = op
		byName[op.Name] = op
	}
}

// Lookup returns the instruction with opcode c, or nil if c is illegal.
func Lookup(c Opcode) *Op { return byCode[c] }

// ByName returns the instruction with the mnemonic name in any case, or
// nil if there is none.
func ByName(name string) *Op { return byName[strings.ToLower(name)] }

// String returns the opcode's mnemonic, or "op(0xNN)" if it is illegal.
func (c Opcode) String() string {
	if op := byCode[c]; op != nil {
		return op.Name
	}
	return "op(0x" + hex2(uint8(c)) + ")"
}

// IsBranch reports whether op takes a branch displacement.
func (op *Op) IsBranch() bool {
	return len(op.Operands) == 1 && op.Operands[0] == Branch
}

func hex2(v uint8) string {
	const digits = "0123456789abcdef"
	return string([]byte{digits[v>>4], digits[v&15]})
}
