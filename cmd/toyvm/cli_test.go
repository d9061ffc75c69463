package main

import (
	"bytes"
	"encoding/json"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// inTempDir makes a fresh temporary folder the current one for the test
// and returns the absolute path of the repository's programs folder.
func inTempDir(t *testing.T) (programs string) {
	t.Helper()
	programs, err := filepath.Abs("../../programs")
	require.NoError(t, err)
	t.Chdir(t.TempDir())
	return programs
}

// writeFile writes a file in the current folder and returns its name.
func writeFile(t *testing.T, name string, data []byte) string {
	t.Helper()
	require.NoError(t, os.WriteFile(name, data, 0o644))
	return name
}

// quietProgram exits with status 0 and prints nothing.
const quietProgram = "start: mov #1, r0\n clr r1\n sys\n"

// assertUsageError checks that a run failed as an error of use: status 2,
// nothing on standard output, and a message that starts with "toyvm: "
// and contains want.
func assertUsageError(t *testing.T, r result, want string, args []string) {
	t.Helper()
	assert.Equal(t, exitUsage, r.status, "%q", args)
	assert.Empty(t, r.stdout, "%q", args)
	assert.True(t, strings.HasPrefix(r.stderr, "toyvm: "), "%q: %q", args, r.stderr)
	assert.Contains(t, r.stderr, want, "%q", args)
}

func TestBadCommandLinesAreErrorsOfUse(t *testing.T) {
	inTempDir(t)
	q := writeFile(t, "quiet.s", []byte(quietProgram))
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{}, `expected one of "run", "asm", "disasm"`},
		{[]string{"--bogus"}, "unknown flag --bogus"},
		{[]string{"frob"}, "unexpected argument frob"},
		{[]string{"run", "--bogus", q}, "unknown flag --bogus"},
		{[]string{"asm", "--bogus", q}, "unknown flag --bogus"},
		{[]string{"run"}, `expected "<program>"`},
		{[]string{"asm"}, `expected "<file>"`},
		{[]string{"disasm"}, `expected "<file>"`},
		{[]string{"run", "nothere.s"}, "nothere.s: no such file or directory"},
		{[]string{"run", "nothere.img"}, "nothere.img: no such file or directory"},
		{[]string{"asm", "nothere.s"}, "nothere.s: no such file or directory"},
		{[]string{"disasm", "nothere.img"}, "nothere.img: no such file or directory"},
		{[]string{"run", "."}, "."},
		{[]string{"run", "--mem", "lots", q}, `--mem: bad size "lots"`},
		{[]string{"run", "--mem", "", q}, `--mem: bad size ""`},
		{[]string{"run", "--mem", "-4K", q}, "--mem"},
		{[]string{"run", "--mem", "60K", q}, "memory size 60K is out of range (64K to 4G)"},
		{[]string{"run", "--mem", "8G", q}, "memory size 8G is out of range (64K to 4G)"},
		{[]string{"run", "--mem", "99999999G", q}, "memory size"},
		{[]string{"run", "--mem", "65K", q}, "is not a multiple of the page size (4K)"},
		{[]string{"run", "--mem", "1000000", q}, "is not a multiple of the page size (4K)"},
		{[]string{"run", "--tlb", "0", q}, "TLB size 0 is out of range"},
		{[]string{"run", "--tlb", "5000", q}, "TLB size 5000 is out of range"},
		{[]string{"run", "--tlb", "many", q}, "--tlb"},
		{[]string{"run", "--quantum", "0", q}, "quantum 0 is out of range"},
		{[]string{"run", "--quantum", "18446744073709551615", q}, "quantum 18446744073709551615 is out of range (1 to 1000000000000 cycles)"},
		{[]string{"run", "--quantum", "-1", q}, "--quantum"},
		{[]string{"run", "--disk-latency", "9223372036854775807", q}, "disk latency 9223372036854775807 is out of range (0 to 1000000000000 cycles)"},
		{[]string{"run", "--swap-size", "2T", q}, "swap size 2T is not a multiple of 4K up to 1T"},
		{[]string{"run", "--disk-faults", "1.5", q}, "disk fault rate 1.5 is out of range (0 to 1)"},
		{[]string{"run", "--disk-faults=-0.1", q}, "disk fault rate -0.1 is out of range (0 to 1)"},
		{[]string{"run", "--disk-faults", "NaN", q}, "disk fault rate NaN is out of range (0 to 1)"},
		{[]string{"run", "--disk-faults", "lots", q}, "--disk-faults"},
		{[]string{"run", "--swap-file", q, q}, "--swap-file: quiet.s exists: toyvm does not write over a file it did not create"},
		{[]string{"debug", "--swap-file", "swap", q}, "--swap-file is for toyvm run"},
		{[]string{"run", "--backup", "bogus", q}, `--backup must be one of "precise","log","decode" but got "bogus"`},
		{[]string{"run", "--tlb-refill", "bogus", q}, "--tlb-refill must be one of"},
		{[]string{"run", "--dirty", "bogus", q}, "--dirty must be one of"},
		{[]string{"run", "--trace", "bogus", q}, `--trace: unknown trace category "bogus" (known: all, daemon, disk, faults, sched, syscalls, tlb)`},
		{[]string{"run", "--trace", "faults,,tlb", q}, "--trace: unknown trace category"},
		{[]string{"run", "--root", "nothere", q}, "--root"},
		{[]string{"run", "--stats-json", filepath.Join("nothere", "stats.json"), q}, "--stats-json: stat nothere: no such file or directory"},
		{[]string{"run", "--stats-json", q, q}, "--stats-json: quiet.s is the program: refusing to write the counters over it"},
		{[]string{"asm", "-o", filepath.Join("nothere", "out.img"), q}, "cannot write the image"},
	} {
		assertUsageError(t, toyvm(t, c.args...), c.want, c.args)
	}
}

