package kernel

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"toyvm/isa"
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
	return k, spawn(t, k, twoDataPages)
}

func TestCopyInPagesInANonPresentPage(t *testing.T) {
	k, p := newUserProcess(t)
	require.False(t, present(p, dataStart))
	got, err := k.copyIn(p, dataStart, 5)
	require.NoError(t, err)
	assert.Equal(t, "hello", string(got))
	assert.True(t, present(p, dataStart))
	assert.False(t, present(p, dataStart+isa.PageSize), "only the page the copy touched")
}

func TestCopyInAcrossTwoPagesPagesInBoth(t *testing.T) {
	k, p := newUserProcess(t)
	got, err := k.copyIn(p, dataStart+isa.PageSize-2, 4)
	require.NoError(t, err)
	assert.Equal(t, []byte{0, 0, 0, 0}, got)
	assert.True(t, present(p, dataStart))
	assert.True(t, present(p, dataStart+isa.PageSize))
}

func TestCopyInOfTextIsAllowed(t *testing.T) {
	k, p := newUserProcess(t)
	got, err := k.copyIn(p, isa.TextBase, 1)
	require.NoError(t, err)
	assert.Equal(t, []byte{byte(isa.MOV)}, got, "the first opcode of the program")
}

func TestCopyInOfZeroBytesSucceedsEvenAtAWildPointer(t *testing.T) {
	k, p := newUserProcess(t)
	got, err := k.copyIn(p, 0, 0)
	require.NoError(t, err)
	assert.Empty(t, got)
}

func TestCopyOutPagesInAndWritesAcrossAPageBoundary(t *testing.T) {
	k, p := newUserProcess(t)
	va := uint32(dataStart + isa.PageSize - 3)
	require.NoError(t, k.copyOut(p, va, []byte("abcdef")))
	got, err := k.copyIn(p, va, 6)
	require.NoError(t, err)
	assert.Equal(t, "abcdef", string(got))
	w := p.Space.PT.Lookup(dataStart)
	assert.True(t, w.PTE.Has(mmuAD()), "a kernel write marks the page accessed and dirty: %v", w.PTE)
}

func TestCopyOutIntoTheStackPagesItIn(t *testing.T) {
	k, p := newUserProcess(t)
	va := uint32(isa.StackTop - isa.StackMax) // the lowest stack page
	require.False(t, present(p, va))
	require.NoError(t, k.copyOut(p, va, []byte{1}))
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
			_, err := k.copyIn(p, c.va, c.n)
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
			err := k.copyOut(p, c.va, bytes.Repeat([]byte{0xEE}, int(c.n)))
			assert.ErrorIs(t, err, errFault)
			assert.Equal(t, free, k.Frames.FreeCount(), "nothing was paged in")
		})
	}
}

func TestCopyOutStraddlingTheEndOfDataLeavesTheLegalPartUntouched(t *testing.T) {
	k, p := newUserProcess(t)
	_, err := k.copyIn(p, dataEnd-4, 4) // bring the page in first
	require.NoError(t, err)
	err = k.copyOut(p, dataEnd-4, []byte("12345678"))
	assert.ErrorIs(t, err, errFault)
	got, err := k.copyIn(p, dataEnd-4, 4)
	require.NoError(t, err)
	assert.Equal(t, []byte{0, 0, 0, 0}, got, "not a byte written")
}

func TestCopyOutIntoTextIsAFaultAndWritesNothing(t *testing.T) {
	k, p := newUserProcess(t)
	before, err := k.copyIn(p, isa.TextBase, 4)
	require.NoError(t, err)
	assert.ErrorIs(t, k.copyOut(p, isa.TextBase, []byte{0, 0, 0, 0}), errFault)
	after, err := k.copyIn(p, isa.TextBase, 4)
	require.NoError(t, err)
	assert.Equal(t, before, after)
}

func TestCopyOutFromTextIntoDataIsAFaultAndWritesNothing(t *testing.T) {
	k, p := newUserProcess(t)
	assert.ErrorIs(t, k.copyOut(p, dataStart-1, []byte("ab")), errFault)
	assert.False(t, present(p, dataStart), "the data page was not even paged in")
}

func TestCopyInFromTextIntoDataIsAllowed(t *testing.T) {
	k, p := newUserProcess(t)
	got, err := k.copyIn(p, dataStart-1, 2)
	require.NoError(t, err)
	assert.Equal(t, byte('h'), got[1])
}

func TestCopyInWhenMemoryRunsOutReturnsOutOfMemory(t *testing.T) {
	k, p := newUserProcess(t)
	for {
		if _, ok := k.Frames.Alloc(FrameKernel, 0, 0); !ok {
			break
		}
	}
	_, err := k.copyIn(p, dataStart, 1)
	assert.ErrorIs(t, err, errOutOfMemory)
}
