package asm

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"unicode/utf8"
)

// A program is its main file and the files it includes (.include
// "name"). Each file is known by two names: its key, its path relative to
// the main file's folder with / between the parts ("fib.s", "lib/io.s"),
// which the image's line table records so that the image does not depend
// on where it was assembled from; and the path it is shown by in
// messages, as the user would type it ("programs/lib/io.s").
//
// An included file is read where its .include stands, as if its lines
// stood there, except that each file starts in .text and the including
// file goes on in the section it was in. A file is included once: a
// second .include of it does nothing, and one of a file that is being
// included (it includes itself, maybe through others) is an include cycle.

// Limits on what a program's files may be: how deep includes may nest,
// and how many bytes all its files together may hold.
const (
	maxIncludeDepth = 32
	maxSourceBytes  = 64 << 20
)

// sourceFile is one file of the program.
type sourceFile struct {
	key    string
	shown  string
	parent *sourceFile // the file that includes it; nil for the main file
	from   loc         // where parent includes it
	depth  int         // how many includes lead to it
	done   bool        // it has been read to its end
}

// opener opens the files of a program by key: the host's files, from the
// main file's folder (Assemble), or the files of an fs.FS (AssembleFS).
type opener interface {
	// open returns the file key and the path messages show for it.
	open(key string) (fs.File, string, error)
}

// hostFiles opens files on the host, relative to the main file's folder;
// a key may climb out of it ("../lib/io.s").
type hostFiles struct{ dir string }

// open opens the host file key names from h.dir; it returns os.Open's
// error for one that cannot be opened.
func (h hostFiles) open(key string) (fs.File, string, error) {
	shown := filepath.Join(h.dir, filepath.FromSlash(key))
	f, err := os.Open(shown)
	return f, shown, err
}

// errOutside: an included file's path leads out of the fs.FS.
var errOutside = errors.New("it lies outside the folder the program is read from")

// fsFiles opens files of an fs.FS, relative to the folder of the main
// file in it; a key may climb out of that folder, but never out of fsys.
type fsFiles struct {
	fsys fs.FS
	dir  string
}

// open opens the file key names from f.dir in f.fsys; it returns
// errOutside for one that would lie outside f.fsys, or fsys's error.
func (f fsFiles) open(key string) (fs.File, string, error) {
	name := path.Join(f.dir, key)
	if !fs.ValidPath(name) {
		return nil, key, errOutside
	}
	file, err := f.fsys.Open(name)
	return file, name, err
}

// run is a stretch of lines read one after the other from one file: the
// reading-order number of its first line, and that line's number in the
// file. Every file starts a run, and so does the rest of a file after an
// include.
type run struct {
	from  int32
	file  *sourceFile
	first int32
}

// fileLine returns the file and the line in it of l.
func (a *assembler) fileLine(l loc) (*sourceFile, int) {
	i := sort.Search(len(a.runs), func(i int) bool { return a.runs[i].from > l.line }) - 1
	if i < 0 {
		return a.main, int(l.line)
	}
	r := a.runs[i]
	return r.file, int(r.first + l.line - r.from)
}

// pos returns the position of l, with its file's shown name.
func (a *assembler) pos(l loc) Pos {
	f, line := a.fileLine(l)
	return Pos{File: f.shown, Line: line, Col: int(l.col)}
}

// includedFrom returns the places that include the file of l, innermost
// first; none for the main file.
func (a *assembler) includedFrom(l loc) []Pos {
	var out []Pos
	for f, _ := a.fileLine(l); f.parent != nil; f = f.parent {
		out = append(out, a.pos(f.from))
	}
	return out
}

// readFile runs pass 1 over f, whose text is src, unless it is not text.
func (a *assembler) readFile(f *sourceFile, src string) {
	src = strings.TrimPrefix(src, "\ufeff") // a byte-order mark is not part of the first line
	if a.checkText(f, src) {
		a.readLines(f, src)
	}
	f.done = true
}

// readLines reads the lines of f, numbering them in reading order, and
// starts a new run of f after each include.
func (a *assembler) readLines(f *sourceFile, src string) {
	for i := int32(1); ; i++ {
		if last := a.runs[len(a.runs)-1]; last.file != f {
			a.runs = append(a.runs, run{from: a.line + 1, file: f, first: i})
		}
		text, rest, more := strings.Cut(src, "\n")
		a.line++
		a.readLine(a.line, strings.TrimSuffix(text, "\r"))
		if !more {
			return
		}
		src = rest
	}
}

