package cpu

import "toyvm/isa"

// class says which routine of exec.go runs an instruction.
type class uint8

const (
	classIllegal class = iota // no instruction has this opcode
	classGeneral              // MOV to POP: general operands, the ALU, a destination
	classBranch               // BR to BHI
	classJump                 // JMP and CALL
	classMOVC                 // MOVC
	classNOP
	classHALT
	classSYS
	classBPT
	classRET
)

// path says which fast path may run an instruction (decoded.go picks the
// shape of each instruction from it and its operands' modes).
type path uint8

const (
	pathNone     path = iota // only the general path
	pathRegister             // two operands, no stack operand: fastRegister, else fastMemory
	pathMemory               // general, at most two operands: fastMemory
	pathBranch               // BR to BHI: fastBranch
)

// opInfo is what execute needs to know about an opcode, computed once
// from isa.Ops by init, so that the hot path reads one small struct
// instead of following op.Operands slices. Nothing here is written by
// hand: the isa table stays the one description of the instructions.
type opInfo struct {
	code   isa.Opcode
	class  class
	priv   bool        // privileged: illegal in user mode
	path   path        // the fast path that may run it
	swap   bool        // two operands, the second read-modify-write: x = d, y = s
	writes bool        // the last general operand is written (Dst or RMW)
	n      int         // general operands
	roles  [3]isa.Role // their roles, in order
	size   uint32      // 4, or 1 for the byte forms
	mask   uint32      // the mask of a size-byte value
	stack  isa.Stack
	flags  isa.Flags
	when   uint16 // a branch: bit f is set if it is taken when the flags are f
	passes bool   // alu returns its x: the moves and TST (alu.go)
}

// opTable is opInfo by opcode; an illegal opcode has classIllegal.
var opTable [256]opInfo

func init() {
	for i := range isa.Ops {
		op := &isa.Ops[i]
		opTable[op.Code] = newOpInfo(op)
	}
}

// newOpInfo returns the facts about op that execute needs.
func newOpInfo(op *isa.Op) opInfo {
	in := opInfo{code: op.Code, class: classOf(op), priv: op.Privileged, n: len(op.Operands),
		size: op.Size, mask: sizeMask(op.Size), stack: op.Stack, flags: op.Flags}
	if in.n > len(in.roles) {
		panic("cpu.newOpInfo: too many operands for " + op.Name)
	}
	copy(in.roles[:], op.Operands)
	if in.class == classBranch {
		in.when = branchConditions(op.Code)
		in.path = pathBranch
	}
	if in.class == classGeneral && in.n > 0 {
		last := op.Operands[in.n-1]
		in.writes = last == isa.Dst || last == isa.RMW
		in.swap = in.n == 2 && last == isa.RMW
		in.path = fastPath(&in)
		in.passes = passes(op.Code)
	}
	return in
}

// fastPath returns the fast path that may run the general instruction in.
func fastPath(in *opInfo) path {
	switch {
	case in.n == 2 && in.stack == isa.NoStack:
		return pathRegister
	case in.n <= 2 && !in.priv:
		return pathMemory
	}
	return pathNone
}

// classOf returns the routine that runs op.
func classOf(op *isa.Op) class {
	switch {
	case op.IsBranch():
		return classBranch
	case op.Code == isa.JMP || op.Code == isa.CALL:
		return classJump
	case op.Code == isa.MOVC:
		return classMOVC
	case op.Code == isa.NOP:
		return classNOP
	case op.Code == isa.HALT:
		return classHALT
	case op.Code == isa.SYS:
		return classSYS
	case op.Code == isa.BPT:
		return classBPT
	case op.Code == isa.RET:
		return classRET
	}
	return classGeneral
}

// branchConditions returns the flag combinations (bit f for PSW flags f)
// on which the branch code is taken.
func branchConditions(code isa.Opcode) uint16 {
	var when uint16
	for f := range PSW(Flags + 1) {
		if takenOn(code, f) {
			when |= 1 << f
		}
	}
	return when
}
