package kernel

import (
	"encoding/binary"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"toyvm/asm"
	"toyvm/isa"
	"toyvm/kernel/policy"
	"toyvm/kernel/vm"
)

// step is one system call of a script: its number and up to three
// arguments, each an operand of the assembler ("#3", "#path", "res0": the
// result of step 0).
type step struct {
	nr   int
	args []string
}

func call(nr int, args ...string) step { return step{nr, args} }

// scriptProgram makes a program that runs the steps in order, keeping the
// result of step i in the word res<i>, then writes all the results on
// standard output as little-endian words and exits. data is added to the
// .data section (paths, buffers).
func scriptProgram(steps []step, data string) string {
	var b strings.Builder
	b.WriteString("start:\n")
	for i, s := range steps {
		fmt.Fprintf(&b, "        mov     #%d, r0\n", s.nr)
		for j, a := range s.args {
			fmt.Fprintf(&b, "        mov     %s, r%d\n", a, j+1)
		}
		fmt.Fprintf(&b, "        sys\n        mov     r0, res%d\n", i)
	}
	fmt.Fprintf(&b, `        mov     #2, r0
        mov     #1, r1
        mov     #res0, r2
        mov     #%d, r3
        sys
        mov     #1, r0
        clr     r1
        sys
        .data
`, 4*len(steps))
	for i := range steps {
		fmt.Fprintf(&b, "res%d:   .word   0\n", i)
	}
	return b.String() + data
}

// runScript runs the steps on a machine of cfg and returns what the
// program printed before its results, and the results.
func runScript(t *testing.T, cfg Config, steps []step, data string) (string, []int32) {
	t.Helper()
	out, errs, status, _ := runProgram(t, scriptProgram(steps, data), cfg)
	require.Equal(t, 0, status, errs)
	require.GreaterOrEqual(t, len(out), 4*len(steps), errs)
	cut := len(out) - 4*len(steps)
	res := make([]int32, len(steps))
	for i := range res {
		res[i] = int32(binary.LittleEndian.Uint32([]byte(out[cut+4*i:])))
	}
	return out[:cut], res
}

// fileConfig is testConfig with a fresh root folder, which it returns.
func fileConfig(t *testing.T) (Config, string) {
	cfg := testConfig()
	cfg.Root = t.TempDir()
	return cfg, cfg.Root
}

// putFile writes a file of the root folder.
func putFile(t *testing.T, dir, name, contents string) {
	t.Helper()
	require.NoError(t, os.WriteFile(filepath.Join(dir, name), []byte(contents), 0o644))
}

// fileData is the .data of the scripts: file names and a buffer.
const fileData = `
in:     .asciz  "in.txt"
out:    .asciz  "out.txt"
dir:    .asciz  "sub"
up:     .asciz  "../x"
abs:    .asciz  "/etc/passwd"
link:   .asciz  "link"
        .align  4096
buf:    .space  8192
`

func TestOpenReadCloseOfAFileGivesItsBytesThenZeroAtTheEnd(t *testing.T) {
	cfg, dir := fileConfig(t)
	putFile(t, dir, "in.txt", "hello, file\n")
	out, res := runScript(t, cfg, []step{
		call(SysOpen, "#in", "#0"),
		call(SysRead, "res0", "#buf", "#100"),
		call(SysWrite, "#1", "#buf", "res1"),
		call(SysRead, "res0", "#buf", "#100"),
		call(SysClose, "res0"),
	}, fileData)
	assert.Equal(t, []int32{3, 12, 12, 0, 0}, res)
	assert.Equal(t, "hello, file\n", out)
}

func TestReadsOfAFileGoOnFromWhereTheLastOneStopped(t *testing.T) {
	cfg, dir := fileConfig(t)
	putFile(t, dir, "in.txt", "abcdefgh")
	out, res := runScript(t, cfg, []step{
		call(SysOpen, "#in", "#0"),
		call(SysRead, "res0", "#buf", "#3"),
		call(SysRead, "res0", "#buf+3", "#3"),
		call(SysRead, "res0", "#buf+6", "#3"),
		call(SysWrite, "#1", "#buf", "#8"),
	}, fileData)
	assert.Equal(t, []int32{3, 3, 3, 2, 8}, res)
	assert.Equal(t, "abcdefgh", out)
}

