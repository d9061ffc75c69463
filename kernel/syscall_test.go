package kernel

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"toyvm/asm"
	"toyvm/image"
)

// writeProgram calls write(fd, buf, n) once, buf being an expression
// (msg is "hello\n" in .data), then exits with the result as its code;
// the whole result stays in r1 of the exited process.
func writeProgram(fd int, buf string, n int) string {
	return fmt.Sprintf(`
start:  mov     #2, r0
        mov     #%d, r1
        mov     #%s, r2
        mov     #%d, r3
        sys
        mov     r0, r1
        mov     #1, r0
        sys
        .data
msg:    .ascii  "hello\n"
`, fd, buf, n)
}

// syscallResult runs src and returns the result r1 held at exit, with
// the output and the status.
func syscallResult(t *testing.T, src string) (result int32, stdout, stderr string, status int) {
	t.Helper()
	stdout, stderr, status, k := runProgram(t, src, testConfig())
	return int32(firstProcess(t, k).Ctx.R[1]), stdout, stderr, status
}

func TestWriteToStandardOutputReturnsTheCount(t *testing.T) {
	res, out, errs, status := syscallResult(t, writeProgram(1, "msg", 6))
	assert.Equal(t, int32(6), res)
	assert.Equal(t, "hello\n", out)
	assert.Empty(t, errs)
	assert.Equal(t, 6, status)
}

// A write whose buffer is not yet in memory waits for its page and runs
// its SYS again: the program's 8 instructions count 8, not 9, and a step
// limit of 8 lets it finish.
func TestASystemCallThatWaitsCountsAsOneInstruction(t *testing.T) {
	out, _, status, k := runProgram(t, writeProgram(1, "msg", 6), testConfig())
	require.Equal(t, "hello\n", out)
	require.Equal(t, 6, status)
	require.NotZero(t, k.Stats().MajorFaults, "the buffer's page came from disk")
	require.Equal(t, uint64(8), k.Stats().Instructions)

	cfg := testConfig()
	cfg.MaxSteps = 8
	_, _, status, _ = runProgram(t, writeProgram(1, "msg", 6), cfg)
	require.Equal(t, 6, status)
	cfg.MaxSteps = 7
	_, _, status, _ = runProgram(t, writeProgram(1, "msg", 6), cfg)
	require.Equal(t, StatusMaxSteps, status)
}

// failingWriter is a host stream that takes nothing: a full disk.
type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errors.New("no space left on device") }

func TestAWriteTheHostRefusesIsEIOAndTheUserIsToldOnce(t *testing.T) {
	cfg := testConfig()
	var errs bytes.Buffer
	cfg.Stdout, cfg.Stderr = failingWriter{}, &errs
	k, err := New(cfg)
	require.NoError(t, err)
	twice := `
start:  mov     #2, r0
        mov     #1, r1
        mov     #msg, r2
        mov     #3, r3
        sys
        mov     #2, r0
        sys
        mov     r0, r1
        mov     #1, r0
        sys
        .data
msg:    .ascii  "hi\n"
`
	status, err := k.Run(assemble(t, twice), []string{"test.s"})
	require.NoError(t, err)
	assert.Equal(t, EIO&255, status, "the second write's result, as the exit status")
	assert.Equal(t, "toyvm: writing fd 1 of the host: no space left on device (the program's write returns EIO)\n",
		errs.String())
}

func TestAProcessThatClosesStandardOutputCannotWriteIt(t *testing.T) {
	res, out, _, _ := syscallResult(t, `
start:  mov     #5, r0
        mov     #1, r1
        sys
        mov     r0, r4
        mov     #2, r0
        mov     #1, r1
        mov     #start, r2
        mov     #1, r3
        sys
        mov     r0, r1
        add     r4, r1
        mov     #1, r0
        sys
`)
	assert.Equal(t, int32(EBADF), res, "close returned 0, the write EBADF")
	assert.Empty(t, out)
}

func TestWriteToStandardErrorReturnsTheCount(t *testing.T) {
	res, out, errs, _ := syscallResult(t, writeProgram(2, "msg", 6))
	assert.Equal(t, int32(6), res)
	assert.Empty(t, out)
	assert.Equal(t, "hello\n", errs)
}

func TestWriteOfZeroBytesReturnsZero(t *testing.T) {
	res, out, _, _ := syscallResult(t, writeProgram(1, "msg", 0))
	assert.Equal(t, int32(0), res)
	assert.Empty(t, out)
}

