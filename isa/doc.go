// Package isa defines toyvm's instruction set architecture: the one table
// of instructions, the addressing modes, the encoding and the text form.
// The assembler, the CPU, the disassembler and the kernel's instruction
// backup decoder all read it, so that none of them spells an opcode or a
// mode as a bare number.
//
// Files:
//
//   - op.go: Op, the instruction table Ops, operand roles, flag effects,
//     Lookup and ByName.
//   - operand.go: Mode, Reg and Operand: specifier bytes, extension words
//     and the register side effects of modes 2, 3 and 4.
//   - inst.go: Inst, Encode and Decode.
//   - text.go: the assembler-syntax text of an instruction, as the
//     disassembler prints it.
//   - layout.go: the user address space (text base, stack top).
//   - trap.go: Cause (the trap causes of fault_cause) and Access (read,
//     write, fetch).
package isa
