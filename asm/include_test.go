package asm

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"toyvm/image"
)

// files returns a file system holding each name with its text.
func files(nameText ...string) fstest.MapFS {
	fsys := fstest.MapFS{}
	for i := 0; i+1 < len(nameText); i += 2 {
		fsys[nameText[i]] = &fstest.MapFile{Data: []byte(nameText[i+1])}
	}
	return fsys
}

// assembleFS assembles name in fsys, failing the test on an error.
func assembleFS(t *testing.T, fsys fstest.MapFS, name string) *image.Image {
	t.Helper()
	img, err := AssembleFS(fsys, name)
	require.NoError(t, err)
	return img
}

// errorsFS returns the error text of assembling name in fsys.
func errorsFS(t *testing.T, fsys fstest.MapFS, name string) string {
	t.Helper()
	_, err := AssembleFS(fsys, name)
	require.Error(t, err)
	return err.Error()
}

func TestAnIncludedFileIsAssembledWhereItsIncludeStands(t *testing.T) {
	img := assembleFS(t, files(
		"main.s", "start: nop\n.include \"lib/x.s\"\nhalt\n",
		"lib/x.s", "sub: ret\n"), "main.s")
	assert.Equal(t, []byte{0x01, 0x03, 0x00}, text(img))
	assert.Equal(t, []image.Symbol{{Name: "start", Value: 0x1000}, {Name: "sub", Value: 0x1001}}, img.Symbols)
}

func TestAnIncludeIsRelativeToTheFileThatHoldsIt(t *testing.T) {
	img := assembleFS(t, files(
		"main.s", ".include \"lib/a.s\"\n",
		"lib/a.s", ".include \"b.s\"\n.include \"../c.s\"\n",
		"lib/b.s", "b: nop\n",
		"c.s", "c: halt\n"), "main.s")
	assert.Equal(t, []byte{0x01, 0x00}, text(img))
}

func TestLabelsAndEquNamesAreSharedByEveryFile(t *testing.T) {
	img := assembleFS(t, files(
		"main.s", "start: call sub\n.include \"lib.s\"\nmov #N, r1\n",
		"lib.s", ".equ N, 7\nsub: br start\n"), "main.s")
	assert.Equal(t, []byte{0x39, 0x70, 0x06, 0x10, 0, 0, 0x40, 0xf7, 0xff, 0x10, 0x60, 7, 0, 0, 0, 0x01}, text(img))
}

func TestADuplicateNameIsReportedWithBothPlacesAndTheirFiles(t *testing.T) {
	msg := errorsFS(t, files(
		"main.s", "start: nop\n\t.include \"lib.s\"\n",
		"lib.s", "\n start: nop\n"), "main.s")
	assert.Equal(t, "lib.s:2:2: duplicate label \"start\": first defined at main.s:1:1\n\tincluded from main.s:2:11", msg)
}

func TestAMissingIncludedFileIsReportedAtTheInclude(t *testing.T) {
	msg := errorsFS(t, files("main.s", "\n\n\t.include \"lib/io.s\"\n"), "main.s")
	assert.Equal(t, `main.s:3:11: cannot include "lib/io.s": no such file`, msg)
}

func TestAnErrorInAnIncludedFileSaysWhereItWasIncludedFrom(t *testing.T) {
	msg := errorsFS(t, files(
		"prog/main.s", ".include \"lib/a.s\"\n",
		"prog/lib/a.s", "nop\n.include \"b.s\"\n",
		"prog/lib/b.s", "mvo r1, r2\n"), "prog/main.s")
	assert.Equal(t, "prog/lib/b.s:1:1: unknown instruction \"mvo\"; did you mean \"mov\"?\n"+
		"\tincluded from prog/lib/a.s:2:10\n"+
		"\tincluded from prog/main.s:1:10", msg)
}