func TestWriteOfZeroBytesFromAWildPointerReturnsZero(t *testing.T) {
	res, _, _, _ := syscallResult(t, writeProgram(1, "0", 0))
	assert.Equal(t, int32(0), res)
}

func TestWriteToAFileDescriptorNotOpenForWritingIsEBADF(t *testing.T) {
	for _, fd := range []int{0, 3, 7, -1} {
		res, out, errs, _ := syscallResult(t, writeProgram(fd, "msg", 6))
		assert.Equal(t, int32(EBADF), res, "fd %d", fd)
		assert.Empty(t, out+errs)
	}
}

func TestWriteOfANegativeLengthIsEINVAL(t *testing.T) {
	for _, n := range []int{-1, -22, -0x80000000} {
		res, out, _, _ := syscallResult(t, writeProgram(1, "msg", n))
		assert.Equal(t, int32(EINVAL), res, "length %d", n)
		assert.Empty(t, out)
	}
}

func TestWriteFromAWildPointerIsEFAULT(t *testing.T) {
	for _, buf := range []string{"0", "0x80000000", "0xFFFFFFFC", "0x7FFFFFFE", "msg + 8192"} {
		res, out, _, status := syscallResult(t, writeProgram(1, buf, 6))
		assert.Equal(t, int32(EFAULT), res, "buffer %s", buf)
		assert.Empty(t, out)
		assert.Equal(t, EFAULT&255, status, "the process goes on to exit normally")
	}
}

func TestWriteOfABufferRunningOffTheEndOfDataIsEFAULTAndWritesNothing(t *testing.T) {
	res, out, _, _ := syscallResult(t, writeProgram(1, "msg", 4097))
	assert.Equal(t, int32(EFAULT), res)
	assert.Empty(t, out)
}

func TestWriteFromTextIsAllowed(t *testing.T) {
	res, out, _, _ := syscallResult(t, writeProgram(1, "start", 1))
	assert.Equal(t, int32(1), res)
	assert.Equal(t, "\x10", out, "the opcode of mov")
}

func TestUnknownSystemCallReturnsENOSYSAndTheProcessKeepsRunning(t *testing.T) {
	for _, nr := range []int{0, firstUnusedSyscall(), maxSyscall, 99999, -1} {
		src := fmt.Sprintf(`
start:  mov     #%d, r0
        sys
        mov     r0, r1
        mov     #1, r0
        sys
`, nr)
		res, _, errs, status := syscallResult(t, src)
		assert.Equal(t, int32(ENOSYS), res, "syscall %d", nr)
		assert.Equal(t, ENOSYS&255, status)
		assert.Empty(t, errs, "not killed")
	}
}

// firstUnusedSyscall returns the lowest number above 0 that the kernel
// does not serve.
func firstUnusedSyscall() int {
	for nr := 1; ; nr++ {
		if syscalls[nr] == nil {
			return nr
		}
	}
}

func TestTheSyscallTableNamesEveryArgumentOfEveryCall(t *testing.T) {
	seen := map[string]bool{}
	for _, c := range Syscalls() {
		assert.False(t, seen[c.Name], "%s is served twice", c.Name)
		seen[c.Name] = true
		assert.LessOrEqual(t, len(c.Args), 6, c.Name)
		text := testKernelText(c.Nr)
		assert.True(t, strings.HasPrefix(text, c.Name+"("), text)
		assert.Equal(t, len(c.Args), strings.Count(text, "="), text)
	}
	assert.Equal(t, "syscall 99999", testKernelText(99999))
}

// testKernelText returns the trace text of a call of nr with arguments
// 1, 2, 3, 4, 5, 6 by a process of a fresh machine.
func testKernelText(nr uint32) string {
	cfg := testConfig()
	cfg.Stdout, cfg.Stderr = io.Discard, io.Discard
	k, err := New(cfg)
	if err != nil {
		panic(err)
	}
	p, err := k.Spawn(&image.Image{Entry: 0x1000, Segments: []image.Segment{{Name: "text", Addr: 0x1000, Size: 1, Perm: image.PermR | image.PermX}}}, []string{"p"})
	if err != nil {
		panic(err)
	}
	return k.SyscallText(p, nr, [6]uint32{1, 2, 3, 4, 5, 6})
}

