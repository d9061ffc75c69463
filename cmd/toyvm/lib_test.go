package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// libProgram writes src as prog.s in a fresh current folder, beside a
// copy of programs/lib, so that it can include lib/sys.inc and lib/io.s
// as the samples do, and returns its name.
func libProgram(t *testing.T, src string) string {
	t.Helper()
	programs := inTempDir(t)
	require.NoError(t, os.Mkdir("lib", 0o755))
	for _, name := range []string{"sys.inc", "io.s"} {
		b, err := os.ReadFile(filepath.Join(programs, "lib", name))
		require.NoError(t, err)
		writeFile(t, filepath.Join("lib", name), b)
	}
	return writeFile(t, "prog.s", []byte("\t.include \"lib/sys.inc\"\nstart:\n"+src+"\n\t.include \"lib/io.s\"\n"))
}

// runWithInput runs toyvm with args, stdin holding input.
func runWithInput(input string, args ...string) result {
	var out, errb bytes.Buffer
	status := run(args, env{stdin: strings.NewReader(input), stdout: &out, stderr: &errb})
	return result{status, out.String(), errb.String()}
}

// calls returns the lines that set r1 to each value and call routine,
// then write a newline.
func calls(routine string, values ...string) string {
	var b strings.Builder
	for _, v := range values {
		fmt.Fprintf(&b, "\tmov #%s, r1\n\tcall %s\n\tcall putnl\n", v, routine)
	}
	return b.String()
}

func TestPutintAndPutuintWriteEveryNumberRightUpToTheLimits(t *testing.T) {
	prog := libProgram(t, calls("putint", "0", "7", "-1", "10", "-10", "2147483647", "-2147483648", "1000000000")+
		calls("putuint", "0", "9", "4294967295", "2147483648", "-10")+
		"\tclr r1\n\tcall exit\n")
	assert.Equal(t, result{stdout: "0\n7\n-1\n10\n-10\n2147483647\n-2147483648\n1000000000\n" +
		"0\n9\n4294967295\n2147483648\n4294967286\n"}, toyvm(t, "run", prog))
}

func TestPutstrPutbufAndPutcharWriteTheirBytes(t *testing.T) {
	prog := libProgram(t, `	mov #hello, r1
	call putstr
	mov #hello, r1
	mov #4, r2
	call putbuf
	mov #empty, r1
	call putstr
	mov #'!', r1
	call putchar
	call putnl
	clr r1
	call exit
	.data
hello:	.asciz "hello, world\n"
empty:	.asciz ""`)
	assert.Equal(t, result{stdout: "hello, world\nhell!\n"}, toyvm(t, "run", prog))
}

// keepCheck returns lines that check that r1-r15 hold what keepSet put
// in them, writing "<N> changed by <routine>" for each rN that does not.
func keepCheck(routine string) string {
	var b strings.Builder
	for r := 1; r <= 15; r++ {
		fmt.Fprintf(&b, "\tcmp r%d, saved+%d\n\tbeq ok_%s_%d\n", r, 4*r, routine, r)
		fmt.Fprintf(&b, "\tpush r1\n\tmov #%d, r1\n\tcall putint\n\tmov #changed_%s, r1\n\tcall putstr\n\tpop r1\n", r, routine)
		fmt.Fprintf(&b, "ok_%s_%d:\n", routine, r)
	}
	fmt.Fprintf(&b, "\t.data\nchanged_%s: .asciz \" changed by %s\\n\"\n\t.text\n", routine, routine)
	return b.String()
}

// keepSet returns lines that put a different value in each of r3-r14,
// the arguments args in r1 and r2 (or more different values), and note
// all of them, with sp, in the words at saved.
func keepSet(args ...string) string {
	var b strings.Builder
	for r := 1; r <= 14; r++ {
		v := fmt.Sprint(1000 * r)
		if r <= len(args) {
			v = args[r-1]
		}
		fmt.Fprintf(&b, "\tmov #%s, r%d\n", v, r)
	}
	for r := 1; r <= 15; r++ {
		fmt.Fprintf(&b, "\tmov r%d, saved+%d\n", r, 4*r)
	}
	return b.String()
}

func TestEveryRoutineKeepsEveryRegisterButR0(t *testing.T) {
	var src strings.Builder
	for _, c := range []struct {
		routine string
		args    []string
	}{
		{"putstr", []string{"buf"}}, {"putbuf", []string{"buf", "3"}}, {"putchar", []string{"'x'"}},
		{"putnl", nil}, {"putint", []string{"-42"}}, {"putuint", []string{"42"}},
		{"getline", []string{"line", "16"}},
	} {
		src.WriteString(keepSet(c.args...) + "\tcall " + c.routine + "\n" + keepCheck(c.routine))
	}
	src.WriteString("\tclr r1\n\tcall exit\n\t.data\nsaved: .space 64\nbuf: .asciz \"buffer!\"\nline: .space 16\n")
	r := runWithInput("a line\n", "run", libProgram(t, src.String()))
	assert.Equal(t, result{stdout: "buffer!bufx\n-4242"}, r, "every register but r0 is kept")
}

func TestGetlineReadsALineAtATimeAndSaysWhenTheInputEnds(t *testing.T) {
	prog := libProgram(t, `loop:	mov #buf, r1
	mov #8, r2
	call getline
	mov r0, r6			; putint changes r0
	mov r0, r1
	call putint
	tst r6
	blt done
	mov #'[', r1
	call putchar
	mov #buf, r1
	call putstr
	mov #']', r1
	call putchar
	call putnl
	br loop
done:	call putnl
	mov #buf, r1
	clr r2
	call getline
	mov r0, r1
	call putint
	call putnl
	clr r1
	call exit
	.data
buf:	.space 8`)
	r := runWithInput("hello\n\nlonger line here\nlast", "run", prog)
	assert.Equal(t, result{stdout: "5[hello]\n0[]\n7[longer ]\n7[line he]\n2[re]\n4[last]\n-1\n-22\n"}, r)
	r = runWithInput("", "run", prog)
	assert.Equal(t, result{stdout: "-1\n-22\n"}, r, "no input at all")
}

func TestOutfdSendsWhatTheLibraryWritesElsewhere(t *testing.T) {
	prog := libProgram(t, `	mov #STDERR, outfd
	mov #-7, r1
	call putint
	call putnl
	mov #3, r1
	call exit`)
	assert.Equal(t, result{status: 3, stderr: "-7\n"}, toyvm(t, "run", prog))
}

// TestTheLibrarysExampleInTheDocsPrintsWhatTheDocsSay runs the complete
// program that docs/isa.md gives for the user library.
func TestTheLibrarysExampleInTheDocsPrintsWhatTheDocsSay(t *testing.T) {
	doc, err := os.ReadFile("../../docs/isa.md")
	require.NoError(t, err)
	_, rest, ok := strings.Cut(string(doc), "```\n; hello2.s")
	require.True(t, ok, "docs/isa.md shows hello2.s")
	src, _, ok := strings.Cut(rest, "```\n")
	require.True(t, ok)
	libProgram(t, "")
	writeFile(t, "hello2.s", []byte("; hello2.s"+src))
	assert.Equal(t, result{stdout: "Hello, world\n1\n2\n3\n-2147483648\n"}, toyvm(t, "run", "hello2.s"))
}