func TestWriteThenReadBackGivesTheSameBytes(t *testing.T) {
	cfg, dir := fileConfig(t)
	out, res := runScript(t, cfg, []step{
		call(SysOpen, "#out", "#1"),
		call(SysWrite, "res0", "#in", "#6"),
		call(SysClose, "res0"),
		call(SysOpen, "#out", "#0"),
		call(SysRead, "res3", "#buf", "#100"),
		call(SysWrite, "#1", "#buf", "res4"),
	}, fileData)
	assert.Equal(t, []int32{3, 6, 0, 3, 6, 6}, res)
	assert.Equal(t, "in.txt", out)
	got, err := os.ReadFile(filepath.Join(dir, "out.txt"))
	require.NoError(t, err)
	assert.Equal(t, "in.txt", string(got))
}

func TestOpenForWritingCreatesAFileOrTruncatesIt(t *testing.T) {
	cfg, dir := fileConfig(t)
	putFile(t, dir, "in.txt", "old and long contents")
	_, res := runScript(t, cfg, []step{
		call(SysOpen, "#in", "#1"),
		call(SysWrite, "res0", "#out", "#3"),
		call(SysOpen, "#out", "#1"),
	}, fileData)
	assert.Equal(t, []int32{3, 3, 4}, res)
	got, err := os.ReadFile(filepath.Join(dir, "in.txt"))
	require.NoError(t, err)
	assert.Equal(t, "out", string(got), "truncated, then written")
	got, err = os.ReadFile(filepath.Join(dir, "out.txt"))
	require.NoError(t, err)
	assert.Empty(t, got, "created empty")
}

func TestOpenForReadingAndWritingCreatesAFileButKeepsOne(t *testing.T) {
	cfg, dir := fileConfig(t)
	putFile(t, dir, "in.txt", "abcdef")
	out, res := runScript(t, cfg, []step{
		call(SysOpen, "#in", "#2"),
		call(SysWrite, "res0", "#out", "#2"),
		call(SysRead, "res0", "#buf", "#100"),
		call(SysWrite, "#1", "#buf", "res2"),
		call(SysOpen, "#out", "#2"),
	}, fileData)
	assert.Equal(t, []int32{3, 2, 4, 4, 4}, res)
	assert.Equal(t, "cdef", out, "the read goes on after the write")
	got, err := os.ReadFile(filepath.Join(dir, "in.txt"))
	require.NoError(t, err)
	assert.Equal(t, "oucdef", string(got), "not truncated")
	assert.FileExists(t, filepath.Join(dir, "out.txt"))
}

func TestOpenOfAMissingFileForReadingIsENOENT(t *testing.T) {
	cfg, _ := fileConfig(t)
	_, res := runScript(t, cfg, []step{call(SysOpen, "#in", "#0")}, fileData)
	assert.Equal(t, []int32{ENOENT}, res)
}

func TestOpenWithABadFlagsValueIsEINVAL(t *testing.T) {
	cfg, dir := fileConfig(t)
	putFile(t, dir, "in.txt", "x")
	_, res := runScript(t, cfg, []step{
		call(SysOpen, "#in", "#3"),
		call(SysOpen, "#in", "#-1"),
		call(SysOpen, "#in", "#0x100"),
	}, fileData)
	assert.Equal(t, []int32{EINVAL, EINVAL, EINVAL}, res)
}

