package kernel

import (
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"toyvm/asm"
)

// Paths that processes name (in open and spawn) resolve inside the run's
// root folder (--root) and never outside it: os.Root refuses a path with
// ".." that climbs out, an absolute path, or a symbolic link that leads
// out, so no path a guest writes can reach the rest of the host.

// MaxPath is the longest path a process may pass, NUL included.
const MaxPath = 4096

// errNoRoot: the run has no root folder, so no path can be opened.
var errNoRoot = errors.New("no root folder (--root) to resolve paths in")

// openRoot opens the root folder of cfg, or returns nil if it has none.
func openRoot(dir string) (*os.Root, error) {
	if dir == "" {
		return nil, nil
	}
	return os.OpenRoot(dir)
}

// errnoOf turns an error of the host's file system into a system call's
// error result: ENOENT, EACCES, EEXIST, or EINVAL for a path that leads
// out of the root or is malformed.
func errnoOf(err error) int32 {
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return ENOENT
	case errors.Is(err, fs.ErrPermission):
		return EACCES
	case errors.Is(err, fs.ErrExist):
		return EEXIST
	}
	return EINVAL
}

// loadProgram reads the program at path inside the root: a ".s" file is
// assembled, anything else is loaded as an image. It returns the host's
// error for a path it cannot open, or the assembler's or loader's.
func (k *Kernel) loadProgram(path string) (*asm.Image, error) {
	if k.root == nil {
		return nil, errNoRoot
	}
	f, err := k.root.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxProgramSize+1))
	switch {
	case err != nil:
		return nil, err
	case len(data) > maxProgramSize:
		return nil, errors.New("program file too large")
	case strings.HasSuffix(path, ".s"):
		return asm.Assemble(filepath.Base(path), data)
	}
	return asm.Load(data)
}

// maxProgramSize bounds a program file spawn reads (source or image).
const maxProgramSize = 64 << 20
