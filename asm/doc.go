// Package asm is toyvm's assembler and disassembler; the image format
// they write and read is package image. The assembler reads the syntax of docs/isa.md section 11 and
// encodes through package isa (the one instruction table), so it never
// spells an opcode itself.
//
// Assembly runs in two passes. Pass 1 parses each line on its own (a
// syntax error on one line stops nothing else), defines the labels and
// works out every statement's size, which depends only on how its
// operands are written. Between the passes .text is placed at
// isa.TextBase and .data at the next page boundary. Pass 2 evaluates the
// expressions, with every symbol known, and encodes. Every error of
// either pass is collected, with its position, into one ErrorList.
//
// Files:
//
//   - grammar.go: the participle lexer and grammar of one source line.
//   - parse.go: the source split into lines and the parse trees turned
//     into statements and operands, with registers checked.
//   - expr.go: expressions, numbers, and string and character literals.
//   - assemble.go: Assemble, the two passes, the symbol table, the layout
//     and the image built at the end.
//   - inst.go: instruction operands checked against isa's roles (pass 1)
//     and encoded with isa.Encode (pass 2), branch displacements.
//   - directive.go: the directives, each sized in pass 1 and emitted in
//     pass 2.
//   - errors.go: Pos, Error and ErrorList ("file.s:12:7: message").
//   - suggest.go: the nearest known name for a misspelt mnemonic or
//     directive (edit distance).
//   - loadfile.go: LoadFile (a .s file assembled, anything else loaded
//     as an image) and AssembleFS (a source read from an fs.FS).
//   - disasm.go: Disassemble, the listing `toyvm disasm` prints.
package asm
