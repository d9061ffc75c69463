package asm

import (
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"

	"toyvm/image"
)

// LoadFile reads a program: a ".s" file is assembled, with the files it
// includes read from its folder (the error is then an ErrorList);
// anything else is loaded as an image. It returns the error of reading
// the file, or of loading the image, with the file's name.
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

// AssembleFS assembles the source file at name in fsys, reading the
// files it includes from fsys too (relative to the including file, and
// never outside fsys). It returns the error of opening or reading the
// file, or Assemble's ErrorList.
func AssembleFS(fsys fs.FS, name string) (*image.Image, error) {
	files := fsFiles{fsys: fsys, dir: path.Dir(name)}
	main := &sourceFile{key: path.Base(name), shown: name}
	r, _, err := files.open(main.key)
	if err != nil {
		return nil, err
	}
	a := newAssembler(main, files)
	src, err := a.readAll(r)
	if err != nil {
		return nil, err
	}
	a.pass1(src)
	return a.finish()
}
