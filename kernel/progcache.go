package kernel

import (
	"bytes"
	"crypto/sha256"
	"io/fs"
	"path"
	"time"

	"toyvm/image"
)

// Programs that spawn loads are cached by content: a program spawned
// again, whose source (and every file it includes) has not changed, is
// not assembled again. A fork bomb of a large source would otherwise
// cost the host milliseconds of parsing per spawn; with the cache it
// costs a read and a hash of each file. The cache holds the most
// recently loaded programs, at most progCacheSize of them.

// progCacheSize is how many programs the cache holds.
const progCacheSize = 16

// cachedProgram is a program as it was loaded: the hash of each file
// read to load it, and the image.
type cachedProgram struct {
	path  string
	files map[string][32]byte
	img   *image.Image
}

// progCache is the kernel's cache of loaded programs, most recent last.
type progCache []*cachedProgram

// lookup returns the image cached for path if every file it was loaded
// from still holds the same bytes in fsys; nil otherwise.
func (c progCache) lookup(fsys fs.FS, path string) *image.Image {
	for _, e := range c {
		if e.path == path && e.unchanged(fsys) {
			return e.img
		}
	}
	return nil
}

// unchanged reports whether every file of e reads the same as when it
// was loaded.
func (e *cachedProgram) unchanged(fsys fs.FS) bool {
	for name, sum := range e.files {
		data, err := fs.ReadFile(fsys, name)
		if err != nil || sha256.Sum256(data) != sum {
			return false
		}
	}
	return true
}

// add caches img, loaded from path and the files read meanwhile,
// dropping the oldest entry when the cache is full. A program loaded
// without reading any file through the recorder is not cached: nothing
// could tell when it changes.
func (c *progCache) add(path string, files map[string][32]byte, img *image.Image) {
	if len(files) == 0 {
		return
	}
	for i, e := range *c {
		if e.path == path {
			*c = append((*c)[:i], (*c)[i+1:]...)
			break
		}
	}
	if len(*c) == progCacheSize {
		*c = (*c)[1:]
	}
	*c = append(*c, &cachedProgram{path: path, files: files, img: img})
}

// recordingFS is a file system that remembers the hash of every file
// read through it: the files a program was loaded from. A file opened
// is read whole at once (and so recorded), then read from memory.
type recordingFS struct {
	fs.FS
	files map[string][32]byte
}

// ReadFile reads a file and records its hash; it returns fs.ReadFile's
// error.
func (r *recordingFS) ReadFile(name string) ([]byte, error) {
	data, err := fs.ReadFile(r.FS, name)
	if err == nil {
		r.files[name] = sha256.Sum256(data)
	}
	return data, err
}

// Open reads the file whole through ReadFile and returns it as a file
// in memory; it returns ReadFile's error.
func (r *recordingFS) Open(name string) (fs.File, error) {
	data, err := r.ReadFile(name)
	if err != nil {
		return nil, err
	}
	return &memFile{Reader: bytes.NewReader(data), name: path.Base(name)}, nil
}

// memFile is a file read whole into memory.
type memFile struct {
	*bytes.Reader
	name string
}

// Stat returns the file's name and size.
func (f *memFile) Stat() (fs.FileInfo, error) { return memInfo{f.name, f.Size()}, nil }

// Close does nothing.
func (f *memFile) Close() error { return nil }

// memInfo describes a memFile: a regular file, read-only.
type memInfo struct {
	name string
	size int64
}

func (i memInfo) Name() string       { return i.name }
func (i memInfo) Size() int64        { return i.size }
func (i memInfo) Mode() fs.FileMode  { return 0o444 }
func (i memInfo) ModTime() time.Time { return time.Time{} }
func (i memInfo) IsDir() bool        { return false }
func (i memInfo) Sys() any           { return nil }
