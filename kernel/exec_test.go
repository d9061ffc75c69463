package kernel

import (
	"encoding/binary"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"toyvm/isa"
	"toyvm/kernel/vm"
)

// readString reads the NUL-terminated string at va through p's page table.
func readString(t *testing.T, k *Kernel, p *Process, va uint32) string {
	t.Helper()
	var s []byte
	for {
		b, err := k.copyIn(p, va, 1)
		require.NoError(t, err, "string at %#x", va)
		if b[0] == 0 {
			return string(s)
		}
		s, va = append(s, b[0]), va+1
	}
}

// readWord reads the word at va through p's page table.
func readWord(t *testing.T, k *Kernel, p *Process, va uint32) uint32 {
	t.Helper()
	b, err := k.copyIn(p, va, 4)
	require.NoError(t, err)
	return binary.LittleEndian.Uint32(b)
}

func TestSpawnPassesArgcInR1AndArgvInR2WithSpJustBelow(t *testing.T) {
	k, _, _ := newKernel(t, testConfig())
	p := spawn(t, k, exitProgram, "one", "", "three")
	argc, argv, sp := p.Ctx.R[1], p.Ctx.R[2], p.Ctx.R[isa.SP]
	assert.Equal(t, uint32(4), argc)
	assert.Equal(t, argv, sp, "sp points at argv[0]: the stack below is free")
	assert.Zero(t, argv%4, "argv is word aligned")
	assert.Less(t, argv, uint32(isa.StackTop))
	assert.Greater(t, argv, uint32(isa.StackTop-isa.PageSize), "it all fits the top page")
	var got []string
	for i := uint32(0); i < argc; i++ {
		got = append(got, readString(t, k, p, readWord(t, k, p, argv+4*i)))
	}
	assert.Equal(t, []string{"test.s", "one", "", "three"}, got)
	assert.Zero(t, readWord(t, k, p, argv+4*argc), "argv[argc] is 0")
}

func TestSpawnPutsTheStringsAtTheTopOfTheStackAboveArgv(t *testing.T) {
	k, _, _ := newKernel(t, testConfig())
	p := spawn(t, k, exitProgram, "ab")
	argv := p.Ctx.R[2]
	first, last := readWord(t, k, p, argv), readWord(t, k, p, argv+4)
	assert.Equal(t, uint32(isa.StackTop-3), last, `"ab\0" ends at the top of the stack`)
	assert.Equal(t, uint32(isa.StackTop-3-7), first, `"test.s\0" below it`)
	assert.GreaterOrEqual(t, first, argv+4*3, "the strings lie above the array")
}

func TestSpawnStartsAtTheLabelStart(t *testing.T) {
	src := `
helper: ret
start:  mov     #1, r0
        clr     r1
        sys
`
	k, _, _ := newKernel(t, testConfig())
	img := assemble(t, src)
	p, err := k.Spawn(img, []string{"test.s"})
	require.NoError(t, err)
	assert.Equal(t, symbol(t, img, "start"), p.Ctx.PC)
	assert.Equal(t, uint32(isa.TextBase+1), p.Ctx.PC)
	assert.True(t, p.Ctx.PSW.User(), "in user mode")
}

func TestSpawnWithoutStartBeginsAtTheFirstByteOfText(t *testing.T) {
	k, _, _ := newKernel(t, testConfig())
	p := spawn(t, k, "        mov #1, r0\n        clr r1\n        sys\n")
	assert.Equal(t, uint32(isa.TextBase), p.Ctx.PC)
}

func TestSpawnLoadsNothingButTheArgumentPage(t *testing.T) {
	k, _, _ := newKernel(t, testConfig())
	p := spawn(t, k, twoDataPages, "x")
	assert.False(t, present(p, isa.TextBase))
	assert.False(t, present(p, dataStart))
	assert.True(t, present(p, isa.StackTop-isa.PageSize), "argv was written there")
	assert.Equal(t, []string{"text", "data", "stack", "heap"}, regionNames(p))
}

func TestSpawnGivesTextReadOnlyAndDataAndStackReadWrite(t *testing.T) {
	k, _, _ := newKernel(t, testConfig())
	p := spawn(t, k, twoDataPages)
	prots := map[string]vm.Prot{}
	for _, r := range p.Space.Regions {
		prots[r.Name] = r.Prot
	}
	assert.Equal(t, vm.ProtRead, prots["text"])
	assert.Equal(t, vm.ProtRead|vm.ProtWrite, prots["data"])
	assert.Equal(t, vm.ProtRead|vm.ProtWrite, prots["stack"])
	stack := p.Space.Region(isa.StackTop - 1)
	assert.Equal(t, uint32(isa.StackTop-isa.PageSize), uint32(stack.Start), "one page of stack at first")
	assert.Equal(t, uint32(isa.StackTop-isa.StackMax), uint32(stack.Floor), "able to grow to 1 MiB")
}

