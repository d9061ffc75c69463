package kernel

import (
	"crypto/sha256"
	"io/fs"

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
// dropping the oldest entry when the cache is full.
func (c *progCache) add(path string, files map[string][32]byte, img *image.Image) {
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
// read through it: the files a program was loaded from.
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