func TestSystemCallLeavesOtherRegistersAlone(t *testing.T) {
	src := `
start:  mov     #0x1234, r7
        mov     #0x5678, r13
        mov     #2, r0
        mov     #1, r1
        mov     #msg, r2
        mov     #1, r3
        sys
        mov     #1, r0
        clr     r1
        sys
        .data
msg:    .ascii  "x"
`
	_, _, status, k := runProgram(t, src, testConfig())
	require.Equal(t, 0, status)
	p := firstProcess(t, k)
	assert.Equal(t, uint32(0x1234), p.Ctx.R[7])
	assert.Equal(t, uint32(0x5678), p.Ctx.R[13])
	assert.Equal(t, uint32(1), p.Ctx.R[3], "the arguments too")
}

func TestExitStatusIsTheCodeModulo256(t *testing.T) {
	for code, want := range map[int]int{0: 0, 1: 1, 255: 255, 256: 0, 0x1234: 0x34, -1: 255} {
		src := fmt.Sprintf("start: mov #1, r0\n mov #%d, r1\n sys\n", code)
		_, _, status, k := runProgram(t, src, testConfig())
		assert.Equal(t, want, status, "exit(%d)", code)
		assert.Equal(t, Zombie, firstProcess(t, k).State)
	}
}

func TestExitStopsTheProgram(t *testing.T) {
	src := `
start:  mov     #1, r0
        mov     #3, r1
        sys
        mov     #2, r0          ; never reached
        mov     #1, r1
        mov     #start, r2
        mov     #1, r3
        sys
`
	out, _, status, _ := runProgram(t, src, testConfig())
	assert.Equal(t, 3, status)
	assert.Empty(t, out)
}

func TestOutputKeepsItsOrderAcrossStandardOutputAndError(t *testing.T) {
	src := `
start:  mov     #2, r0
        mov     #1, r1
        mov     #a, r2
        mov     #2, r3
        sys
        mov     #2, r0
        mov     #2, r1
        mov     #b, r2
        mov     #2, r3
        sys
        mov     #1, r0
        clr     r1
        sys
        .data
a:      .ascii  "a\n"
b:      .ascii  "b\n"
`
	var both bytes.Buffer // behind both streams, to see their order
	cfg := testConfig()
	cfg.Stdout, cfg.Stderr = &both, &both
	k, err := New(cfg)
	require.NoError(t, err)
	_, err = k.Run(assemble(t, src), []string{"test.s"})
	require.NoError(t, err)
	assert.Equal(t, "a\nb\n", both.String(), "standard output is flushed before standard error")
}

func TestAnErrorResultIsNamedInTracesAndAnyOtherIsANumber(t *testing.T) {
	assert.Equal(t, "-22 EINVAL", resultText(EINVAL))
	assert.Equal(t, "-5 EIO", resultText(EIO))
	assert.Equal(t, "6", resultText(6))
	assert.Equal(t, "-7", resultText(-7), "not an errno toyvm returns")
}

func TestSyscallTraceNamesTheCallItsArgumentsAndResult(t *testing.T) {
	cfg := testConfig()
	cfg.Trace = TraceSyscalls
	_, errs, _, _ := runProgram(t, writeProgram(9, "msg", 6), cfg)
	assert.Contains(t, errs, "syscalls pid 1: write(fd=9, buf=0x2000, len=6) -> -9 EBADF\n", "an error is named")
	assert.Contains(t, errs, "syscalls pid 1: exit(code=-9)\n")
}

func TestSysIncMatchesTheKernelsTables(t *testing.T) {
	img, err := asm.AssembleFS(os.DirFS("../programs/lib"), "sys.inc")
	require.NoError(t, err)
	inc := map[string]int32{}
	for _, s := range img.Symbols {
		inc[s.Name] = int32(s.Value)
	}
	for _, c := range Syscalls() {
		name := "SYS_" + strings.ToUpper(c.Name)
		assert.Equal(t, int32(c.Nr), inc[name], "programs/lib/sys.inc: %s must be %d", name, c.Nr)
	}
	for _, e := range Errnos {
		assert.Equal(t, e.Value, inc[e.Name], "programs/lib/sys.inc: %s must be %d", e.Name, e.Value)
	}
	for name, v := range inc {
		if nr, ok := strings.CutPrefix(name, "SYS_"); ok && v < maxSyscall && syscalls[v] != nil {
			assert.Equal(t, strings.ToLower(nr), syscalls[v].name, "programs/lib/sys.inc: %s is number %d", name, v)
		}
	}
}
