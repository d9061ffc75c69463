package isa

import (
	"encoding/binary"
	"errors"
	"fmt"
)

// MaxInstLen is the longest encoding: an opcode and three operands with
// extension words.
const MaxInstLen = 1 + 3*5

// Inst is one decoded instruction.
type Inst struct {
	Op   *Op
	Args [3]Operand // the first len(Op.Operands) are used; unused for branches
	Disp int16      // branch displacement from the next instruction
}

// NArgs returns the number of general operands (0 for a branch).
func (i *Inst) NArgs() int {
	if i.Op.IsBranch() {
		return 0
	}
	return len(i.Op.Operands)
}

// Len returns the instruction's length in bytes.
func (i *Inst) Len() uint32 {
	if i.Op.IsBranch() {
		return 3
	}
	n := uint32(1)
	for k := 0; k < i.NArgs(); k++ {
		n += i.Args[k].Len()
	}
	return n
}

// Target returns a branch's destination when the branch starts at pc.
func (i *Inst) Target(pc uint32) uint32 {
	return pc + i.Len() + uint32(int32(i.Disp))
}

// ErrTruncated is wrapped by Decode's error when the bytes end inside an
// instruction.
var ErrTruncated = errors.New("truncated instruction")

// ErrIllegal is wrapped by Decode's and Encode's errors for an illegal
// opcode, mode or operand.
var ErrIllegal = errors.New("illegal instruction")

// Encode appends the encoding of i to dst. It returns dst unchanged and
// an error wrapping ErrIllegal if an operand's mode is not allowed.
func Encode(dst []byte, i *Inst) ([]byte, error) {
	if err := i.check(); err != nil {
		return dst, err
	}
	out := append(dst, byte(i.Op.Code))
	if i.Op.IsBranch() {
		return binary.LittleEndian.AppendUint16(out, uint16(i.Disp)), nil
	}
	for k := 0; k < i.NArgs(); k++ {
		a := i.Args[k]
		out = append(out, a.Spec())
		if a.Mode.HasExt() {
			out = binary.LittleEndian.AppendUint32(out, a.Ext)
		}
	}
	return out, nil
}

func (i *Inst) check() error {
	if i.Op == nil {
		return fmt.Errorf("%w: no opcode", ErrIllegal)
	}
	for k := 0; k < i.NArgs(); k++ {
		a, role := i.Args[k], i.Op.Operands[k]
		if a.Reg > 15 || !role.Allows(a.Mode) {
			return fmt.Errorf("%w: %s operand %d of %s cannot be %s",
				ErrIllegal, role, k+1, i.Op.Name, a.Mode)
		}
	}
	return nil
}

// Decode decodes the instruction at the start of b. It returns an error
// wrapping ErrTruncated if b ends inside the instruction, or ErrIllegal
// for an unknown opcode or a mode the operand may not use; n is then the
// number of bytes read up to the problem.
func Decode(b []byte) (i Inst, n uint32, err error) {
	if len(b) == 0 {
		return i, 0, ErrTruncated
	}
	i.Op = Lookup(Opcode(b[0]))
	if i.Op == nil {
		return i, 1, fmt.Errorf("%w: opcode 0x%02x", ErrIllegal, b[0])
	}
	n = 1
	if i.Op.IsBranch() {
		if len(b) < 3 {
			return i, uint32(len(b)), ErrTruncated
		}
		i.Disp = int16(binary.LittleEndian.Uint16(b[1:]))
		return i, 3, nil
	}
	for k, role := range i.Op.Operands {
		if int(n) >= len(b) {
			return i, n, ErrTruncated
		}
		a := SpecOperand(b[n])
		n++
		if !role.Allows(a.Mode) {
			return i, n, fmt.Errorf("%w: %s operand %d of %s cannot be %s",
				ErrIllegal, role, k+1, i.Op.Name, a.Mode)
		}
		if a.Mode.HasExt() {
			if int(n)+4 > len(b) {
				return i, uint32(len(b)), ErrTruncated
			}
			a.Ext = binary.LittleEndian.Uint32(b[n:])
			n += 4
		}
		i.Args[k] = a
	}
	return i, n, nil
}