func TestSpawnGivesEachProcessTheNextPID(t *testing.T) {
	k, _, _ := newKernel(t, testConfig())
	assert.Equal(t, 1, spawn(t, k, exitProgram).PID)
	assert.Equal(t, 2, spawn(t, k, exitProgram).PID)
	assert.Equal(t, uint64(2), k.Stats().Processes)
}

func TestSpawnWithArgumentsLargerThanTheStackFailsAndFreesEverything(t *testing.T) {
	cfg := testConfig()
	cfg.MemBytes = 4 << 20
	k, _, _ := newKernel(t, cfg)
	free := k.Frames.FreeCount()
	huge := string(make([]byte, isa.StackMax))
	_, err := k.Spawn(assemble(t, exitProgram), []string{"test.s", huge})
	require.Error(t, err)
	assert.Equal(t, "the arguments do not fit the stack (1M)", err.Error())
	assert.Equal(t, free, k.Frames.FreeCount())
}

func TestSpawnWhenMemoryRunsOutFailsAndFreesEverything(t *testing.T) {
	k, _, _ := newKernel(t, testConfig())
	img := assemble(t, exitProgram)
	for k.Frames.FreeCount() > 2 { // a directory and the stack's table: no page for argv
		k.Frames.Alloc(vm.FrameKernel, 0)
	}
	_, err := k.Spawn(img, []string{"test.s"})
	assert.ErrorIs(t, err, vm.ErrOutOfMemory)
	assert.Equal(t, 2, k.Frames.FreeCount())
}

func TestProgramReadsItsArgumentsThroughArgv(t *testing.T) {
	src := `
start:  mov     4(r2), r2       ; argv[1]
        mov     #2, r0
        mov     #1, r1
        mov     #5, r3
        sys
        mov     #1, r0
        clr     r1
        sys
`
	k, out, _ := newKernel(t, testConfig())
	status, err := k.Run(assemble(t, src), []string{"test.s", "hello"})
	require.NoError(t, err)
	assert.Equal(t, 0, status)
	assert.Equal(t, "hello", out.String())
}

func regionNames(p *Process) []string {
	var names []string
	for _, r := range p.Space.Regions {
		names = append(names, r.Name)
	}
	return names
}

// execer opens "note.txt", execs "b.s" with the arguments "x" and "yz",
// and, if exec returns, exits with 100 + its error's number.
const execer = `
start:  mov     #4, r0          ; open("note.txt", 0): fd 3
        mov     #note, r1
        clr     r2
        sys
        mov     #9, r0          ; exec("b.s", argv)
        mov     #prog, r1
        mov     #argv, r2
        sys
        neg     r0
        mov     r0, r1
        add     #100, r1
        mov     #1, r0
        sys
        .data
note:   .asciz  "note.txt"
prog:   .asciz  "b.s"
x:      .asciz  "x"
yz:     .asciz  "yz"
        .align  4
argv:   .word   x, yz, 0
`

// execee reads 5 bytes from fd 3 (open across the exec) and writes them,
// then exits with argc*10 + the length of argv[2].
const execee = `
start:  mov     r1, r6          ; argc
        mov     r2, r7          ; argv
        mov     #3, r0
        mov     #3, r1
        mov     #buf, r2
        mov     #5, r3
        sys
        mov     #2, r0
        mov     #1, r1
        mov     #buf, r2
        mov     #5, r3
        sys
        mul     #10, r6
        mov     8(r7), r1       ; argv[2]
        clr     r2
len:    cmpb    (r1)+, #0
        beq     done
        inc     r2
        br      len
done:   add     r2, r6
        mov     r6, r1
        mov     #1, r0
        sys
        .data
buf:    .space  8
`

func TestExecReplacesTheImageKeepingThePidAndTheOpenFiles(t *testing.T) {
	cfg, dir := fileConfig(t)
	cfg.Check = true
	putFile(t, dir, "note.txt", "hello")
	putFile(t, dir, "b.s", execee)
	out, errs, status, k := runProgram(t, execer, cfg)
	assert.Empty(t, errs)
	assert.Equal(t, "hello", out)
	assert.Equal(t, 32, status, "argc 3 (b.s, x, yz) and argv[2] = yz")
	assert.Equal(t, uint64(1), k.Stats().Execs)
	assert.Equal(t, uint64(1), k.Stats().Processes, "the same process")
	require.NoError(t, k.Leaks())
}

