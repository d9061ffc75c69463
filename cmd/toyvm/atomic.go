package main

import (
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// writeAtomically writes a file by calling write on a temporary file in
// the same directory, then renaming it to path: a reader, or a run that
// is interrupted, sees the old file or the new one whole, never half of
// one. On failure the temporary file is removed, path is as it was, and
// the error of creating, writing or renaming is returned.
func writeAtomically(path string, write func(io.Writer) error) error {
	tmp, err := writeTemp(path, write)
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		if tmp != "" {
			os.Remove(tmp)
		}
		return err
	}
	return nil
}

// writeTemp writes a temporary file beside path with write, gives it the
// permissions of path (0644 for a new file), flushes it to the disk and
// returns its name, "" if it could not be created.
func writeTemp(path string, write func(io.Writer) error) (string, error) {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-*")
	if pe := (*fs.PathError)(nil); errors.As(err, &pe) {
		return "", pe.Err // the temporary name would only puzzle
	}
	if err != nil {
		return "", err
	}
	err = write(f)
	if err == nil {
		err = f.Chmod(modeFor(path))
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return f.Name(), err
}

// modeFor returns the permissions of the file at path, or 0644 if there
// is none.
func modeFor(path string) fs.FileMode {
	if fi, err := os.Stat(path); err == nil {
		return fi.Mode().Perm()
	}
	return 0o644
}