func TestACommandWithoutItsProgramPrintsItsUsage(t *testing.T) {
	for cmd, usage := range map[string]string{"run": "Usage: toyvm run <program> [<args> ...] [flags]",
		"asm": "Usage: toyvm asm <file> [flags]", "debug": "Usage: toyvm debug <program>"} {
		r := toyvm(t, cmd)
		assert.Equal(t, exitUsage, r.status)
		assert.Empty(t, r.stdout)
		assert.Contains(t, r.stderr, usage, cmd)
		assert.Contains(t, r.stderr, `Run "toyvm `+cmd+` --help" for more information.`, cmd)
	}
	r := toyvm(t, "run", "--bogus", "x.s")
	assert.Equal(t, "toyvm: unknown flag --bogus\ntoyvm: \"toyvm run --help\" lists every flag\n", r.stderr)
}

func TestStatsJSONNeverReplacesAFileThatIsNotCounters(t *testing.T) {
	inTempDir(t)
	q := writeFile(t, "quiet.s", []byte(quietProgram))
	writeFile(t, "notes.txt", []byte("my notes\n"))
	r := toyvm(t, "run", "--stats-json", "notes.txt", q)
	assertUsageError(t, r, "notes.txt exists and does not hold counters (a JSON object): refusing to replace it", nil)
	got, err := os.ReadFile("notes.txt")
	require.NoError(t, err)
	assert.Equal(t, "my notes\n", string(got))
	for range 2 { // a second run replaces the first run's counters
		require.Equal(t, 0, toyvm(t, "run", "--stats-json", "stats.json", q).status)
	}
	got, err = os.ReadFile("stats.json")
	require.NoError(t, err)
	assert.True(t, json.Valid(got))
	leftovers, err := filepath.Glob(".stats.json.tmp-*")
	require.NoError(t, err)
	assert.Empty(t, leftovers)
}

func TestHelpExitsZeroAndNamesEverySubcommand(t *testing.T) {
	for _, args := range [][]string{{"--help"}, {"-h"}} {
		r := toyvm(t, args...)
		assert.Equal(t, exitOK, r.status)
		assert.Empty(t, r.stderr)
		for _, cmd := range []string{"run <program>", "asm <file>", "disasm <file>"} {
			assert.Contains(t, r.stdout, cmd)
		}
	}
}

// runFlags returns the long names of the flags of `toyvm run`, read from
// RunCmd, so that a new flag is checked as soon as it is added.
func runFlags(t *testing.T) []string {
	var names []string
	typ := reflect.TypeOf(RunCmd{})
	for i := 0; i < typ.NumField(); i++ {
		f := typ.Field(i)
		if _, isArg := f.Tag.Lookup("arg"); isArg {
			continue
		}
		name := f.Tag.Get("name")
		if name == "" {
			name = strings.ToLower(f.Name)
		}
		names = append(names, "--"+name)
	}
	require.Contains(t, names, "--max-steps")
	return names
}

