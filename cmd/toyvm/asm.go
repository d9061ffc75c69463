package main

import (
	"fmt"
	"os"
	"strings"

	"toyvm/asm"
)

// AsmCmd is `toyvm asm`.
type AsmCmd struct {
	File string `arg:"" help:"Source file (.s)."`
	Out  string `short:"o" placeholder:"OUT" help:"Image file to write (default: FILE with .img instead of .s)."`
}

// Run assembles the file and writes the image; every assembly error is
// reported, and the status is then 2.
func (a *AsmCmd) Run(e env) error {
	src, err := os.ReadFile(a.File)
	if err != nil {
		return err
	}
	img, err := asm.Assemble(a.File, src)
	if err != nil {
		return err
	}
	data, err := img.MarshalBinary()
	if err != nil {
		return err
	}
	out := a.Out
	if out == "" {
		out = strings.TrimSuffix(a.File, ".s") + ".img"
	}
	if err := os.WriteFile(out, data, 0o644); err != nil {
		return fmt.Errorf("cannot write the image: %w", err)
	}
	return nil
}

// DisasmCmd is `toyvm disasm`.
type DisasmCmd struct {
	File string `arg:"" help:"Image or .s file to disassemble."`
}

// Run prints the listing of the file.
func (d *DisasmCmd) Run(e env) error {
	img, err := asm.LoadFile(d.File)
	if err != nil {
		return err
	}
	_, err = fmt.Fprint(e.stdout, asm.Disassemble(img))
	return err
}
