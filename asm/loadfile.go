package asm

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"toyvm/image"
)

// LoadFile reads a program: a ".s" file is assembled (the error is then
// an ErrorList), anything else is loaded as an image.
func LoadFile(path string) (*image.Image, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	if filepath.Ext(path) == ".s" {
		return Assemble(path, data)
	}
	img, err := image.Load(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return img, nil
}

// AssembleFS assembles the source file at name in fsys. It returns the
// error of reading the file, or Assemble's ErrorList.
func AssembleFS(fsys fs.FS, name string) (*image.Image, error) {
	src, err := fs.ReadFile(fsys, name)
	if err != nil {
		return nil, err
	}
	return Assemble(name, src)
}
