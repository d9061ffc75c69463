package dev

import (
	"errors"
	"fmt"
	"io"
	"os"
	"syscall"

	"toyvm/isa"
)

// BlockSize is the unit in which a MemStore allocates host memory: one
// page, so that a swap slot is one block.
const BlockSize = isa.PageSize

// Store is what a disk request reads or writes: the swap area, or a host
// file under --root. ReadAt and WriteAt follow io.ReaderAt and
// io.WriterAt; a read past the end is a short read whose missing bytes are
// zeros, with io.EOF (so a page past a file's end reads as zeros).
type Store interface {
	ReadAt(p []byte, off int64) (int, error)
	WriteAt(p []byte, off int64) (int, error)
	Size() int64  // the size in bytes
	Name() string // for messages and traces, e.g. "swap"
}

// ErrPastEnd is the error of a write that does not fit in a fixed-size
// store.
var ErrPastEnd = errors.New("write past the end of the store")

// MemStore is a sparse in-memory store of a fixed size: the swap area.
// Only blocks that have been written hold host memory; the others read
// as zeros. The zero MemStore is an empty store of size 0.
type MemStore struct {
	name   string
	size   int64
	blocks map[int64]*[BlockSize]byte // by block number
}

// NewMemStore returns an all-zero store of size bytes that holds no host
// memory yet. It panics on a negative size (a caller's bug).
func NewMemStore(name string, size int64) *MemStore {
	if size < 0 {
		panic(fmt.Sprintf("dev.NewMemStore: negative size %d", size))
	}
	return &MemStore{name: name, size: size, blocks: make(map[int64]*[BlockSize]byte)}
}

// Name returns the name given to NewMemStore.
func (s *MemStore) Name() string { return s.name }

// Size returns the fixed size in bytes.
func (s *MemStore) Size() int64 { return s.size }

// Blocks returns how many blocks hold host memory (have been written).
func (s *MemStore) Blocks() int { return len(s.blocks) }

// ReadAt fills p from offset off; unwritten blocks read as zeros. Past the
// end it returns the bytes before the end, zeros in the rest of p, and
// io.EOF; a negative offset returns 0 and an error.
func (s *MemStore) ReadAt(p []byte, off int64) (int, error) {
	if off < 0 {
		return 0, fmt.Errorf("%s: read at negative offset %d", s.name, off)
	}
	n := len(p)
	if int64(n) > s.size-off {
		n = int(max(s.size-off, 0))
	}
	for done := 0; done < n; {
		done += s.readBlock(p[done:n], off+int64(done))
	}
	if n < len(p) {
		clear(p[n:])
		return n, io.EOF
	}
	return n, nil
}

// readBlock copies from the one block that holds off into p, stopping at
// the block's end, and returns the count copied.
func (s *MemStore) readBlock(p []byte, off int64) int {
	b, in := off/BlockSize, int(off%BlockSize)
	n := min(len(p), BlockSize-in)
	if blk := s.blocks[b]; blk != nil {
		copy(p[:n], blk[in:])
	} else {
		clear(p[:n])
	}
	return n
}

// WriteAt copies p to offset off, allocating the blocks it touches. A
// write that would not fit entirely inside the store writes nothing and
// returns 0 and ErrPastEnd (wrapped with the store's name).
func (s *MemStore) WriteAt(p []byte, off int64) (int, error) {
	if off < 0 || int64(len(p)) > s.size-off {
		return 0, fmt.Errorf("%s: %d bytes at %d, size %d: %w", s.name, len(p), off, s.size, ErrPastEnd)
	}
	for done := 0; done < len(p); {
		done += s.writeBlock(p[done:], off+int64(done))
	}
	return len(p), nil
}

// writeBlock copies p into the one block that holds off, stopping at the
// block's end, and returns the count copied.
func (s *MemStore) writeBlock(p []byte, off int64) int {
	b, in := off/BlockSize, int(off%BlockSize)
	blk := s.blocks[b]
	if blk == nil {
		blk = new([BlockSize]byte)
		s.blocks[b] = blk
	}
	return copy(blk[in:], p)
}

// FileStore is a host file seen as a store: a program image or a file
// the kernel opened under --root (confining paths to the root is the
// kernel's job, not the store's).
type FileStore struct {
	f    *os.File
	size int64 // the size at open, grown by our own writes
}

// NewFileStore wraps an open file. It returns an error if the file's size
// cannot be read.
func NewFileStore(f *os.File) (*FileStore, error) {
	fi, err := f.Stat()
	if err != nil {
		return nil, err
	}
	return &FileStore{f: f, size: fi.Size()}, nil
}

// OpenFileStore opens the file at path, for reading and writing if
// writable (it must exist either way). It returns the os error if the
// file cannot be opened.
func OpenFileStore(path string, writable bool) (*FileStore, error) {
	flag := os.O_RDONLY
	if writable {
		flag = os.O_RDWR
	}
	f, err := os.OpenFile(path, flag, 0)
	if err != nil {
		return nil, err
	}
	s, err := NewFileStore(f)
	if err != nil {
		f.Close()
		return nil, err
	}
	return s, nil
}

// Name returns the file's name as it was opened.
func (s *FileStore) Name() string { return s.f.Name() }

// Size returns the file's size: its size when opened, grown by writes
// through this store.
func (s *FileStore) Size() int64 { return s.size }

// ReadAt fills p from offset off. Past the end of the file it returns the
// bytes read, zeros in the rest of p, and io.EOF; any other os error is
// returned as is (the rest of p is then undefined).
func (s *FileStore) ReadAt(p []byte, off int64) (int, error) {
	n, err := s.f.ReadAt(p, off)
	if err == io.EOF {
		clear(p[n:])
	}
	return n, err
}

// WriteAt writes p at offset off, growing the file if needed. It returns
// the os error if the write fails (a read-only file, a full disk).
func (s *FileStore) WriteAt(p []byte, off int64) (int, error) {
	n, err := s.f.WriteAt(p, off)
	s.size = max(s.size, off+int64(n))
	return n, err
}

// Dup returns a second store on the same open file, with a descriptor of
// its own that lives on when this store is closed (a mapping outlives
// the descriptor it was made from). It returns the host's error.
func (s *FileStore) Dup() (*FileStore, error) {
	fd, err := syscall.Dup(int(s.f.Fd()))
	if err != nil {
		return nil, err
	}
	return &FileStore{f: os.NewFile(uintptr(fd), s.f.Name()), size: s.size}, nil
}

// FileID names the host file itself, whatever path or descriptor led to
// it: two stores of the same file have the same ID.
type FileID struct{ Dev, Ino uint64 }

// ID returns the identity of the store's file. It returns the host's
// error of reading it.
func (s *FileStore) ID() (FileID, error) {
	fi, err := s.f.Stat()
	if err != nil {
		return FileID{}, err
	}
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return FileID{}, fmt.Errorf("%s: the host gives no file identity", s.f.Name())
	}
	return FileID{Dev: uint64(st.Dev), Ino: st.Ino}, nil
}

// Close closes the file; the store must not be used afterwards. It
// returns the os error of closing.
func (s *FileStore) Close() error { return s.f.Close() }