func TestAnIncludeCycleNamesEveryFileOnIt(t *testing.T) {
	msg := errorsFS(t, files(
		"main.s", "\n\n.include \"lib/a.s\"\n",
		"lib/a.s", ".include \"b.s\"\n",
		"lib/b.s", "nop\n.include \"a.s\"\n"), "main.s")
	assert.Equal(t, "lib/b.s:2:10: include cycle: main.s includes lib/a.s includes lib/b.s includes lib/a.s\n"+
		"\tincluded from lib/a.s:1:10\n"+
		"\tincluded from main.s:3:10", msg)
	msg = errorsFS(t, files("main.s", ".include \"main.s\"\n"), "main.s")
	assert.Equal(t, "main.s:1:10: include cycle: main.s includes main.s", msg)
}

func TestAFileIncludedTwiceIsReadOnce(t *testing.T) {
	img := assembleFS(t, files(
		"main.s", ".include \"lib/sys.inc\"\n.include \"lib/io.s\"\n.include \"lib/./sys.inc\"\nmov #N, r1\n",
		"lib/io.s", ".include \"sys.inc\"\nio: nop\n",
		"lib/sys.inc", ".equ N, 2\n"), "main.s")
	assert.Equal(t, []byte{0x01, 0x10, 0x60, 2, 0, 0, 0, 0x01}, text(img))
}

func TestEachFileStartsInTextAndTheIncluderGoesOnInItsOwnSection(t *testing.T) {
	img := assembleFS(t, files(
		"main.s", ".data\nd1: .word 1\n.include \"lib.s\"\nd2: .word 2\n",
		"lib.s", "code: nop\n.data\nd3: .byte 3\n"), "main.s")
	assert.Equal(t, []byte{0x01}, text(img))
	assert.Equal(t, []byte{1, 0, 0, 0, 3, 2, 0, 0, 0}, img.Segments[1].Data)
}

func TestAnIncludeMayNotNameAFileOutsideTheFileSystemOrByAnAbsolutePath(t *testing.T) {
	fsys := files(
		"prog/main.s", ".include \"../lib.s\"\n.include \"../../x.s\"\n.include \"/etc/passwd\"\n.include \"\"\n.include \"a\\\\b.s\"\n",
		"lib.s", "nop\n")
	assert.Equal(t, "prog/main.s:2:10: cannot include \"../../x.s\": it lies outside the folder the program is read from\n"+
		"prog/main.s:3:10: cannot include \"/etc/passwd\": name it relative to the including file, with /, not by an absolute path\n"+
		"prog/main.s:4:10: cannot include \"\": the name is empty\n"+
		"prog/main.s:5:10: cannot include \"a\\\\b.s\": name it relative to the including file, with /, not by an absolute path",
		errorsFS(t, fsys, "prog/main.s"))
}

func TestIncludesNestAtMost32Deep(t *testing.T) {
	fsys := fstest.MapFS{}
	for i := range 34 {
		fsys[name(i)] = &fstest.MapFile{Data: []byte(".include \"" + name(i+1) + "\"\n")}
	}
	fsys[name(34)] = &fstest.MapFile{Data: []byte("nop\n")}
	msg := errorsFS(t, fsys, name(0))
	first, _, _ := strings.Cut(msg, "\n")
	assert.Equal(t, `f32.s:1:10: cannot include "f33.s": includes nest deeper than 32 files`, first)
	assert.Equal(t, 1+32, strings.Count(msg, "\n")+1, "the message and 32 lines of includes")
}

func name(i int) string { return fmt.Sprintf("f%d.s", i) }

func TestAProgramsFilesHoldAtMost64MiB(t *testing.T) {
	fsys := fstest.MapFS{"main.s": {Data: []byte(".include \"big.s\"\n")}, "big.s": {Data: make([]byte, maxSourceBytes)}}
	_, err := AssembleFS(fsys, "main.s")
	assert.EqualError(t, err, `main.s:1:10: cannot include "big.s": the program's files would hold more than 64 MiB`)
	_, err = Assemble("huge.s", make([]byte, maxSourceBytes+1))
	assert.EqualError(t, err, "huge.s:1:1: the program's files would hold more than 64 MiB")
}

