package kernel

import (
	"bytes"
	"encoding/binary"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"toyvm/isa"
	"toyvm/kernel/vm"
)

// twoDataPages has one page of text at 0x1000 and two pages of data at
// 0x2000-0x4000 that start with "hello"; nothing of it is in memory until
// it is touched.
const twoDataPages = exitProgram + `
        .data
hello:  .ascii  "hello"
        .space  8192 - 5
`

const dataStart, dataEnd = 0x2000, 0x4000

// newUserProcess spawns twoDataPages without running it.
func newUserProcess(t *testing.T) (*Kernel, *Process) {
	t.Helper()
	k, _, _ := newKernel(t, testConfig())
	p := spawn(t, k, twoDataPages)
	inSyscall(k)
	return k, p
}

// copyInNow is copyIn as a system call sees it across its restarts:
// while the copy waits for a page from disk, the disk runs (the kernel's
// idle loop) and the copy is tried again.
func copyInNow(t *testing.T, k *Kernel, p *Process, va, n uint32) ([]byte, error) {
	t.Helper()
	for range 100 {
		data, err := k.copyIn(p, va, n)
		if err != errBlocked {
			return data, err
		}
		require.True(t, k.idle(), "a page transfer is pending")
	}
	t.Fatal("the copy never finished")
	return nil, nil
}

// copyOutNow is copyOut as copyInNow is copyIn.
func copyOutNow(t *testing.T, k *Kernel, p *Process, va uint32, data []byte) error {
	t.Helper()
	for range 100 {
		if err := k.copyOut(p, va, data); err != errBlocked {
			return err
		}
		require.True(t, k.idle(), "a page transfer is pending")
	}
	t.Fatal("the copy never finished")
	return nil
}

func TestCopyInThatNeedsTheDiskMakesTheProcessWait(t *testing.T) {
	k, p := newUserProcess(t)
	_, err := k.copyIn(p, dataStart, 5)
	assert.ErrorIs(t, err, errBlocked)
	assert.Equal(t, Blocked, p.State)
	assert.Equal(t, "page in from disk", p.WaitingFor)
	require.True(t, k.idle())
	assert.Equal(t, Runnable, p.State, "the disk's interrupt woke it")
	assert.True(t, present(p, dataStart), "and mapped the page")
}

func TestCopyInPagesInANonPresentPage(t *testing.T) {
	k, p := newUserProcess(t)
	require.False(t, present(p, dataStart))
	got, err := copyInNow(t, k, p, dataStart, 5)
	require.NoError(t, err)
	assert.Equal(t, "hello", string(got))
	assert.True(t, present(p, dataStart))
	assert.False(t, present(p, dataStart+isa.PageSize), "only the page the copy touched")
}

func TestCopyInAcrossTwoPagesPagesInBoth(t *testing.T) {
	k, p := newUserProcess(t)
	got, err := copyInNow(t, k, p, dataStart+isa.PageSize-2, 4)
	require.NoError(t, err)
	assert.Equal(t, []byte{0, 0, 0, 0}, got)
	assert.True(t, present(p, dataStart))
	assert.True(t, present(p, dataStart+isa.PageSize))
}

func TestCopyInOfTextIsAllowed(t *testing.T) {
	k, p := newUserProcess(t)
	got, err := copyInNow(t, k, p, isa.TextBase, 1)
	require.NoError(t, err)
	assert.Equal(t, []byte{byte(isa.MOV)}, got, "the first opcode of the program")
}

func TestCopyInOfZeroBytesSucceedsEvenAtAWildPointer(t *testing.T) {
	k, p := newUserProcess(t)
	got, err := copyInNow(t, k, p, 0, 0)
	require.NoError(t, err)
	assert.Empty(t, got)
}

func TestCopyOutPagesInAndWritesAcrossAPageBoundary(t *testing.T) {
	k, p := newUserProcess(t)
	va := uint32(dataStart + isa.PageSize - 3)
	require.NoError(t, copyOutNow(t, k, p, va, []byte("abcdef")))
	got, err := copyInNow(t, k, p, va, 6)
	require.NoError(t, err)
	assert.Equal(t, "abcdef", string(got))
	w := p.Space.PT.Lookup(dataStart)
	assert.True(t, w.PTE.Has(mmuAD()), "a kernel write marks the page accessed and dirty: %v", w.PTE)
}

func TestCopyOutIntoTheStackPagesItIn(t *testing.T) {
	k, p := newUserProcess(t)
	va := uint32(isa.StackTop - isa.StackMax) // the lowest stack page
	require.False(t, present(p, va))
	require.NoError(t, copyOutNow(t, k, p, va, []byte{1}))
	assert.True(t, present(p, va))
}