func TestOpenOfAPathLeadingOutOfTheRootIsEINVAL(t *testing.T) {
	cfg, dir := fileConfig(t)
	outside := t.TempDir()
	putFile(t, outside, "secret", "do not read")
	require.NoError(t, os.Symlink(filepath.Join(outside, "secret"), filepath.Join(dir, "link")))
	_, res := runScript(t, cfg, []step{
		call(SysOpen, "#up", "#0"),
		call(SysOpen, "#abs", "#0"),
		call(SysOpen, "#link", "#0"),
		call(SysOpen, "#up", "#1"),
		call(SysOpen, "#link", "#2"),
	}, fileData)
	assert.Equal(t, []int32{EINVAL, EINVAL, EINVAL, EINVAL, EINVAL}, res)
	assert.NoFileExists(t, filepath.Join(filepath.Dir(dir), "x"), "nothing is created outside")
	got, err := os.ReadFile(filepath.Join(outside, "secret"))
	require.NoError(t, err)
	assert.Equal(t, "do not read", string(got))
}

func TestOpenOfADirectoryIsEINVAL(t *testing.T) {
	cfg, dir := fileConfig(t)
	require.NoError(t, os.Mkdir(filepath.Join(dir, "sub"), 0o755))
	_, res := runScript(t, cfg, []step{
		call(SysOpen, "#dir", "#0"),
		call(SysOpen, "#dir", "#1"),
		call(SysOpen, "#dir", "#2"),
	}, fileData)
	assert.Equal(t, []int32{EINVAL, EINVAL, EINVAL}, res)
}

func TestOpenWithoutARootFolderIsEINVAL(t *testing.T) {
	_, res := runScript(t, testConfig(), []step{call(SysOpen, "#in", "#0")}, fileData)
	assert.Equal(t, []int32{EINVAL}, res)
}

func TestOpenFromAWildPointerIsEFAULT(t *testing.T) {
	cfg, _ := fileConfig(t)
	_, res := runScript(t, cfg, []step{
		call(SysOpen, "#0x10", "#0"),
		call(SysOpen, "#0x90000000", "#1"),
	}, fileData)
	assert.Equal(t, []int32{EFAULT, EFAULT}, res)
}

func TestOpenReturnsTheLowestFreeDescriptor(t *testing.T) {
	cfg, dir := fileConfig(t)
	putFile(t, dir, "in.txt", "x")
	_, res := runScript(t, cfg, []step{
		call(SysOpen, "#in", "#0"),
		call(SysOpen, "#in", "#0"),
		call(SysOpen, "#in", "#0"),
		call(SysClose, "res0"),
		call(SysOpen, "#out", "#1"),
		call(SysOpen, "#in", "#0"),
	}, fileData)
	assert.Equal(t, []int32{3, 4, 5, 0, 3, 6}, res)
}

func TestOpenBeyondTheFileTableIsEAGAIN(t *testing.T) {
	cfg, dir := fileConfig(t)
	putFile(t, dir, "in.txt", "x")
	steps := make([]step, MaxOpenFiles+1)
	want := make([]int32, len(steps))
	for i := range steps {
		steps[i], want[i] = call(SysOpen, "#in", "#0"), int32(firstFD+i)
	}
	want[MaxOpenFiles] = EAGAIN
	_, res := runScript(t, cfg, steps, fileData)
	assert.Equal(t, want, res)
}

func TestMisuseOfAFileDescriptorIsEBADF(t *testing.T) {
	cfg, dir := fileConfig(t)
	putFile(t, dir, "in.txt", "x")
	_, res := runScript(t, cfg, []step{
		call(SysOpen, "#in", "#0"),            // 3, read only
		call(SysOpen, "#out", "#1"),           // 4, write only
		call(SysWrite, "res0", "#buf", "#1"),  // write of a read-only file
		call(SysRead, "res1", "#buf", "#1"),   // read of a write-only file
		call(SysClose, "res0"),                // 0
		call(SysRead, "res0", "#buf", "#1"),   // read of a closed file
		call(SysClose, "res0"),                // close twice
		call(SysRead, "#9", "#buf", "#1"),     // never opened
		call(SysRead, "#1", "#buf", "#1"),     // standard output
		call(SysRead, "#2", "#buf", "#1"),     // standard error
		call(SysWrite, "#0", "#buf", "#1"),    // standard input
		call(SysRead, "#-1", "#buf", "#1"),    // no such descriptor
		call(SysWrite, "#1000", "#buf", "#1"), // nor that
		call(SysClose, "#0"),                  // standard input, closed
		call(SysRead, "#0", "#buf", "#1"),     // read once it is closed
		call(SysClose, "#0"),                  // close it twice
	}, fileData)
	assert.Equal(t, []int32{3, 4, EBADF, EBADF, 0, EBADF, EBADF, EBADF, EBADF, EBADF, EBADF, EBADF, EBADF,
		0, EBADF, EBADF}, res)
}