func TestABinaryFileIsNotATextSource(t *testing.T) {
	msg := errorsFS(t, files(
		"main.s", "nop\n.include \"x.img\"\n.include \"latin1.s\"\nmvo\n",
		"x.img", "TVMI\x01\x00\x00\x00",
		"latin1.s", "; caf\xe9\n"), "main.s")
	assert.Equal(t, "x.img:1:6: this is not a text source: it holds a NUL byte (is it an image, or another binary file?)\n"+
		"\tincluded from main.s:2:10\n"+
		"latin1.s:1:6: this is not a text source: it holds byte 0xe9, which is not UTF-8 (is it an image, or another binary file?)\n"+
		"\tincluded from main.s:3:10\n"+
		"main.s:4:1: unknown instruction \"mvo\"; did you mean \"mov\"? (or, for a label, mvo:)", msg)
}

func TestTheLineTableNamesFilesRelativeToTheMainFilesFolder(t *testing.T) {
	img := assembleFS(t, files(
		"prog/main.s", "nop\n.include \"lib/io.s\"\n",
		"prog/lib/io.s", "\n  ret\n"), "prog/main.s")
	assert.Equal(t, []image.Line{{Addr: 0x1000, File: "main.s", Line: 1, Col: 1}, {Addr: 0x1001, File: "lib/io.s", Line: 2, Col: 3}}, img.Lines)
}

// writeFiles writes each name with its text under dir.
func writeFiles(t *testing.T, dir string, nameText ...string) {
	t.Helper()
	for i := 0; i+1 < len(nameText); i += 2 {
		p := filepath.Join(dir, nameText[i])
		require.NoError(t, os.MkdirAll(filepath.Dir(p), 0o755))
		require.NoError(t, os.WriteFile(p, []byte(nameText[i+1]), 0o644))
	}
}

func TestTheImageIsTheSameFromWhicheverFolderItIsAssembled(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, "prog/main.s", "start: nop\n.include \"../lib/io.s\"\n", "lib/io.s", "ret\n")
	fromAbove, err := LoadFile(filepath.Join(dir, "prog", "main.s"))
	require.NoError(t, err)
	t.Chdir(filepath.Join(dir, "prog"))
	fromBeside, err := LoadFile("main.s")
	require.NoError(t, err)
	assert.Equal(t, fromBeside, fromAbove)
	assert.Equal(t, "../lib/io.s", fromAbove.Lines[1].File, "on the host an include may climb out of the main file's folder")
}

func TestErrorsNameFilesByThePathTheUserTyped(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, "prog/main.s", ".include \"lib/io.s\"\n", "prog/lib/io.s", "mvo\n")
	t.Chdir(dir)
	_, err := LoadFile("prog/main.s")
	assert.EqualError(t, err, "prog/lib/io.s:1:1: unknown instruction \"mvo\"; did you mean \"mov\"? (or, for a label, mvo:)\n"+
		"\tincluded from prog/main.s:1:10")
}

func TestIncludeTakesOneFileNameInDoubleQuotes(t *testing.T) {
	fsys := files("main.s", ".include\n.include lib\n.include \"a.s\", \"b.s\"\n")
	assert.Equal(t, "main.s:1:1: .include takes one file name, found 0 arguments\n"+
		"main.s:2:10: .include takes a file name in double quotes: .include \"lib\"\n"+
		"main.s:3:1: .include takes one file name, found 2 arguments", errorsFS(t, fsys, "main.s"))
}

func TestABinaryFileIncludedTwiceIsReportedOnceAndIsNoCycle(t *testing.T) {
	msg := errorsFS(t, files(
		"main.s", ".include \"x.img\"\n.include \"x.img\"\n",
		"x.img", "TVMI\x00"), "main.s")
	assert.Equal(t, "x.img:1:5: this is not a text source: it holds a NUL byte (is it an image, or another binary file?)\n"+
		"\tincluded from main.s:1:10", msg)
}