// faultCases are user ranges that the kernel refuses with errFault.
var faultCases = []struct {
	name string
	va   uint32
	n    uint32
}{
	{"null pointer", 0, 1},
	{"straddling the end of data", dataEnd - 4, 8},
	{"just past the end of data", dataEnd, 1},
	{"below the stack", isa.StackTop - isa.StackMax - 1, 1},
	{"at 0x80000000", isa.StackTop, 1},
	{"ending at 0x80000000", isa.StackTop - 4, 5},
	{"far above", 0xFFFFFF00, 16},
	{"wrapping around 2^32", 0xFFFFFFF0, 0x20},
	{"wrapping from data", dataStart, 0xFFFFFFFF},
}

func TestCopyInOutsideTheRegionsIsAFault(t *testing.T) {
	for _, c := range faultCases {
		t.Run(c.name, func(t *testing.T) {
			k, p := newUserProcess(t)
			free := k.Frames.FreeCount()
			_, err := copyInNow(t, k, p, c.va, c.n)
			assert.ErrorIs(t, err, errFault)
			assert.Equal(t, free, k.Frames.FreeCount(), "nothing was paged in")
		})
	}
}

func TestCopyOutOutsideTheRegionsIsAFaultAndWritesNothing(t *testing.T) {
	for _, c := range faultCases {
		if c.n > 64 {
			continue // copyOut takes a buffer; the range checks are the same
		}
		t.Run(c.name, func(t *testing.T) {
			k, p := newUserProcess(t)
			free := k.Frames.FreeCount()
			err := copyOutNow(t, k, p, c.va, bytes.Repeat([]byte{0xEE}, int(c.n)))
			assert.ErrorIs(t, err, errFault)
			assert.Equal(t, free, k.Frames.FreeCount(), "nothing was paged in")
		})
	}
}

func TestCopyOutStraddlingTheEndOfDataLeavesTheLegalPartUntouched(t *testing.T) {
	k, p := newUserProcess(t)
	_, err := copyInNow(t, k, p, dataEnd-4, 4) // bring the page in first
	require.NoError(t, err)
	err = copyOutNow(t, k, p, dataEnd-4, []byte("12345678"))
	assert.ErrorIs(t, err, errFault)
	got, err := copyInNow(t, k, p, dataEnd-4, 4)
	require.NoError(t, err)
	assert.Equal(t, []byte{0, 0, 0, 0}, got, "not a byte written")
}

func TestCopyOutIntoTextIsAFaultAndWritesNothing(t *testing.T) {
	k, p := newUserProcess(t)
	before, err := copyInNow(t, k, p, isa.TextBase, 4)
	require.NoError(t, err)
	assert.ErrorIs(t, copyOutNow(t, k, p, isa.TextBase, []byte{0, 0, 0, 0}), errFault)
	after, err := copyInNow(t, k, p, isa.TextBase, 4)
	require.NoError(t, err)
	assert.Equal(t, before, after)
}

func TestCopyOutFromTextIntoDataIsAFaultAndWritesNothing(t *testing.T) {
	k, p := newUserProcess(t)
	assert.ErrorIs(t, copyOutNow(t, k, p, dataStart-1, []byte("ab")), errFault)
	assert.False(t, present(p, dataStart), "the data page was not even paged in")
}

func TestCopyInFromTextIntoDataIsAllowed(t *testing.T) {
	k, p := newUserProcess(t)
	got, err := copyInNow(t, k, p, dataStart-1, 2)
	require.NoError(t, err)
	assert.Equal(t, byte('h'), got[1])
}

func TestCopyInWhenMemoryRunsOutReturnsOutOfMemory(t *testing.T) {
	k, p := newUserProcess(t)
	for {
		if _, ok := k.Frames.Alloc(vm.FrameKernel, 0); !ok {
			break
		}
	}
	_, err := copyInNow(t, k, p, dataStart, 1)
	assert.ErrorIs(t, err, vm.ErrOutOfMemory)
}

func TestAPathLongerThanTheKernelTakesIsEINVAL(t *testing.T) {
	k, p := newUserProcess(t)
	require.NoError(t, copyOutNow(t, k, p, dataStart, bytes.Repeat([]byte("a"), MaxPath)))
	res, done := sysOpen(k, p, [6]uint32{dataStart, 0})
	assert.True(t, done)
	assert.Equal(t, int32(EINVAL), res)
}

func TestMoreArgumentsThanSpawnTakesIsEINVAL(t *testing.T) {
	k, p := newUserProcess(t)
	argv := make([]byte, 4*(MaxArgs+1)+4) // MaxArgs+1 pointers to "x", then 0
	str := uint32(dataStart + len(argv))
	for i := range MaxArgs + 1 {
		binary.LittleEndian.PutUint32(argv[4*i:], str)
	}
	require.NoError(t, copyOutNow(t, k, p, dataStart, append(argv, 'x', 0)))
	require.NoError(t, copyOutNow(t, k, p, dataStart+isa.PageSize, []byte("p.s\x00")))
	res, done := sysSpawn(k, p, [6]uint32{dataStart + isa.PageSize, dataStart})
	assert.True(t, done)
	assert.Equal(t, int32(EINVAL), res)
}