// checkText starts f's first run and reports a file that is not text: one
// with a NUL byte or bytes that are not UTF-8, at the first of them.
func (a *assembler) checkText(f *sourceFile, src string) bool {
	a.runs = append(a.runs, run{from: a.line + 1, file: f, first: 1})
	bad := firstNonText(src)
	if bad < 0 {
		return true
	}
	line := strings.Count(src[:bad], "\n") + 1
	col := bad - strings.LastIndexByte(src[:bad], '\n')
	a.line += int32(line)
	what := "a NUL byte"
	if src[bad] != 0 {
		what = fmt.Sprintf("byte 0x%02x, which is not UTF-8", src[bad])
	}
	a.errorf(loc{a.line, int32(col)}, "this is not a text source: it holds %s (is it an image, or another binary file?)", what)
	return false
}

// firstNonText returns the offset in src of the first NUL byte or byte
// that is not part of a UTF-8 character, or -1 if there is none.
func firstNonText(src string) int {
	if utf8.ValidString(src) && strings.IndexByte(src, 0) < 0 {
		return -1
	}
	for i := 0; i < len(src); {
		r, n := utf8.DecodeRuneInString(src[i:])
		if r == 0 || r == utf8.RuneError && n == 1 {
			return i
		}
		i += n
	}
	return -1
}

// include reads the file that an .include at l names (name, as
// written), as if its lines stood there; the current section is kept for
// after it. It reports a name that is empty or absolute, a file that
// cannot be read, and an include cycle.
func (a *assembler) include(name string, l loc) {
	parent, _ := a.fileLine(l)
	key, err := includeKey(parent.key, name)
	if err == nil && a.files[key] != nil {
		a.includeAgain(a.files[key], l)
		return
	}
	var src string
	f := &sourceFile{key: key, parent: parent, from: l, depth: parent.depth + 1}
	if err == nil {
		src, err = a.readSource(f)
	}
	if err != nil {
		a.errorf(l, "cannot include %q: %v", name, err)
		return
	}
	a.files[key] = f
	sec := a.sec
	a.sec = textSection
	a.readFile(f, src)
	a.sec = sec
}

// includeAgain reports an .include at l of f, already included, that
// closes a cycle: f is still being read. Including a file read to its
// end does nothing.
func (a *assembler) includeAgain(f *sourceFile, l loc) {
	if f.done {
		return
	}
	var chain []string // from the main file down to the one that includes f again
	for g, _ := a.fileLine(l); g != nil; g = g.parent {
		chain = append([]string{g.shown}, chain...)
	}
	a.errorf(l, "include cycle: %s includes %s", strings.Join(chain, " includes "), f.shown)
}

// includeKey returns the key of the file that name, written in an
// .include in the file parent, names: relative to parent's folder. It
// returns an error for a name that is empty or absolute.
func includeKey(parent, name string) (string, error) {
	switch {
	case name == "":
		return "", errors.New("the name is empty")
	case path.IsAbs(name) || filepath.IsAbs(name) || strings.Contains(name, `\`):
		return "", errors.New("name it relative to the including file, with /, not by an absolute path")
	}
	return path.Join(path.Dir(parent), name), nil
}

// readSource reads f, sets its shown name and counts its bytes against
// the program's limit. It returns an error saying why f cannot be read:
// missing, too deep, too large, not a file.
func (a *assembler) readSource(f *sourceFile) (string, error) {
	if f.depth > maxIncludeDepth {
		return "", fmt.Errorf("includes nest deeper than %d files", maxIncludeDepth)
	}
	r, shown, err := a.open.open(f.key)
	f.shown = shown
	if err != nil {
		return "", plainError(err)
	}
	src, err := a.readAll(r)
	return src, plainError(err)
}

// readAll reads and closes f, counting its bytes against the program's
// limit: it reads no more than one byte beyond what the limit allows,
// into a buffer of the size f says it has.
func (a *assembler) readAll(f fs.File) (string, error) {
	defer f.Close()
	limit := int64(maxSourceBytes-a.sourceBytes) + 1
	var b strings.Builder
	if fi, err := f.Stat(); err == nil && fi.Size() > 0 {
		b.Grow(int(min(fi.Size(), limit)))
	}
	if _, err := io.Copy(&b, io.LimitReader(f, limit)); err != nil {
		return "", err
	}
	return b.String(), a.count(b.Len())
}

// count adds n bytes to the program's sources, returning an error if
// they now hold more than maxSourceBytes.
func (a *assembler) count(n int) error {
	a.sourceBytes += n
	if a.sourceBytes > maxSourceBytes {
		return fmt.Errorf("the program's files would hold more than %d MiB", maxSourceBytes>>20)
	}
	return nil
}

// plainError returns the reason in a file system error, without the path
// (the message names the file already): "no such file"; nil for nil.
func plainError(err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, fs.ErrNotExist) {
		return errors.New("no such file")
	}
	if pe := (*fs.PathError)(nil); errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
