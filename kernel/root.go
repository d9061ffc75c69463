package kernel

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"strconv"
	"strings"
	"syscall"

	"toyvm/image"
)

// Paths that processes name (in open and spawn) resolve inside the run's
// root folder (--root) and never outside it: os.Root refuses a path with
// ".." that climbs out, an absolute path, or a symbolic link that leads
// out, so no path a guest writes can reach the rest of the host.
//
// Only regular files are opened. A FIFO, a device or a socket inside the
// root could block the whole emulator in the host's open or read, so the
// kind of a path is checked before it is opened (without following a
// final link), the open itself never waits (O_NONBLOCK), and the kind of
// what was opened is checked again after it.

// MaxPath is the longest path a process may pass, NUL included.
const MaxPath = 4096

// errNoRoot: the run has no root folder, so no path can be opened.
var errNoRoot = errors.New("no root folder (--root) to resolve paths in")

// errNotAFile: a path names a directory, a FIFO, a device or anything
// else that is not a regular file. errnoOf makes it EINVAL.
var errNotAFile = errors.New("not a regular file")

// errReadOnlyRoot: a write to the root folder, which is read-only
// (toyvm run's default root, the program's own folder, without
// --writable). errnoOf makes it EACCES.
var errReadOnlyRoot = fmt.Errorf("the root folder is read-only (--root DIR or --writable make it writable): %w", fs.ErrPermission)

// errQuota: the run has created as many files, or written as many bytes
// to files, as --file-quota allows. errnoOf makes it EDQUOT.
var errQuota = errors.New("the run's file quota (--file-quota) is used up")

// errNoAssembler: a .s program was named, but the kernel was given no
// assembler (Config.Assembler).
var errNoAssembler = errors.New("no assembler to load a .s program with")

// Assembler assembles the source file at path in fsys, reading the
// files it includes from fsys too. toyvm's own is asm.AssembleFS; the
// kernel depends on the image format, not on the assembler.
type Assembler func(fsys fs.FS, path string) (*image.Image, error)

// openRoot opens the root folder of cfg, or returns nil if it has none.
func openRoot(dir string) (*os.Root, error) {
	if dir == "" {
		return nil, nil
	}
	return os.OpenRoot(dir)
}

// errnoOf turns an error of the host's file system into a system call's
// error result: ENOENT, EACCES, EEXIST, EDQUOT, or EINVAL for a path that leads
// out of the root, is malformed, or is not a regular file.
func errnoOf(err error) int32 {
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return ENOENT
	case errors.Is(err, fs.ErrPermission):
		return EACCES
	case errors.Is(err, fs.ErrExist):
		return EEXIST
	case errors.Is(err, errQuota):
		return EDQUOT
	}
	return EINVAL
}

// openRegular opens path inside root with the host's flags, only if it
// is a regular file (or does not exist yet and flags create it). It
// returns the host's error, or errNotAFile for anything else, having
// opened nothing that could block.
func openRegular(root *os.Root, name string, flags int) (*os.File, error) {
	if root == nil {
		return nil, errNoRoot
	}
	if fi, err := root.Lstat(name); err == nil && !fi.Mode().IsRegular() {
		return nil, &fs.PathError{Op: "open", Path: name, Err: errNotAFile}
	}
	f, err := root.OpenFile(name, flags|syscall.O_NONBLOCK|syscall.O_NOFOLLOW, 0o644)
	if err != nil {
		return nil, err
	}
	if fi, err := f.Stat(); err != nil || !fi.Mode().IsRegular() {
		f.Close()
		return nil, &fs.PathError{Op: "open", Path: name, Err: errNotAFile}
	}
	return f, nil
}

// rootFS is the root folder as an fs.FS of regular files, each at most
// maxProgramSize bytes: what a program loaded by spawn (and the files it
// includes) is read through.
type rootFS struct{ root *os.Root }

// Open opens a regular file inside the root for reading; it returns the
// errors of openRegular, and fs.ErrInvalid for a path fs.FS forbids.
func (r rootFS) Open(name string) (fs.File, error) {
	if !fs.ValidPath(name) {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrInvalid}
	}
	return openRegular(r.root, name, os.O_RDONLY)
}