func TestReadOrWriteOfANegativeLengthIsEINVAL(t *testing.T) {
	cfg, dir := fileConfig(t)
	putFile(t, dir, "in.txt", "x")
	_, res := runScript(t, cfg, []step{
		call(SysOpen, "#in", "#2"),
		call(SysRead, "res0", "#buf", "#-1"),
		call(SysWrite, "res0", "#buf", "#-0x80000000"),
		call(SysRead, "#0", "#buf", "#-5"),
	}, fileData)
	assert.Equal(t, []int32{3, EINVAL, EINVAL, EINVAL}, res)
}

func TestReadOrWriteWithAWildBufferIsEFAULT(t *testing.T) {
	cfg, dir := fileConfig(t)
	putFile(t, dir, "in.txt", "some bytes")
	_, res := runScript(t, cfg, []step{
		call(SysOpen, "#in", "#2"),
		call(SysRead, "res0", "#0x10", "#4"),
		call(SysWrite, "res0", "#0x10", "#4"),
		call(SysRead, "res0", "#0x1000", "#4"), // text is read-only
		call(SysRead, "res0", "#buf", "#4"),    // nothing was moved
	}, fileData)
	assert.Equal(t, []int32{3, EFAULT, EFAULT, EFAULT, 4}, res)
}

func TestReadOfAHugeLengthIsCutToTheFile(t *testing.T) {
	cfg, dir := fileConfig(t)
	putFile(t, dir, "in.txt", "tiny")
	out, res := runScript(t, cfg, []step{
		call(SysOpen, "#in", "#0"),
		call(SysRead, "res0", "#buf", "#0x7fffffff"),
		call(SysWrite, "#1", "#buf", "res1"),
	}, fileData)
	assert.Equal(t, []int32{3, 4, 4}, res)
	assert.Equal(t, "tiny", out)
}

// readTypedStdin reads standard input holding "typed\n" twice with
// length n, echoing the first read: it returns the output and results.
func readTypedStdin(t *testing.T, n string) (string, []int32) {
	cfg := testConfig()
	cfg.Stdin = strings.NewReader("typed\n")
	return runScript(t, cfg, []step{
		call(SysRead, "#0", "#buf", n),
		call(SysWrite, "#1", "#buf", "res0"),
		call(SysRead, "#0", "#buf", n),
	}, fileData)
}

func TestReadFromStandardInputGivesItsBytesThenZero(t *testing.T) {
	out, res := readTypedStdin(t, "#100")
	assert.Equal(t, []int32{6, 6, 0}, res)
	assert.Equal(t, "typed\n", out)
}

// A read of standard input moves at most 4096 bytes, so only that much of
// the buffer must be valid: a huge length is no bad pointer.
func TestAHugeReadOfStandardInputNeedsOnlyAPageOfBuffer(t *testing.T) {
	out, res := readTypedStdin(t, "#0x7fffffff")
	assert.Equal(t, []int32{6, 6, 0}, res)
	assert.Equal(t, "typed\n", out)
}

func TestReadFromNoStandardInputIsAtItsEnd(t *testing.T) {
	_, res := runScript(t, testConfig(), []step{call(SysRead, "#0", "#buf", "#100")}, fileData)
	assert.Equal(t, []int32{0}, res)
}

func TestReadOfAFileTakesTheDiskLatency(t *testing.T) {
	cfg, dir := fileConfig(t)
	putFile(t, dir, "in.txt", "x")
	_, res := runScript(t, cfg, []step{
		call(SysOpen, "#in", "#0"),
		call(SysRead, "#0", "#buf", "#0"), // page the code and buf in first
		call(SysTime),
		call(SysRead, "res0", "#buf", "#1"),
		call(SysTime),
	}, fileData)
	assert.GreaterOrEqual(t, res[4]-res[2], int32(cfg.DiskLatency))
}

