package kernel

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"toyvm/kernel/vm"
)

func TestParseSizeReadsBytesAndBinaryUnits(t *testing.T) {
	for text, want := range map[string]uint64{
		"4096": 4096, "64K": 64 << 10, "64k": 64 << 10, "16M": 16 << 20, "1G": 1 << 30, "1T": 1 << 40,
		"4KB": 4 << 10, "4KiB": 4 << 10, " 2M ": 2 << 20, "0": 0,
	} {
		got, err := ParseSize(text)
		require.NoError(t, err, text)
		assert.Equal(t, want, got, text)
	}
}

func TestParseSizeRefusesAnythingElse(t *testing.T) {
	for _, text := range []string{"", "K", "lots", "-1", "1.5M", "0x1000", "16 M", "12P", "99999999999999999999", "8589934592G"} {
		_, err := ParseSize(text)
		require.Error(t, err, text)
		assert.Contains(t, err.Error(), "bad size", text)
	}
}

func TestSizeTextUsesTheLargestUnitThatDividesIt(t *testing.T) {
	for v, want := range map[uint64]string{
		0: "0", 100: "100", 4096: "4K", 64 << 10: "64K", 16 << 20: "16M", 1 << 30: "1G", 1<<20 + 4096: "1028K",
	} {
		assert.Equal(t, want, SizeText(v))
		if v != 0 {
			back, err := ParseSize(want)
			require.NoError(t, err)
			assert.Equal(t, v, back, "SizeText and ParseSize agree")
		}
	}
}

func TestParseTraceReadsAListOfCategories(t *testing.T) {
	set, err := ParseTrace("faults, SYSCALLS")
	require.NoError(t, err)
	assert.Equal(t, TraceFaults|TraceSyscalls, set)
	set, err = ParseTrace("")
	require.NoError(t, err)
	assert.Zero(t, set)
	set, err = ParseTrace("all")
	require.NoError(t, err)
	assert.Equal(t, ^TraceSet(0), set)
}

func TestParseTraceRefusesAnUnknownCategoryNamingTheKnownOnes(t *testing.T) {
	_, err := ParseTrace("faults,bogus")
	require.Error(t, err)
	assert.Equal(t, `unknown trace category "bogus" (known: all, daemon, disk, faults, sched, syscalls, tlb)`, err.Error())
	_, err = ParseTrace("faults,")
	assert.Error(t, err, "an empty name in a list")
}

func TestStatsTextListsEveryCounterInJSONOrder(t *testing.T) {
	var b strings.Builder
	Stats{Instructions: 3, PageFaults: 2}.WriteText(&b)
	assert.Contains(t, b.String(), "instructions       3\ncycles             0\npage_faults        2\n")
}

func TestATraceSetPrintsAsTheListItWasParsedFrom(t *testing.T) {
	set, err := ParseTrace("tlb,faults")
	require.NoError(t, err)
	assert.Equal(t, "faults,tlb", set.String())
	assert.Equal(t, "", TraceSet(0).String())
}

func TestASwapSlotPrintsItsNumberOrThatItHasNone(t *testing.T) {
	assert.Equal(t, "slot 7", vm.Slot(7).String())
	assert.Equal(t, "no slot", vm.NoSlot.String())
}
