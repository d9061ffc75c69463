package kernel

import (
	"fmt"

	"toyvm/cpu"
	"toyvm/isa"
)

// Instruction backup (docs/isa.md section 8). When an instruction faults part
// way, the registers its operands stepped ((rN)+, -(rN), @(rN)+ and the
// implicit stack operand) may already have changed. Before restarting the
// instruction, the kernel must undo exactly those changes and point pc
// back at its first byte. How much the hardware helps depends on the
// level:
//
//   - precise: the CPU has undone everything already.
//   - log: the CPU lists each (register, delta) it applied; undo them.
//   - decode: decode the instruction bytes from fault_pc up to the saved
//     pc (where fetching stopped): an operand's side effect happened iff
//     its whole specifier and extension lie before the saved pc.

// Backup backs up the instruction that took the last fault so that
// returning from the trap restarts it: it undoes the side effects the
// help level left applied, then sets SavedPC = FaultPC. read returns an
// instruction byte of the faulting process (false if it cannot be read).
// It returns an error, changing nothing, if a byte cannot be read.
func Backup(c *cpu.CPU, read func(va uint32) (byte, bool)) error {
	switch c.Level {
	case cpu.Log:
		undo(c, c.BackupLog())
	case cpu.Decode:
		effects, err := decodeEffects(c, read)
		if err != nil {
			return err
		}
		undo(c, effects)
	}
	c.SavedPC = c.FaultPC
	return nil
}

// undo reverses side effects, last first.
func undo(c *cpu.CPU, effects []cpu.LogEntry) {
	// kit:backup begin
	for i := len(effects) - 1; i >= 0; i-- {
		e := effects[i]
		c.R[e.Reg] -= uint32(e.Delta)
	}
	// kit:backup end
}

// maxEffects is the most side effects one instruction has: one per
// operand and the implicit stack operand.
const maxEffects = 4

// decodeEffects decodes the instruction bytes from c.FaultPC to c.SavedPC
// and returns the side effects that were applied, in order; it returns
// an error if a byte of the instruction cannot be read back.
func decodeEffects(c *cpu.CPU, read func(va uint32) (byte, bool)) ([]cpu.LogEntry, error) {
	// kit:backup begin
	d := decoder{pc: c.FaultPC, end: c.SavedPC, read: read}
	if d.pc == d.end {
		return nil, nil // the opcode fetch faulted: nothing happened
	}
	code, err := d.next()
	if err != nil {
		return nil, err
	}
	op := isa.Lookup(isa.Opcode(code))
	if op == nil || op.IsBranch() {
		return nil, nil
	}
	out := make([]cpu.LogEntry, 0, maxEffects)
	out, err = d.operands(op, out)
	if err != nil {
		return nil, err
	}
	return stackEffects(c, op, out), nil
	// kit:backup end
}

// stackEffects adds the implicit stack operand's step of sp: that of POP
// and RET happened as soon as the opcode was fetched; that of PUSH and
// CALL only if the fault is their final write (the stack write).
func stackEffects(c *cpu.CPU, op *isa.Op, out []cpu.LogEntry) []cpu.LogEntry {
	// kit:backup begin
	switch op.Stack {
	case isa.PopStack:
		return append(out, cpu.LogEntry{Reg: isa.SP, Delta: 4})
	case isa.PushStack:
		if c.Cause.Cause.IsMemory() && c.Cause.Access == isa.Write {
			return append(out, cpu.LogEntry{Reg: isa.SP, Delta: -4})
		}
	}
	return out
	// kit:backup end
}

// decoder reads instruction bytes from pc up to end.
type decoder struct {
	pc, end uint32
	read    func(va uint32) (byte, bool)
}

// next returns the byte at pc and moves past it; it returns an error if
// the byte cannot be read.
func (d *decoder) next() (byte, error) {
	b, ok := d.read(d.pc)
	if !ok {
		return 0, fmt.Errorf("kernel.Backup: cannot read the instruction byte at 0x%08x", d.pc)
	}
	d.pc++
	return b, nil
}

// fetched reports whether n more bytes from pc lie before end, i.e. were
// fetched before the fault.
func (d *decoder) fetched(n uint32) bool { return d.end-d.pc >= n }

// operands appends the side effects of the operands whose specifier and
// extension were wholly fetched, stopping at the first one that was not
// (or whose mode is illegal: the CPU stopped there).
func (d *decoder) operands(op *isa.Op, out []cpu.LogEntry) ([]cpu.LogEntry, error) {
	// kit:backup begin
	for _, role := range op.Operands {
		if !d.fetched(1) {
			break
		}
		spec, err := d.next()
		if err != nil {
			return nil, err
		}
		o := isa.SpecOperand(spec)
		if !role.Allows(o.Mode) || !d.fetched(o.Len()-1) {
			break
		}
		d.pc += o.Len() - 1
		if r, delta, ok := o.SideEffect(op.Size); ok {
			out = append(out, cpu.LogEntry{Reg: r, Delta: delta})
		}
	}
	return out, nil
	// kit:backup end
}
