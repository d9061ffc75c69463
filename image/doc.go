// Package image is toyvm's program image: what the assembler produces
// and the kernel loads. An Image is an entry point, segments (an address,
// a size, permissions and initial bytes), a symbol table and a line table
// that maps addresses to source positions for the debugger.
//
// The kernel depends on this package, not on the assembler: it is given
// an assembler (kernel.Config.Assembler) to load the .s programs that
// spawn names.
//
// Files:
//
//   - image.go: Image and its parts, MarshalBinary (the image format),
//     SymbolAt, LineAt, and the layout rules every image obeys.
//   - label.go: Label, an address as the nearest label and an offset.
//   - load.go: Load, which decodes an image and refuses a truncated,
//     foreign or corrupt one with a message naming the byte offset.
package image
