// Package asm is toyvm's assembler and disassembler; the image format
// they write and read is package image. The assembler reads the syntax of docs/isa.md section 11 and
// encodes through package isa (the one instruction table), so it never
// spells an opcode itself.
//
// Assembly runs in two passes. Pass 1 reads the source a line at a time
// (an included file's lines where its .include stands): it lexes and
// parses the line on its own (a mistake on one line stops nothing
// else), defines its label and works out its statement's size,
// which depends only on how the operands are written, and forgets the
// line: only the statements that emit bytes, and the symbols, are kept
// for pass 2. Between the passes .text is placed at isa.TextBase and
// .data at the next page boundary. Pass 2 evaluates the expressions,
// with every symbol known, and encodes. Every error of either pass is
// collected, with its position, into one ErrorList.
//
// The assembler's memory grows with the source by a small constant
// factor, and its time in proportion to it: nothing recurses on what a
// program holds (a chain of a million .equ names is worked out on an
// explicit stack). BenchmarkAssembleLargeSource measures both.
//
// Files:
//
//   - lex.go: the tokens of one line.
//   - parse.go: the grammar of a line, parsed by recursive descent into
//     a label and a statement, with registers checked.
//   - mistakes.go: the messages for the mistakes students make most, in
//     plain words (testdata/mistakes.s has one of each).
//   - expr.go: expressions, numbers, and string and character literals.
//   - assemble.go: Assemble, the two passes, the layout and the image
//     built at the end.
//   - source.go: the program's files: reading them (on the host or from
//     an fs.FS), .include, the runs of lines that map a loc back to its
//     file and line, and the check that a file is text.
//   - symbols.go: the symbol table, and the values of .equ names.
//   - inst.go: instruction operands checked against isa's roles (pass 1)
//     and encoded with isa.Encode (pass 2), branch displacements.
//   - directive.go: the directives, each sized in pass 1 and emitted in
//     pass 2.
//   - errors.go: Pos, Error and ErrorList ("file.s:12:7: message"), and
//     loc, the compact place pass 1 keeps.
//   - suggest.go: the nearest known name for a misspelt mnemonic or
//     directive (edit distance).
//   - loadfile.go: LoadFile (a .s file assembled, anything else loaded
//     as an image) and AssembleFS (a source, and the files it includes,
//     read from an fs.FS).
//   - disasm.go: Disassemble, the listing `toyvm disasm` prints.
package asm
