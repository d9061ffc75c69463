package asm

import (
	"fmt"
	"strings"

	"toyvm/isa"
)

// checkInst checks an instruction's operands against isa's table in
// pass 1 and returns its size; false after reporting an error.
func (a *assembler) checkInst(st *statement, op *isa.Op) (uint32, bool) {
	if !a.checkCount(st, op) {
		return 0, false
	}
	if op.IsBranch() {
		return 3, a.checkBranch(st, op)
	}
	size, ok := uint32(1), true
	for k := range st.args {
		ar := &st.args[k]
		ok = a.checkOperand(op, k, ar) && ok
		size += isa.Operand{Mode: operandMode(ar)}.Len()
	}
	return size, ok
}

// checkCount reports a wrong number of operands.
func (a *assembler) checkCount(st *statement, op *isa.Op) bool {
	want := len(op.Operands)
	if len(st.args) == want {
		return true
	}
	pos := st.at
	if len(st.args) > want {
		pos = st.args[want].at
	}
	a.errorf(pos, "%s takes %s, found %d", op.Name, operandList(op), len(st.args))
	return false
}

// operandList describes an instruction's operands: "2 operands (src, dst)".
func operandList(op *isa.Op) string {
	n := len(op.Operands)
	if n == 0 {
		return "no operands"
	}
	roles := make([]string, n)
	for i, r := range op.Operands {
		roles[i] = r.String()
	}
	return fmt.Sprintf("%d operand%s (%s)", n, plural(n), strings.Join(roles, ", "))
}

// plural returns "s" unless n is 1.
func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

// operandMode returns the addressing mode of an instruction operand; a
// bare label is absolute (mode 7).
func operandMode(ar *arg) isa.Mode {
	if ar.kind == argBare {
		return isa.ModeAbs
	}
	return ar.mode
}

// checkOperand checks operand k of op against its role.
func (a *assembler) checkOperand(op *isa.Op, k int, ar *arg) bool {
	switch {
	case ar.kind == argString:
		a.errorf(ar.at, "%s cannot take a string operand", op.Name)
		return false
	case ar.kind == argBare && ar.expr.isConst():
		a.errorf(ar.at, "bare number %s: write #%s for the value or @%s for the address", ar.text, ar.text, ar.text)
		return false
	case !op.Operands[k].Allows(operandMode(ar)):
		a.errorf(ar.at, "%s", modeMessage(op, k, ar))
		return false
	}
	return true
}

// modeMessage explains why operand k of op cannot be written as ar.
func modeMessage(op *isa.Op, k int, ar *arg) string {
	role, mode := op.Operands[k], operandMode(ar)
	switch {
	case role == isa.RegOnly:
		return fmt.Sprintf("%s takes registers only: operand %d is %s", op.Name, k+1, ar.text)
	case role == isa.Target && mode == isa.ModeReg:
		return fmt.Sprintf("%s cannot go to register %s: write (%s) for the address it holds", op.Name, ar.text, ar.text)
	case role == isa.Target && mode == isa.ModeImm:
		return fmt.Sprintf("%s cannot go to an immediate: write @%s or a label for an address", op.Name, ar.text[1:])
	case mode == isa.ModeImm:
		return fmt.Sprintf("%s is a value, not a place to put one: operand %d of %s is a destination (a register or memory)", ar.text, k+1, op.Name)
	}
	return fmt.Sprintf("operand %d of %s cannot be %s (%s)", k+1, op.Name, ar.text, mode)
}

// checkBranch checks that a branch's operand is an expression.
func (a *assembler) checkBranch(st *statement, op *isa.Op) bool {
	ar := &st.args[0]
	if ar.kind == argBare {
		return true
	}
	a.errorf(ar.at, "%s takes a label or an address, not %s", op.Name, ar.text)
	return false
}

// encode encodes an instruction with isa.Encode in pass 2.
func (a *assembler) encode(it *item) {
	in := isa.Inst{Op: it.op}
	ok := true
	if it.op.IsBranch() {
		in.Disp, ok = a.branchDisp(it)
	} else {
		for k := range it.args {
			var good bool
			in.Args[k], good = a.operand(&it.args[k])
			ok = ok && good
		}
	}
	if !ok {
		return
	}
	b, err := isa.Encode(nil, &in)
	if err != nil || uint32(len(b)) != it.size {
		panic(fmt.Sprintf("asm.encode: %s at %s: pass 1 accepted what isa refuses (%v, %d bytes)", it.op.Name, a.pos(it.at), err, len(b)))
	}
	a.write(it, b)
}

// operand returns the isa operand of an argument, its extension word
// evaluated; false if an expression has an undefined name.
func (a *assembler) operand(ar *arg) (isa.Operand, bool) {
	o := isa.Operand{Mode: operandMode(ar), Reg: ar.reg}
	if !o.Mode.HasExt() {
		return o, true
	}
	v, ok := a.eval(&ar.expr)
	o.Ext = v
	return o, ok
}

// branchDisp returns a branch's displacement from the next instruction,
// reporting a target out of the signed 16-bit range. Addresses wrap
// modulo 2^32, as the CPU computes them.
func (a *assembler) branchDisp(it *item) (int16, bool) {
	ar := &it.args[0]
	target, ok := a.eval(&ar.expr)
	if !ok {
		return 0, false
	}
	d := int32(target - (a.addr(it) + it.size))
	if d < -1<<15 || d >= 1<<15 {
		a.errorf(ar.at, "branch target %s (0x%x) is out of range: %d bytes away, a branch reaches -32768..32767", ar.text, target, d)
		return 0, false
	}
	return int16(d), true
}