func TestFileTransfersAreTracedWithTheirSystemCalls(t *testing.T) {
	cfg, dir := fileConfig(t)
	cfg.Trace = TraceSyscalls | TraceDisk
	putFile(t, dir, "in.txt", "x")
	_, errs, _, _ := runProgram(t, scriptProgram([]step{
		call(SysOpen, "#in", "#0"),
		call(SysRead, "res0", "#buf", "#1"),
		call(SysOpen, "#out", "#0"),
	}, fileData), cfg)
	assert.Contains(t, errs, `syscalls pid 1: open(path="in.txt", flags=0) -> 3`)
	assert.Contains(t, errs, ") -> 3\n")
	assert.Contains(t, errs, "disk     pid 1: read fd 3 (in.txt) @0x0+1, 1 frames locked (disk tag")
	assert.Contains(t, errs, `syscalls pid 1: open "out.txt": `)
}

// newFileReader spawns twoDataPages (whose data pages are not present)
// with in.txt of the root open at descriptor 3.
func newFileReader(t *testing.T, contents string) (*Kernel, *Process) {
	t.Helper()
	cfg, dir := fileConfig(t)
	putFile(t, dir, "in.txt", contents)
	k, _, _ := newKernel(t, cfg)
	p := spawn(t, k, twoDataPages)
	s, err := k.openHostFile("in.txt", os.O_RDONLY)
	require.NoError(t, err)
	fd, _ := k.filesOf(p).add(&openFile{path: "in.txt", store: s, mode: modeRead})
	require.Equal(t, uint32(3), fd)
	inSyscall(k)
	return k, p
}

// readNow is read(3, buf, n) as the process sees it across the restarts
// of its SYS: while the call waits, the disk runs (the idle loop) and the
// call is made again. inFlight is called each time a file transfer is
// in flight.
func readNow(t *testing.T, k *Kernel, p *Process, buf, n uint32, inFlight func()) int32 {
	t.Helper()
	for range 100 {
		res, done := sysRead(k, p, [6]uint32{3, buf, n})
		if done {
			return res
		}
		require.Equal(t, Blocked, p.State)
		if _, ok := p.channel.(*fileTransfer); ok && inFlight != nil {
			inFlight()
		}
		require.True(t, k.idle(), "the disk wakes the process")
	}
	t.Fatal("the read never finished")
	return 0
}

func TestReadIntoABufferNotYetPresentPagesItInThenReads(t *testing.T) {
	k, p := newFileReader(t, "through the disk")
	require.False(t, present(p, dataStart))
	res := readNow(t, k, p, dataStart+isa.PageSize-4, 16, nil)
	assert.Equal(t, int32(16), res)
	assert.True(t, present(p, dataStart) && present(p, dataStart+isa.PageSize))
	got, err := copyInNow(t, k, p, dataStart+isa.PageSize-4, 16)
	require.NoError(t, err)
	assert.Equal(t, "through the disk", string(got))
}

func TestBufferFramesAreLockedWhileTheDiskReadsIntoThem(t *testing.T) {
	k, p := newFileReader(t, strings.Repeat("z", 8000))
	seen := 0
	readNow(t, k, p, dataStart, 8000, func() {
		seen++
		t0 := p.files.io
		assert.Equal(t, ioInFlight, t0.state)
		require.Len(t, t0.frames, 2, "both pages of the buffer")
		for _, f := range t0.frames {
			fr := k.Frames.Get(f)
			assert.Equal(t, 1, fr.Locks, "frame %#x", f)
			assert.Equal(t, vm.FrameMapped, fr.State)
			assert.False(t, k.evictable(policyPage(f)))
		}
		assert.True(t, k.Disk.Busy())
		require.NoError(t, k.Check())
	})
	assert.Equal(t, 1, seen, "one request for the whole buffer")
	for f := 1; f < k.Frames.Len(); f++ {
		assert.Zero(t, k.Frames.Get(uint32(f)).Locks, "frame %#x is unlocked after the read", f)
	}
	assert.Nil(t, p.files.io, "the result was handed to the SYS")
}