func TestRunHelpExitsZeroAndDocumentsEveryFlag(t *testing.T) {
	r := toyvm(t, "run", "--help")
	assert.Equal(t, exitOK, r.status)
	assert.Empty(t, r.stderr)
	for _, flag := range runFlags(t) {
		assert.Regexp(t, `(?m)^\s+`+regexp.QuoteMeta(flag)+`\b`, r.stdout, "run --help documents %s", flag)
	}
	for _, spec := range []string{"--mem", "--tlb", "--tlb-refill", "--asid", "--dirty", "--backup",
		"--seed", "--max-steps", "--stats", "--stats-json", "--trace", "--root"} {
		assert.Contains(t, r.stdout, spec+"", "the specification's flag %s is there", spec)
	}
	assert.Contains(t, r.stdout, `--mem="16M"`, "the specified defaults are shown")
	assert.Contains(t, r.stdout, "--tlb=16")
	assert.Contains(t, r.stdout, `--backup="precise"`)
}

func TestAsmAndDisasmHelpExitZero(t *testing.T) {
	r := toyvm(t, "asm", "--help")
	assert.Equal(t, exitOK, r.status)
	assert.Contains(t, r.stdout, "-o, --out=OUT")
	r = toyvm(t, "disasm", "--help")
	assert.Equal(t, exitOK, r.status)
	assert.Contains(t, r.stdout, "<file>")
}

// badSource has an error on each of its first four lines.
const badSource = `start:  mov r1
        foo r2, r3
        mov 5, r1
        .bogus 3
        mov #1, r0
`

func TestAssemblyErrorsAreAllListedWithFileLineAndColumn(t *testing.T) {
	inTempDir(t)
	writeFile(t, "bad.s", []byte(badSource))
	for _, cmd := range []string{"run", "asm", "disasm"} {
		r := toyvm(t, cmd, "bad.s")
		assert.Equal(t, exitUsage, r.status, cmd)
		assert.Empty(t, r.stdout, cmd)
		lines := strings.Split(strings.TrimSuffix(r.stderr, "\n"), "\n")
		require.Len(t, lines, 4, "%s: one line per error:\n%s", cmd, r.stderr)
		for i, line := range lines {
			assert.Regexp(t, `^bad\.s:`+string(rune('1'+i))+`:[0-9]+: \S`, line, "%s: error %d", cmd, i+1)
		}
	}
	_, err := os.Stat("bad.img")
	assert.True(t, os.IsNotExist(err), "asm writes no image when the source has errors")
}

// assembleTo runs `toyvm asm -o out src` and fails the test if it fails.
func assembleTo(t *testing.T, src, out string) []byte {
	t.Helper()
	r := toyvm(t, "asm", "-o", out, src)
	require.Equal(t, result{}, r, "toyvm asm %s", src)
	data, err := os.ReadFile(out)
	require.NoError(t, err)
	return data
}

func TestImagesThatAreNotToyvmImagesAreRefused(t *testing.T) {
	programs := inTempDir(t)
	image := assembleTo(t, filepath.Join(programs, "hello.s"), "hello.img")
	random := make([]byte, 300)
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range random {
		random[i] = byte(rng.Uint32())
	}
	for name, data := range map[string][]byte{
		"empty.img":       nil,
		"random.img":      random,
		"magic-only.img":  []byte("TVMI"),
		"text.img":        []byte("start: mov #1, r0\n"),
		"bad-version.img": append([]byte("TVMI\x09\x00\x00\x00"), image[8:]...),
		"trailing.img":    append(append([]byte(nil), image...), 0),
	} {
		checkRefused(t, name, data)
	}
}

func TestEveryTruncationOfAnImageIsRefused(t *testing.T) {
	programs := inTempDir(t)
	image := assembleTo(t, filepath.Join(programs, "hello.s"), "hello.img")
	for n := range len(image) {
		checkRefused(t, "truncated.img", image[:n])
	}
}

// checkRefused writes a file and checks that run and disasm refuse it
// with a message naming the file and the offset of the problem.
func checkRefused(t *testing.T, name string, data []byte) {
	t.Helper()
	writeFile(t, name, data)
	for _, cmd := range []string{"run", "disasm"} {
		args := []string{cmd, name}
		assertUsageError(t, toyvm(t, args...), name+": image: offset ", append(args, string(data)))
	}
}

