package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The programs that serve page faults in user mode: a library OS in the
// faulting process (programs/libos/), and user-level pagers, processes
// that serve the pages of a memory object to others (programs/pager/).
// TestSampleProgramsPrintTheirExpectedOutput globs programs/*.s only, so
// these have their own tests here, with mapsum.s, which prints the same
// two lines whoever serves its faults.

// mapsumOutput is what mapsum.s prints, whoever serves its faults.
const mapsumOutput = "sum of the words: 2064384\npages: 64\n"

// faulterVariants are the machines every program here must agree on:
// the defaults, the MMU's help done by the kernel, a small ASID-tagged
// TLB with the kernel's invariants checked, and memory so small (16
// frames) that pages are evicted and library OSes asked for frames back.
var faulterVariants = [][]string{
	{},
	{"--tlb-refill", "sw", "--dirty", "sw"},
	{"--asid", "--tlb", "4", "--check"},
	{"--check", "--mem", "64K"},
}

// faulterPrograms changes to the repository's root and returns the
// programs of programs/libos/ (but the library itself, libos.s) and of
// programs/pager/.
func faulterPrograms(t *testing.T) []string {
	t.Chdir("../..")
	libos, err := filepath.Glob("programs/libos/*.s")
	require.NoError(t, err)
	pagers, err := filepath.Glob("programs/pager/*.s")
	require.NoError(t, err)
	library := func(p string) bool { return filepath.Base(p) == "libos.s" || filepath.Base(p) == "pager.s" }
	progs := slices.DeleteFunc(append(libos, pagers...), library) // libraries the others include
	require.NotEmpty(t, progs)
	return progs
}

// runArgs returns the command line that runs prog on the machine
// variant v. A pager runs with programs/ as its root: its client,
// mapsum.s, and its file, files/numbers.dat, are there, above its own
// folder, which no path may climb out of.
func runArgs(prog string, v []string) []string {
	args := append([]string{"run"}, v...)
	if filepath.Base(filepath.Dir(prog)) == "pager" {
		args = append(args, "--root", "programs")
	}
	return append(args, prog)
}

// TestLibOSAndPagerProgramsPrintTheirExpectedOutput runs every program of
// programs/libos/ and programs/pager/ on every machine variant and
// compares its output, errors and exit status with the files beside it
// (-update rewrites them from the run on the defaults).
func TestLibOSAndPagerProgramsPrintTheirExpectedOutput(t *testing.T) {
	for _, prog := range faulterPrograms(t) {
		want := expected(t, prog)
		for _, v := range faulterVariants {
			t.Run(strings.TrimPrefix(prog, "programs/")+" "+strings.Join(v, " "), func(t *testing.T) {
				got := toyvm(t, runArgs(prog, v)...)
				if *update {
					if len(v) == 0 {
						writeExpected(t, prog, got)
					}
					return
				}
				assert.Equal(t, want, got)
			})
		}
	}
}

// runStats runs args with --stats-json and returns the run's result and
// its counters.
func runStats(t *testing.T, args ...string) (result, map[string]uint64) {
	t.Helper()
	file := filepath.Join(t.TempDir(), "stats.json")
	got := toyvm(t, append([]string{"run", "--stats-json", file}, args...)...)
	b, err := os.ReadFile(file)
	require.NoError(t, err, got.stderr)
	var counters map[string]uint64
	require.NoError(t, json.Unmarshal(b, &counters))
	return got, counters
}

// TestTheSameProgramPrintsTheSameUnderEveryFaultHandler runs mapsum.s's
// 64 pages served by each handler toyvm has: the kernel's VM system, a
// SPIN-style extension in the kernel, a library OS in the process, and a
// pager process, computing the pages or serving them from a file. Each
// prints the same two lines, on the defaults and on 16 frames of memory;
// the counters show which handler served the faults.
func TestTheSameProgramPrintsTheSameUnderEveryFaultHandler(t *testing.T) {
	t.Chdir("../..")
	handlers := []struct {
		name   string
		args   []string
		served func(t *testing.T, s map[string]uint64)
	}{
		{"the VM system", []string{"programs/mapsum.s"}, func(t *testing.T, s map[string]uint64) {
			assert.Equal(t, uint64(64), s["file_page_ins"], "one read of the file for each page")
			assert.Zero(t, s["upcalls"]+s["pager_requests"]+s["read_ahead"])
		}},
		{"the prefetch extension", []string{"--ext", "prefetch", "programs/mapsum.s"}, func(t *testing.T, s map[string]uint64) {
			assert.Positive(t, s["read_ahead"])
			assert.Positive(t, s["prefetch_hits"])
			assert.Less(t, s["file_page_ins"], uint64(64), "pages read ahead in one request")
		}},
		{"its own library OS", []string{"programs/mapsum.s", "-libos"}, func(t *testing.T, s map[string]uint64) {
			assert.GreaterOrEqual(t, s["upcalls"], uint64(64), "each page upcalled at least once")
			assert.GreaterOrEqual(t, s["frames_granted"], uint64(64))
			assert.GreaterOrEqual(t, s["installs"], uint64(64))
			assert.Zero(t, s["file_page_ins"]+s["pager_requests"], "computed pages: no file, no pager")
		}},
		{"a pager computing the pages", []string{"--root", "programs", "programs/pager/numpager.s"}, func(t *testing.T, s map[string]uint64) {
			assert.Equal(t, uint64(64), s["pager_faults"], "one request for each page")
			assert.Equal(t, uint64(64), s["pager_requests"], "page-ins only: mapsum.s writes nothing")
			assert.Equal(t, uint64(64), s["pager_supplies"])
			assert.Equal(t, uint64(1), s["execs"], "the client runs mapsum.s -fd N")
			assert.Zero(t, s["file_page_ins"]+s["upcalls"])
		}},
		{"a pager serving a file", []string{"--root", "programs", "programs/pager/filepager.s"}, func(t *testing.T, s map[string]uint64) {
			assert.Equal(t, uint64(64), s["pager_faults"], "one request for each page")
			assert.Equal(t, uint64(64), s["pager_supplies"])
			assert.Zero(t, s["file_page_ins"], "the pager read the file: the kernel maps none of it")
		}},
	}
	for _, h := range handlers {
		for _, v := range [][]string{{}, {"--check", "--mem", "64K"}} {
			t.Run(h.name+" "+strings.Join(v, " "), func(t *testing.T) {
				got, s := runStats(t, append(slices.Clone(v), h.args...)...)
				assert.Equal(t, result{0, mapsumOutput, ""}, got)
				h.served(t, s)
			})
		}
	}
}