func TestAFailingExecLeavesTheProcessAsItWasAndReturnsTheError(t *testing.T) {
	for name, c := range map[string]struct {
		setup func(dir string)
		want  int
	}{
		"missing file":   {func(string) {}, 100 - ENOENT},
		"assembly error": {func(dir string) { putFile(t, dir, "b.s", "start: frob r1\n") }, 100 - EINVAL},
		"bad image":      {func(dir string) { putFile(t, dir, "b.s.img", "nope") }, 100 - EINVAL},
	} {
		cfg, dir := fileConfig(t)
		putFile(t, dir, "note.txt", "hello")
		c.setup(dir)
		src := execer
		if name == "bad image" {
			src = strings.Replace(src, `.asciz  "b.s"`, `.asciz  "b.s.img"`, 1)
		}
		_, errs, status, _ := runProgram(t, src, cfg)
		assert.Empty(t, errs, name)
		assert.Equal(t, c.want, status, name)
	}
}

func TestExecWithArgumentsInUnmappedMemoryReturnsEFAULT(t *testing.T) {
	cfg, dir := fileConfig(t)
	putFile(t, dir, "note.txt", "hello")
	putFile(t, dir, "b.s", execee)
	for _, bad := range []string{"#0x30000000", "#0x80000000"} {
		src := strings.Replace(execer, "mov     #argv, r2", "mov     "+bad+", r2", 1)
		_, _, status, _ := runProgram(t, src, cfg)
		assert.Equal(t, 100-EFAULT, status, bad)
		src = strings.Replace(execer, "mov     #prog, r1", "mov     "+bad+", r1", 1)
		_, _, status, _ = runProgram(t, src, cfg)
		assert.Equal(t, 100-EFAULT, status, bad)
	}
}

func TestAForkedChildCanExecAndItsParentKeepsItsPages(t *testing.T) {
	src := `
start:  mov     #77, word       ; a page the child shares until it execs
        mov     #8, r0
        sys
        tst     r0
        beq     child
        mov     r0, r1
        mov     #7, r0          ; wait for the child
        sys
        add     word, r1        ; its status (32) + 77
        mov     #1, r0
        sys
child:  mov     #4, r0
        mov     #note, r1
        clr     r2
        sys
        mov     #9, r0
        mov     #prog, r1
        mov     #argv, r2
        sys
        mov     #1, r0
        mov     #1, r1
        sys
        .data
word:   .word   0
note:   .asciz  "note.txt"
prog:   .asciz  "b.s"
x:      .asciz  "x"
yz:     .asciz  "yz"
        .align  4
argv:   .word   x, yz, 0
`
	cfg, dir := fileConfig(t)
	cfg.Check, cfg.MemBytes = true, 128<<10
	cfg.PoolLow, cfg.PoolHigh = DefaultPool(32)
	putFile(t, dir, "note.txt", "hello")
	putFile(t, dir, "b.s", execee)
	out, errs, status, k := runProgram(t, src, cfg)
	assert.Empty(t, errs)
	assert.Equal(t, "hello", out)
	assert.Equal(t, 32+77, status)
	require.NoError(t, k.Leaks())
}

// dirtyThen dirties 64 pages (four times 64K of memory), then runs call,
// whose result is its exit status; the parent of a fork waits for its
// child and exits with the child's status.
func dirtyThen(call string) string {
	return `
start:  mov     #area, r2
        mov     #65536, r3
fill:   mov     r3, (r2)+
        dec     r3
        bne     fill
` + call + `
        mov     r0, r1
        mov     #1, r0
        sys
        .data
prog:   .asciz  "b.s"
        .align  4
argv:   .word   0
area:   .space  262144
`
}

func TestExecAndSpawnWaitForAFrameWhileWriteBacksAreInFlight(t *testing.T) {
	calls := map[string]string{
		"exec after fork": `
        mov     #8, r0
        sys
        tst     r0
        beq     child
        mov     #7, r0
        mov     #-1, r1
        sys
        mov     r1, r0
        br      out
child:  mov     #9, r0
        mov     #prog, r1
        mov     #argv, r2
        sys
out:`,
		"spawn": `
        mov     #6, r0
        mov     #prog, r1
        mov     #argv, r2
        sys
        mov     #7, r0
        mov     #-1, r1
        sys
        mov     r1, r0`,
	}
	for name, call := range calls {
		t.Run(name, func(t *testing.T) {
			cfg, dir := fileConfig(t)
			cfg.MemBytes, cfg.Check = 64<<10, true
			cfg.PoolLow, cfg.PoolHigh = DefaultPool(16)
			putFile(t, dir, "b.s", "start: mov #1, r0\n mov #5, r1\n sys\n")
			_, errs, status, k := runProgram(t, dirtyThen(call), cfg)
			assert.Equal(t, 5, status, "b.s ran, rather than ENOMEM: %s", errs)
			assert.NoError(t, k.Leaks())
		})
	}
}
