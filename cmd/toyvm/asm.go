package main

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"

	"toyvm/asm"
	"toyvm/image"
)

// AsmCmd is `toyvm asm`.
type AsmCmd struct {
	File  string `arg:"" help:"Source file (.s)."`
	Out   string `short:"o" placeholder:"OUT" help:"Image file to write (default: FILE with .img instead of .s). It is never the source itself, and an existing OUT that is not a toyvm image is kept unless --force."`
	Force bool   `help:"Replace OUT even if it exists and is not a toyvm image."`
}

// Run assembles the file and writes the image; every assembly error is
// reported, and the status is then 2. It writes nothing over the source,
// nor over a file that is not an image (without --force), and writes the
// image whole or not at all.
func (a *AsmCmd) Run(e env) error {
	src, err := os.ReadFile(a.File)
	if err != nil {
		return err
	}
	out := a.outPath()
	if err := a.checkOut(out); err != nil {
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
	err = writeAtomically(out, func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	})
	if err != nil {
		return fmt.Errorf("cannot write the image %s: %w", out, err)
	}
	return nil
}

// outPath returns the image's path: -o, else FILE with .img for .s.
func (a *AsmCmd) outPath() string {
	if a.Out != "" {
		return a.Out
	}
	return strings.TrimSuffix(a.File, ".s") + ".img"
}

// checkOut returns an error if the image may not be written at out: out
// is the source itself (by any name), a directory, or an existing file
// that is not a toyvm image and --force is not given.
func (a *AsmCmd) checkOut(out string) error {
	outInfo, err := os.Stat(out)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("cannot write the image: %w", err)
	}
	if srcInfo, err := os.Stat(a.File); err == nil && os.SameFile(srcInfo, outInfo) {
		return fmt.Errorf("%s is the source being assembled: refusing to write the image over it (name another file with -o)", out)
	}
	if outInfo.IsDir() {
		return fmt.Errorf("%s is a directory: name the image file with -o", out)
	}
	if a.Force || isImageFile(out) {
		return nil
	}
	return fmt.Errorf("%s exists and is not a toyvm image: refusing to replace it (use --force to replace it)", out)
}

// isImageFile reports whether the file at path starts with the image
// magic number; false if it cannot be read.
func isImageFile(path string) bool {
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	head := make([]byte, 4)
	n, _ := io.ReadFull(f, head)
	return image.HasMagic(head[:n])
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