func TestReadTakesTheDiskLatencyAndCountsADiskRead(t *testing.T) {
	k, p := newFileReader(t, "abc")
	readNow(t, k, p, dataStart, 1, nil) // the buffer's page comes in
	before, reads := k.Clock.Now(), k.Disk.Stats().Reads
	assert.Equal(t, int32(2), readNow(t, k, p, dataStart, 2, nil))
	assert.GreaterOrEqual(t, k.Clock.Now()-before, k.Disk.Latency())
	assert.Equal(t, reads+1, k.Disk.Stats().Reads)
}

func TestProcessExitingWithATransferInFlightLeaksNothing(t *testing.T) {
	k, p := newFileReader(t, strings.Repeat("q", 8000))
	for {
		_, done := sysRead(k, p, [6]uint32{3, dataStart, 8000})
		require.False(t, done, "the read must wait for the disk")
		if _, ok := p.channel.(*fileTransfer); ok {
			break
		}
		require.True(t, k.idle())
	}
	k.exit(p, StatusNoMemory) // as if killed while it waits
	require.NoError(t, k.Check(), "the frames stay locked, in transit, off every list")
	assert.Len(t, framesIn(k, vm.FrameBusy), 2)
	assert.True(t, k.Disk.Busy())

	assert.False(t, k.idle(), "no process is left when the disk is done")
	assert.False(t, k.Disk.Busy())
	assert.Equal(t, bootFree(k.cfg), k.Frames.FreeCount(), "every frame is free again")
	assert.Zero(t, k.lockedForFiles())
	require.NoError(t, k.Check())
}

// bigReadChecksum is what programs/bigread.s prints for its file: the
// bytes read and the checksum (checksum*31 + word, over every word).
func bigReadChecksum(t *testing.T) string {
	t.Helper()
	data, err := os.ReadFile("../programs/files/big.dat")
	require.NoError(t, err)
	var sum uint32
	for i := 0; i+4 <= len(data); i += 4 {
		sum = sum*31 + binary.LittleEndian.Uint32(data[i:])
	}
	return fmt.Sprintf("bytes %d\nchecksum %d\n", len(data), int32(sum))
}

func TestBigFileReadInALoopIntoABufferLargerThanMemoryUnderEveryPolicyAndSwapLayout(t *testing.T) {
	img, err := asm.LoadFile("../programs/bigread.s") // it includes lib/io.s
	require.NoError(t, err)
	want := bigReadChecksum(t)
	for _, pol := range policy.Names() {
		for _, layout := range []vm.SwapLayout{vm.SwapDynamic, vm.SwapStatic} {
			name := fmt.Sprintf("%s/%s", pol, layout)
			cfg := tinyConfig() // 64K: the 128K buffer does not fit
			cfg.Policy, cfg.Swap, cfg.Root = pol, layout, "../programs"
			out, errs, status, k := runImage(t, img, cfg)
			requireNoViolation(t, k, errs, name)
			assert.Equal(t, 0, status, "%s: %s", name, errs)
			assert.Equal(t, want, out, name)
			assert.Positive(t, k.Stats().SwapIns, "%s: the buffer went to swap", name)
			assert.Equal(t, bootFree(cfg), k.Frames.FreeCount(), "%s: every frame is free again", name)
		}
	}
}

