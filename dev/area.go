package dev

import (
	"errors"
	"fmt"
	"io"
	"os"
)

// FileArea is a store of a fixed size kept in a sparse host file: the
// swap area, as a real disk keeps it, so that a large swap area costs
// host disk only for the slots written, and no host memory. The file is
// either a temporary one, created at the first write and removed from
// its folder at once (nothing is left behind, however the run ends), or
// one the user names (CreateArea), which is kept.
type FileArea struct {
	name string
	size int64
	f    *os.File // nil until the first write of a temporary area
}

// NewTempArea returns an all-zero store of size bytes whose file is
// created in the host's temporary folder at the first write. It panics
// on a negative size (a caller's bug).
func NewTempArea(name string, size int64) *FileArea {
	if size < 0 {
		panic(fmt.Sprintf("dev.NewTempArea: negative size %d", size))
	}
	return &FileArea{name: name, size: size}
}

// CreateArea creates the file at path, sparse, of size bytes, as the
// store of an all-zero area. It refuses a path where a file exists
// already (it would be lost), and returns the host's error if the file
// cannot be created.
func CreateArea(name, path string, size int64) (*FileArea, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, os.ErrExist) {
		return nil, fmt.Errorf("%s exists: toyvm does not write over a file it did not create; remove it first", path)
	}
	if err != nil {
		return nil, err
	}
	if err := f.Truncate(size); err != nil {
		f.Close()
		os.Remove(path)
		return nil, err
	}
	return &FileArea{name: name, size: size, f: f}, nil
}

// Name returns the name given when the area was made.
func (a *FileArea) Name() string { return a.name }

// Size returns the fixed size in bytes.
func (a *FileArea) Size() int64 { return a.size }

// ReadAt fills p from offset off; what was never written reads as zeros.
// Past the end it returns the bytes before the end, zeros in the rest of
// p, and io.EOF; a negative offset or a host error returns an error.
func (a *FileArea) ReadAt(p []byte, off int64) (int, error) {
	if off < 0 {
		return 0, fmt.Errorf("%s: read at negative offset %d", a.name, off)
	}
	n := int(min(int64(len(p)), max(a.size-off, 0)))
	if err := a.readFile(p[:n], off); err != nil {
		return 0, err
	}
	clear(p[n:])
	if n < len(p) {
		return n, io.EOF
	}
	return n, nil
}

// readFile fills p from the file at off, zeros where the file ends (a
// sparse file's unwritten tail) or where there is no file yet.
func (a *FileArea) readFile(p []byte, off int64) error {
	if a.f == nil {
		clear(p)
		return nil
	}
	n, err := a.f.ReadAt(p, off)
	if err == io.EOF {
		clear(p[n:])
		err = nil
	}
	return err
}

// WriteAt copies p to offset off, creating a temporary area's file at
// the first write. A write that would not fit entirely inside the area
// writes nothing and returns ErrPastEnd (wrapped with the area's name);
// a host error (a full disk) is returned as it is.
func (a *FileArea) WriteAt(p []byte, off int64) (int, error) {
	if off < 0 || int64(len(p)) > a.size-off {
		return 0, fmt.Errorf("%s: %d bytes at %d, size %d: %w", a.name, len(p), off, a.size, ErrPastEnd)
	}
	if a.f == nil {
		if err := a.createTemp(); err != nil {
			return 0, err
		}
	}
	return a.f.WriteAt(p, off)
}

// createTemp creates the temporary file and removes its name at once:
// the open file lives until Close (or the end of toyvm).
func (a *FileArea) createTemp() error {
	f, err := os.CreateTemp("", "toyvm-"+a.name+"-*")
	if err != nil {
		return err
	}
	os.Remove(f.Name())
	a.f = f
	return nil
}

// Close closes the area's file (a named one stays on the host's disk).
// It returns the host's error of closing.
func (a *FileArea) Close() error {
	if a.f == nil {
		return nil
	}
	err := a.f.Close()
	a.f = nil
	return err
}