func TestCorruptingAnyByteOfAnImageNeverCrashes(t *testing.T) {
	programs := inTempDir(t)
	image := assembleTo(t, filepath.Join(programs, "fib.s"), "fib.img")
	for i := range image {
		bad := append([]byte(nil), image...)
		bad[i] ^= 0xFF
		writeFile(t, "bad.img", bad)
		r := toyvm(t, "run", "--mem", "64K", "--max-steps", "20000", "bad.img")
		if r.status == exitUsage {
			assert.True(t, strings.HasPrefix(r.stderr, "toyvm: "), "byte %d: %q", i, r.stderr)
		}
		r = toyvm(t, "disasm", "bad.img")
		assert.Contains(t, []int{exitOK, exitUsage}, r.status, "byte %d", i)
	}
}

func TestRunOfTheAssembledImageBehavesLikeRunOfTheSource(t *testing.T) {
	programs := inTempDir(t)
	sources, err := filepath.Glob(filepath.Join(programs, "*.s"))
	require.NoError(t, err)
	require.NotEmpty(t, sources)
	for _, src := range sources {
		img := strings.TrimSuffix(filepath.Base(src), ".s") + ".img"
		assembleTo(t, src, img)
		fromSource, fromImage := toyvm(t, "run", src, "x"), toyvm(t, "run", img, "x")
		fromImage.stderr = strings.ReplaceAll(fromImage.stderr, img, src)
		fromImage.stdout = strings.ReplaceAll(fromImage.stdout, img, src) // args.s prints argv[0]
		assert.Equal(t, fromSource, fromImage, img)
	}
}

func TestAsmWritesTheImageBesideTheSourceByDefault(t *testing.T) {
	inTempDir(t)
	writeFile(t, "quiet.s", []byte(quietProgram))
	require.Equal(t, result{}, toyvm(t, "asm", "quiet.s"))
	data, err := os.ReadFile("quiet.img")
	require.NoError(t, err)
	assert.Equal(t, "TVMI", string(data[:4]))
	assert.Equal(t, result{}, toyvm(t, "run", "quiet.img"))
}

func TestAsmOWritesTheImageWhereAsked(t *testing.T) {
	inTempDir(t)
	writeFile(t, "quiet.s", []byte(quietProgram))
	require.NoError(t, os.Mkdir("out", 0o755))
	require.Equal(t, result{}, toyvm(t, "asm", "quiet.s", "-o", "out/q.bin"))
	_, err := os.Stat("out/q.bin")
	assert.NoError(t, err)
	_, err = os.Stat("quiet.img")
	assert.True(t, os.IsNotExist(err), "only the named file is written")
	r := toyvm(t, "asm", "--out", "out/q2.bin", "quiet.s")
	assert.Equal(t, exitOK, r.status)
}

func TestDisasmOfTheSourceAndOfItsImagePrintTheSameListing(t *testing.T) {
	programs := inTempDir(t)
	sources, err := filepath.Glob(filepath.Join(programs, "*.s"))
	require.NoError(t, err)
	for _, src := range sources {
		img := strings.TrimSuffix(filepath.Base(src), ".s") + ".img"
		assembleTo(t, src, img)
		fromSource, fromImage := toyvm(t, "disasm", src), toyvm(t, "disasm", img)
		assert.Equal(t, exitOK, fromSource.status, src)
		assert.NotEmpty(t, fromSource.stdout, src)
		assert.Equal(t, fromSource, fromImage, img)
	}
}

// specCounters are the keys the specification requires of --stats-json.
var specCounters = []string{"instructions", "cycles", "page_faults", "major_faults", "minor_faults",
	"tlb_hits", "tlb_misses", "swap_ins", "swap_outs", "context_switches", "processes"}

func TestStatsJSONWritesOneObjectWithEveryCounterAsAnInteger(t *testing.T) {
	programs := inTempDir(t)
	r := toyvm(t, "run", "--stats-json", "stats.json", filepath.Join(programs, "hello.s"))
	require.Equal(t, exitOK, r.status, r.stderr)
	assert.Equal(t, "Hello, world\n", r.stdout)
	data, err := os.ReadFile("stats.json")
	require.NoError(t, err)
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var stats map[string]any
	require.NoError(t, dec.Decode(&stats))
	assert.False(t, dec.More(), "one object and nothing after it")
	for _, key := range specCounters {
		require.Contains(t, stats, key)
		n, ok := stats[key].(json.Number)
		require.True(t, ok, "%s is a number: %v", key, stats[key])
		_, err := n.Int64()
		assert.NoError(t, err, "%s is an integer: %v", key, n)
	}
	assert.Equal(t, json.Number("1"), stats["processes"])
	assert.NotEqual(t, json.Number("0"), stats["instructions"])
	assert.NotEqual(t, json.Number("0"), stats["page_faults"])
}