// ReadFile reads a whole regular file inside the root. It returns the
// errors of Open, or an error for a file over maxProgramSize bytes.
func (r rootFS) ReadFile(name string) ([]byte, error) {
	f, err := r.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxProgramSize+1))
	if err == nil && len(data) > maxProgramSize {
		err = &fs.PathError{Op: "read", Path: name, Err: errors.New("file too large")}
	}
	return data, err
}

// loadProgram reads the program at path inside the root: a ".s" file is
// assembled (with Config.Assembler), anything else is loaded as an
// image. A program loaded before whose files have not changed comes from
// the cache (progcache.go). It returns the host's error for a path it
// cannot open, or the assembler's or loader's.
func (k *Kernel) loadProgram(name string) (*image.Image, error) {
	if k.root == nil {
		return nil, errNoRoot
	}
	name = path.Clean(strings.TrimPrefix(name, "./"))
	if img := k.programs.lookup(rootFS{k.root}, name); img != nil {
		return img, nil
	}
	fsys := &recordingFS{FS: rootFS{k.root}, files: map[string][32]byte{}}
	img, err := k.readProgram(fsys, name)
	if err == nil {
		k.programs.add(name, fsys.files, img)
	}
	return img, err
}

// readProgram assembles or loads the program at name in fsys; it returns
// the host's, the assembler's or the loader's error.
func (k *Kernel) readProgram(fsys fs.ReadFileFS, name string) (*image.Image, error) {
	if strings.HasSuffix(name, ".s") {
		if k.cfg.Assembler == nil {
			return nil, errNoAssembler
		}
		return k.cfg.Assembler(fsys, name)
	}
	data, err := fsys.ReadFile(name)
	if err != nil {
		return nil, err
	}
	return image.Load(data)
}

// maxProgramSize bounds a program file spawn reads (source or image).
const maxProgramSize = 64 << 20

// FileQuota bounds what the programs of one run may do to the root
// folder: the bytes they write to files, and the files they create.
type FileQuota struct {
	Bytes uint64
	Files int
}

// DefaultFileQuota is --file-quota's default: 64M and 256 files, far
// more than any sample program needs, far less than a runaway one would
// fill a disk with.
var DefaultFileQuota = FileQuota{Bytes: 64 << 20, Files: 256}

// String returns the quota as --file-quota spells it: "64M,256".
func (q FileQuota) String() string { return fmt.Sprintf("%s,%d", SizeText(q.Bytes), q.Files) }

// ParseFileQuota reads --file-quota: a size, and optionally a comma and
// a number of files ("64M" keeps the default number). It returns an
// error for anything else.
func ParseFileQuota(s string) (FileQuota, error) {
	size, files, more := strings.Cut(s, ",")
	q := DefaultFileQuota
	var err error
	if q.Bytes, err = ParseSize(size); err != nil {
		return q, err
	}
	if more {
		if q.Files, err = strconv.Atoi(files); err != nil || q.Files < 0 {
			return q, fmt.Errorf("bad number of files %q: want a count, 0 or more", files)
		}
	}
	return q, nil
}

// fileUse is what the run's programs have done to the root folder so
// far, against the quota.
type fileUse struct {
	bytes uint64 // written to files (or on the way)
	files int    // created
}

// checkOpen returns the error of opening path with flags, before it is
// opened: errReadOnlyRoot for a write to a read-only root, errQuota for
// a file to create beyond the quota; creates reports whether the open
// would create the file.
func (k *Kernel) checkOpen(path string, flags int) (creates bool, err error) {
	if flags&(os.O_WRONLY|os.O_RDWR) != 0 && k.cfg.RootReadOnly {
		return false, errReadOnlyRoot
	}
	if flags&os.O_CREATE == 0 || k.root == nil {
		return false, nil
	}
	if _, err := k.root.Lstat(path); !errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	if k.fileUse.files >= k.cfg.FileQuota.Files {
		return true, errQuota
	}
	return true, nil
}

// quotaLeft returns how many more bytes the run may write to files.
func (k *Kernel) quotaLeft() uint64 {
	return k.cfg.FileQuota.Bytes - min(k.fileUse.bytes, k.cfg.FileQuota.Bytes)
}
