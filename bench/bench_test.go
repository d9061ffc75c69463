package main

import (
	"bytes"
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// guestProgram is the benchmark's program, from this folder.
const guestProgram = "../programs/bench/sieve.s"

func TestTheSieveInToyvmPrintsItsExpectedOutputAsTheGoSieveDoes(t *testing.T) {
	want, err := os.ReadFile("../programs/bench/sieve.out")
	require.NoError(t, err)
	require.Equal(t, "148933\n148933\n148933\n", string(want))
	var native bytes.Buffer
	nativeSieve(&native)
	assert.Equal(t, string(want), native.String())
	guest, err := runGuest(guestProgram)
	require.NoError(t, err)
	assert.Equal(t, string(want), guest.out)
	assert.Greater(t, guest.instructions, uint64(100_000_000))
}

func TestCompareReportsMIPSAndTheRatio(t *testing.T) {
	var out bytes.Buffer
	require.NoError(t, compare(guestProgram, &out))
	assert.Contains(t, out.String(), " MIPS ")
	assert.Contains(t, out.String(), "toyvm/native: ")
	assert.Error(t, compare("nothere.s", &out))
}

// BenchmarkSieve runs programs/bench/sieve.s in toyvm, assembly and boot
// included, and reports the host time of one guest instruction.
func BenchmarkSieve(b *testing.B) {
	var insts uint64
	for b.Loop() {
		g, err := runGuest(guestProgram)
		if err != nil {
			b.Fatal(err)
		}
		insts += g.instructions
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(insts), "ns/inst")
}