// TestTheLibraryOSReusesItsFramesAndGivesThemBackWhenMemoryIsShort runs
// zero.s on 16 frames: the process may hold only half of them, so the
// library OS frees its oldest frame for each new page (FIFO: each of the
// three passes faults on every page again), and the paging daemon asks
// it for frames back. On the defaults, neither happens.
func TestTheLibraryOSReusesItsFramesAndGivesThemBackWhenMemoryIsShort(t *testing.T) {
	t.Chdir("../..")
	got, big := runStats(t, "programs/libos/zero.s")
	require.Equal(t, 0, got.status, got.stderr)
	assert.Equal(t, uint64(64), big["upcalls"], "one upcall for each of the 64 pages")
	assert.Equal(t, uint64(64), big["frames_granted"])
	assert.Zero(t, big["revoke_requests"])

	got, small := runStats(t, "--check", "--mem", "64K", "programs/libos/zero.s")
	require.Equal(t, 0, got.status, got.stderr)
	assert.GreaterOrEqual(t, small["upcalls"], uint64(3*64), "FIFO replacement: every page faults again on each pass")
	assert.GreaterOrEqual(t, small["frames_granted"], uint64(3*64), "a frame freed, then one granted, for each page")
	assert.Positive(t, small["revoke_requests"], "the daemon asked for frames back")
	assert.Equal(t, small["revoke_requests"], small["frames_given_back"], "and got each in time from libos.s,")
	assert.Zero(t, small["frames_revoked"], "which answers every request: none is taken by force")
}

// TestAPagerKeepsWhatItsClientWrote runs scribble.s, whose client writes
// every word of the pager's object, on 16 frames: the dirty pages are
// evicted, sent to the pager (page-outs), and supplied back by it with
// what was written.
func TestAPagerKeepsWhatItsClientWrote(t *testing.T) {
	t.Chdir("../..")
	got, s := runStats(t, "--check", "--mem", "64K", "programs/pager/scribble.s")
	assert.Equal(t, expected(t, "programs/pager/scribble.s"), got)
	assert.Greater(t, s["pager_requests"], s["pager_supplies"], "page-outs: the requests no supply answers")
	assert.Greater(t, s["pager_supplies"], uint64(64), "pages supplied again, after their page-out")

	got, s = runStats(t, "programs/pager/scribble.s")
	assert.Equal(t, expected(t, "programs/pager/scribble.s"), got)
	assert.Equal(t, uint64(64), s["pager_requests"], "enough memory: page-ins only")
}

// TestMapsumTellsABadDescriptor: mapsum.s -fd N maps the object at
// descriptor N; a descriptor that is not a number, or not open, is an
// error on standard error and status 1.
func TestMapsumTellsABadDescriptor(t *testing.T) {
	t.Chdir("../..")
	for _, c := range []struct {
		args []string
		err  string
	}{
		{[]string{"-fd", "9"}, "mapsum: -9\n"},   // EBADF: not open
		{[]string{"-fd", "x"}, "mapsum: -22\n"},  // EINVAL: not a number
		{[]string{"-fd", ""}, "mapsum: -22\n"},   // no digit
		{[]string{"-fd"}, "mapsum: -22\n"},       // no N at all
		{[]string{"-fd", "3"}, "mapsum: -9\n"},   // nothing at 3 either
		{[]string{"nothere"}, "mapsum: -2\n"},    // a file, but none
		{[]string{"-fd", "1x"}, "mapsum: -22\n"}, // a digit, then not
	} {
		got := toyvm(t, append([]string{"run", "programs/mapsum.s"}, c.args...)...)
		assert.Equal(t, result{1, "", c.err}, got, "%q", c.args)
	}
}

// TestPagersNeedTheProgramsFolderAsTheirRoot: under the default root, a
// pager's own folder, mapsum.s cannot be named (a path never climbs out
// of the root): the pager says so, and how to run it.
func TestPagersNeedTheProgramsFolderAsTheirRoot(t *testing.T) {
	t.Chdir("../..")
	got := toyvm(t, "run", "programs/pager/numpager.s")
	assert.Equal(t, 1, got.status)
	assert.Empty(t, got.stdout)
	assert.Equal(t, "numpager: cannot exec mapsum.s: -2\n"+
		"numpager: paths are inside the run's root: toyvm run --root programs programs/pager/numpager.s\n", got.stderr)

	got = toyvm(t, "run", "programs/pager/numpager.s", "../mapsum.s")
	assert.Equal(t, 1, got.status)
	assert.Contains(t, got.stderr, "numpager: cannot exec ../mapsum.s: -22\n", "EINVAL: out of the root")

	got = toyvm(t, "run", "programs/pager/filepager.s")
	assert.Equal(t, 1, got.status)
	assert.Equal(t, "filepager: cannot open files/numbers.dat: -2\n"+
		"filepager: paths are inside the run's root: toyvm run --root programs programs/pager/filepager.s\n", got.stderr)
}
