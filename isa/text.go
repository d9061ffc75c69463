package isa

import (
	"fmt"
	"strings"
)

// Namer names an address (a label) for the disassembler; it returns ""
// when the address has no name.
type Namer func(addr uint32) string

// Text returns the instruction in assembler syntax, as the disassembler
// prints it and the assembler reads it back: a lower-case mnemonic, then
// the operands separated by ", ". pc is the instruction's address, used
// for branch targets; names, which may be nil, turns absolute addresses
// and branch targets into labels.
func (i *Inst) Text(pc uint32, names Namer) string {
	var sb strings.Builder
	sb.WriteString(i.Op.Name)
	if i.Op.IsBranch() {
		sb.WriteByte(' ')
		sb.WriteString(addrText(i.Target(pc), names))
		return sb.String()
	}
	for k := 0; k < i.NArgs(); k++ {
		if k == 0 {
			sb.WriteByte(' ')
		} else {
			sb.WriteString(", ")
		}
		sb.WriteString(i.Args[k].Text(names))
	}
	return sb.String()
}

// Text returns the operand in assembler syntax.
func (o Operand) Text(names Namer) string {
	switch o.Mode {
	case ModeReg:
		return o.Reg.String()
	case ModeDeferred:
		return "(" + o.Reg.String() + ")"
	case ModeAutoInc:
		return "(" + o.Reg.String() + ")+"
	case ModeAutoDec:
		return "-(" + o.Reg.String() + ")"
	case ModeAutoIncDeferred:
		return "@(" + o.Reg.String() + ")+"
	case ModeDisp:
		return fmt.Sprintf("%d(%s)", int32(o.Ext), o.Reg)
	case ModeImm:
		return "#" + valueText(o.Ext)
	case ModeAbs:
		if n := nameOf(o.Ext, names); n != "" {
			return n
		}
		return fmt.Sprintf("@0x%x", o.Ext)
	}
	return fmt.Sprintf("?%s", o.Mode)
}

// valueText prints small values in decimal (negative ones signed) and
// large ones in hexadecimal.
func valueText(v uint32) string {
	if s := int32(v); s >= -65536 && s <= 65535 {
		return fmt.Sprintf("%d", s)
	}
	return fmt.Sprintf("0x%x", v)
}

func addrText(a uint32, names Namer) string {
	if n := nameOf(a, names); n != "" {
		return n
	}
	return fmt.Sprintf("0x%x", a)
}

func nameOf(a uint32, names Namer) string {
	if names == nil {
		return ""
	}
	return names(a)
}
