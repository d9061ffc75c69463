package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"toyvm/kernel/ext"
)

// tracefaultsReport matches what tracefaults prints at exit.
var tracefaultsReport = regexp.MustCompile(`(?m)^tracefaults: faults by region\n(  pid .*\n)*`)

// TestSampleProgramsPrintTheSameUnderEveryExtension runs every program
// with each extension, in little memory (so that the extensions' pages
// are evicted too) and with the kernel's invariants checked after every
// handler: an extension changes how faults are served, never what a
// program does.
func TestSampleProgramsPrintTheSameUnderEveryExtension(t *testing.T) {
	for _, prog := range samplePrograms(t) {
		want := expected(t, prog)
		mem := "64K"
		if filepath.Base(prog) == "fourteen.s" {
			mem = "128K" // by design it cannot run in 64K: see vm_test.go
		}
		for _, name := range append(ext.Names(), strings.Join(ext.Names(), ",")) {
			t.Run(filepath.Base(prog)+" "+name, func(t *testing.T) {
				got := toyvm(t, "run", "--check", "--mem", mem, "--ext", name, prog)
				got.stderr = tracefaultsReport.ReplaceAllString(got.stderr, "")
				assert.Equal(t, want, got)
			})
		}
	}
}

// statsOf runs args with --stats-json and returns the counters.
func statsOf(t *testing.T, args ...string) map[string]uint64 {
	t.Helper()
	file := filepath.Join(t.TempDir(), "stats.json")
	got := toyvm(t, append([]string{"run", "--stats-json", file}, args...)...)
	require.Equal(t, 0, got.status, got.stderr)
	b, err := os.ReadFile(file)
	require.NoError(t, err)
	var counters map[string]uint64
	require.NoError(t, json.Unmarshal(b, &counters))
	return counters
}

func TestPrefetchReadsEightPagesInOneRequestAndTheOthersAreHits(t *testing.T) {
	t.Chdir("../..")
	plain := statsOf(t, "programs/mapsum.s")
	fetched := statsOf(t, "--ext", "prefetch", "programs/mapsum.s")
	assert.Equal(t, uint64(64), plain["file_page_ins"], "one read per page of the file")
	assert.Equal(t, uint64(8), fetched["file_page_ins"], "one read per 8 pages")
	assert.Equal(t, uint64(56), fetched["read_ahead"])
	assert.Equal(t, uint64(56), fetched["prefetch_hits"], "every page read ahead is used")
	assert.Equal(t, plain["page_faults"], fetched["page_faults"], "as many faults, most of them minor")
	assert.Less(t, fetched["cycles"]*3, plain["cycles"], "8 disk latencies instead of 64")
}

func TestZeropoolServesDemandZeroFaultsWithFramesZeroedWhileIdle(t *testing.T) {
	t.Chdir("../..")
	s := statsOf(t, "--mem", "64K", "--ext", "zeropool", "programs/linear.s")
	assert.Positive(t, s["zeroed_ahead"])
	assert.Positive(t, s["extension_served"])
	assert.LessOrEqual(t, s["extension_served"], s["zeroed_ahead"], "each fault it serves takes a frame it zeroed")
}

func TestTracefaultsPrintsTheFaultsOfEachRegionAtExit(t *testing.T) {
	t.Chdir("../..")
	got := toyvm(t, "run", "--ext", "tracefaults", "programs/mapsum.s")
	require.Equal(t, 0, got.status)
	assert.Equal(t, "tracefaults: faults by region\n  pid 1    mmap   64\n  pid 1    text   1\n", got.stderr)
}

func TestTraceFaultsNamesTheExtensionThatServedEachFault(t *testing.T) {
	t.Chdir("../..")
	got := toyvm(t, "run", "--ext", "prefetch", "--trace", "faults", "programs/mapsum.s")
	require.Equal(t, 0, got.status)
	lines := strings.Split(got.stderr, "\n")
	assert.Contains(t, lines, "[     40057] faults   pid 1: read 0x40000000 and 7 pages ahead from programs/files/numbers.dat@0x0 (disk tag 3)")
	assert.Contains(t, lines, "[     40057] faults   pid 1: prefetch: read 0x40000000 from programs/files/numbers.dat into frame 0x8")
	assert.Contains(t, lines, "[     63150] faults   pid 1: read ahead 0x40001000 into frame 0x9")
}

func TestExtHelpListsEveryExtensionWithoutAProgram(t *testing.T) {
	got := toyvm(t, "run", "--ext", "help")
	assert.Equal(t, 0, got.status)
	assert.Equal(t, ext.Help(), got.stdout)
	for _, name := range ext.Names() {
		assert.Contains(t, got.stdout, name+" ")
	}
}

func TestAnUnknownOrRepeatedExtensionIsAnErrorOfUse(t *testing.T) {
	t.Chdir("../..")
	got := toyvm(t, "run", "--ext", "prefetch,turbo", "programs/hello.s")
	assert.Equal(t, result{status: 2, stderr: "toyvm: --ext: unknown extension \"turbo\" (known: prefetch, zeropool, tracefaults; --ext help describes them)\n"}, got)
	got = toyvm(t, "run", "--ext", "prefetch,prefetch", "programs/hello.s")
	assert.Equal(t, result{status: 2, stderr: "toyvm: --ext: extension \"prefetch\" is named twice\n"}, got)
}
