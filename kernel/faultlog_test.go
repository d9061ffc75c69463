package kernel

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"toyvm/isa"
)

func TestRecentFaultsSayHowEachFaultWasServed(t *testing.T) {
	src := `
start:  mov     val, r3
        mov     r3, @0x3000
        mov     #1, r0
        clr     r1
        sys
        .data
val:    .word   7
        .space  8192
`
	_, _, status, k := runProgram(t, src, testConfig())
	require.Equal(t, 0, status)
	var hows []string
	for _, r := range k.RecentFaults() {
		assert.Equal(t, 1, r.PID)
		hows = append(hows, r.How)
	}
	assert.Equal(t, []string{"kernel copy: zero-fill", "read from image:text", "read from image:data", "zero-fill"}, hows,
		"the kernel writes the arguments on a zeroed stack page; text and data come from the image,"+
			" the untouched page after them is zeros")
	assert.EqualValues(t, len(hows), k.Stats().PageFaults, "the log holds every fault counted")
	boot := k.RecentFaults()[0]
	assert.Equal(t, isa.Invalid, boot.Cause)
	assert.Equal(t, isa.Write, boot.Access)
	last := k.RecentFaults()[3]
	assert.Equal(t, isa.Write, last.Access)
	assert.Equal(t, uint32(0x3000), uint32(last.Addr))
}

func TestRecentFaultsKeepOnlyTheLastOnes(t *testing.T) {
	var l faultLog
	for i := range faultLogSize + 5 {
		l.add(FaultRecord{PID: i})
	}
	k := &Kernel{faultLog: l}
	recs := k.RecentFaults()
	require.Len(t, recs, faultLogSize)
	assert.Equal(t, 5, recs[0].PID, "the oldest five are gone")
	assert.Equal(t, faultLogSize+4, recs[faultLogSize-1].PID)
}

func TestAFaultThatKillsIsRecordedAsSuch(t *testing.T) {
	_, _, status, k := runProgram(t, "start: mov #1, @0\n", testConfig())
	require.Equal(t, StatusSegfault, status)
	recs := k.RecentFaults()
	assert.Contains(t, recs[len(recs)-1].How, "killed (INVALID fault (write, user mode) at 0x00000000)")
}