func TestStatsPrintsEveryCounterOnStandardError(t *testing.T) {
	programs := inTempDir(t)
	r := toyvm(t, "run", "--stats", filepath.Join(programs, "hello.s"))
	require.Equal(t, exitOK, r.status)
	assert.Equal(t, "Hello, world\n", r.stdout, "the counters do not mix with the program's output")
	for _, key := range specCounters {
		assert.Regexp(t, `(?m)^`+key+` +[0-9]+$`, r.stderr)
	}
}

func TestArgumentsAfterTheProgramReachIt(t *testing.T) {
	t.Chdir("../..")
	args := []string{"one", "", "-x", "--help", "--mem", "64K", "two words"}
	r := toyvm(t, append([]string{"run", "--mem", "1M", "programs/args.s"}, args...)...)
	require.Equal(t, exitOK, r.status, r.stderr)
	want := "argc = 8\nargv[0] = programs/args.s\n"
	for i, a := range args {
		want += "argv[" + string(rune('1'+i)) + "] = " + a + "\n"
	}
	assert.Equal(t, want, r.stdout)
}

func TestDashDashBeforeTheProgramEndsToyvmsFlags(t *testing.T) {
	t.Chdir("../..")
	r := toyvm(t, "run", "--", "programs/args.s", "--", "a")
	require.Equal(t, exitOK, r.status, r.stderr)
	assert.Equal(t, "argc = 3\nargv[0] = programs/args.s\nargv[1] = --\nargv[2] = a\n", r.stdout)
}

func TestTheSameRunTwiceGivesByteIdenticalOutputAndStats(t *testing.T) {
	programs := inTempDir(t)
	runOnce := func(name string) (result, []byte) {
		r := toyvm(t, "run", "--trace", "all", "--quantum", "50", "--stats", "--stats-json", name,
			filepath.Join(programs, "sort.s"))
		data, err := os.ReadFile(name)
		require.NoError(t, err)
		return r, data
	}
	r1, json1 := runOnce("1.json")
	r2, json2 := runOnce("2.json")
	assert.Equal(t, r1, r2)
	assert.Equal(t, json1, json2)
	assert.NotEmpty(t, r1.stdout)
	assert.Contains(t, r1.stderr, "faults", "the trace is part of what must repeat")
}

func TestExitStatusOfTheProgramIsToyvmsExitStatus(t *testing.T) {
	inTempDir(t)
	for _, code := range []string{"0", "1", "42", "255", "300"} {
		writeFile(t, "exit.s", []byte("start: mov #1, r0\n mov #"+code+", r1\n sys\n"))
		r := toyvm(t, "run", "exit.s")
		want := map[string]int{"0": 0, "1": 1, "42": 42, "255": 255, "300": 44}[code]
		assert.Equal(t, want, r.status, "exit(%s)", code)
	}
}

func TestMaxStepsExitsWith124AndSaysSo(t *testing.T) {
	inTempDir(t)
	writeFile(t, "loop.s", []byte("start: br start\n"))
	r := toyvm(t, "run", "--max-steps", "1000", "loop.s")
	assert.Equal(t, result{status: 124, stderr: "toyvm: stopped after 1000 instructions (--max-steps 1000)\n"}, r)
}

// createOut opens out.txt for writing and exits with 0, or with the
// error's number (EACCES is 13).
const createOut = `
start:  mov     #4, r0
        mov     #path, r1
        mov     #1, r2
        sys
        clr     r1
        tst     r0
        bge     done
        neg     r0
        mov     r0, r1
done:   mov     #1, r0
        sys
        .data
path:   .asciz  "out.txt"
`

func TestTheDefaultRootIsReadOnlyUnlessWritableOrNamed(t *testing.T) {
	inTempDir(t)
	writeFile(t, "create.s", []byte(createOut))
	assert.Equal(t, 13, toyvm(t, "run", "create.s").status, "the program's folder, read-only")
	assert.NoFileExists(t, "out.txt")
	assert.Equal(t, 0, toyvm(t, "run", "--writable", "create.s").status)
	assert.FileExists(t, "out.txt")
	require.NoError(t, os.Remove("out.txt"))
	assert.Equal(t, 0, toyvm(t, "run", "--root", ".", "create.s").status)
	assert.FileExists(t, "out.txt")
	require.NoError(t, os.Remove("out.txt"))
	assert.Equal(t, 122, toyvm(t, "run", "--file-quota", "1M,0", "--root", ".", "create.s").status, "EDQUOT: no file to create")
}