// bigWrite fills a 64 KiB buffer with the numbers 0, 1, 2, ... (words)
// and writes it to out.txt in a loop until all of it is written; it
// exits with the number of write calls it made.
const bigWrite = `
start:  mov     #buf, r4
        clr     r5
fill:   mov     r5, (r4)+
        inc     r5
        cmp     r5, #16384
        blt     fill
        mov     #4, r0          ; open("out.txt", write)
        mov     #out, r1
        mov     #1, r2
        sys
        mov     r0, r6
        clr     r7              ; bytes written
        clr     r8              ; calls
more:   mov     #2, r0
        mov     r6, r1
        mov     #buf, r2
        add     r7, r2
        mov     #65536, r3
        sub     r7, r3
        sys
        tst     r0
        ble     bad
        inc     r8
        add     r0, r7
        cmp     r7, #65536
        blt     more
        mov     #1, r0
        mov     r8, r1
        sys
bad:    mov     #1, r0
        mov     #255, r1
        sys
        .data
out:    .asciz  "out.txt"
        .align  4096
buf:    .space  65536
`

func TestWriteOfABufferLargerThanMemoryToAFileIsShortAndALoopWritesItAll(t *testing.T) {
	cfg := tinyConfig()
	cfg.Root = t.TempDir()
	_, errs, status, k := runProgram(t, bigWrite, cfg)
	requireNoViolation(t, k, errs, "big write")
	assert.Greater(t, status, 1, "several short writes: %s", errs)
	assert.NotEqual(t, 255, status, errs)
	got, err := os.ReadFile(filepath.Join(cfg.Root, "out.txt"))
	require.NoError(t, err)
	require.Len(t, got, 65536)
	for i := 0; i < len(got); i += 4 {
		require.Equal(t, uint32(i/4), binary.LittleEndian.Uint32(got[i:]), "word %d", i/4)
	}
	assert.Equal(t, bootFree(cfg), k.Frames.FreeCount())
}

// threeBigReads runs bigread.s (inside the root) as three children at
// once and waits for them all.
const threeBigReads = `
start:  mov     #3, r6
spawn:  mov     #6, r0
        mov     #prog, r1
        clr     r2
        sys
        tst     r0
        blt     bad
        dec     r6
        bne     spawn
        mov     #3, r6
wait:   mov     #7, r0
        mov     #-1, r1
        sys
        tst     r1
        bne     bad
        dec     r6
        bne     wait
        mov     #1, r0
        clr     r1
        sys
bad:    mov     #1, r0
        mov     #1, r1
        sys
        .data
prog:   .asciz  "bigread.s"
`

func TestThreeProcessesReadingBigFilesInTinyMemoryShareTheLockBudget(t *testing.T) {
	for _, layout := range []vm.SwapLayout{vm.SwapDynamic, vm.SwapStatic} {
		cfg := tinyConfig()
		cfg.MemBytes = 128 << 10 // 64K is all page tables for four processes
		cfg.PoolLow, cfg.PoolHigh = DefaultPool(32)
		cfg.Root, cfg.Swap, cfg.Quantum = "../programs", layout, 500
		out, errs, status, k := runProgram(t, threeBigReads, cfg)
		requireNoViolation(t, k, errs, layout.String())
		assert.Equal(t, 0, status, errs)
		assert.Equal(t, 3, strings.Count(out, "checksum 709846036\n"), out)
		assert.Equal(t, bootFree(cfg), k.Frames.FreeCount())
	}
}

func TestACallWithOtherArgumentsAbandonsTheTransferItFinds(t *testing.T) {
	k, p := newFileReader(t, "abcdef")
	s, err := k.openHostFile("out.txt", os.O_WRONLY|os.O_CREATE)
	require.NoError(t, err)
	fd, _ := k.filesOf(p).add(&openFile{path: "out.txt", store: s, mode: modeWrite})
	write := [6]uint32{fd, dataStart - 2, 4} // the end of the text, the start of the data
	_, done := sysWriteFile(k, p, write)
	require.False(t, done, "the text page must come from disk")
	require.True(t, k.idle())
	_, done = sysWriteFile(k, p, write)
	require.False(t, done, "and then the data page")
	require.Len(t, p.files.io.frames, 1, "the text page is locked meanwhile")
	locked := p.files.io.frames[0]
	require.True(t, k.idle())

	assert.Equal(t, int32(2), readNow(t, k, p, dataStart, 2, nil), "another call starts afresh")
	assert.Zero(t, k.Frames.Get(locked).Locks, "the abandoned transfer's frame is unlocked")
}
