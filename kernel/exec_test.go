package kernel

import (
	"encoding/binary"
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
