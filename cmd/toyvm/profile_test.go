package main

import (
	"bytes"
	"compress/gzip"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// readProfile returns the protocol buffer of the pprof profile at path:
// the file must be gzip data that holds a non-empty profile. (Parsing it
// would need github.com/google/pprof; the tests look for the names in its
// string table instead.)
func readProfile(t *testing.T, path string) []byte {
	t.Helper()
	f, err := os.Open(path)
	require.NoError(t, err)
	defer f.Close()
	z, err := gzip.NewReader(f)
	require.NoError(t, err, "%s is gzip data", path)
	pb, err := io.ReadAll(z)
	require.NoError(t, err, "%s decompresses whole", path)
	require.NotEmpty(t, pb, path)
	return pb
}

func TestCPUAndHeapProfilesOfARunAreValidPprofFiles(t *testing.T) {
	programs := inTempDir(t)
	r := toyvm(t, "run", "--cpuprofile", "cpu.pprof", "--memprofile", "mem.pprof",
		filepath.Join(programs, "fib.s"))
	require.Equal(t, exitOK, r.status, r.stderr)
	assert.Contains(t, r.stdout, "4181")
	cpu := readProfile(t, "cpu.pprof")
	assert.True(t, bytes.Contains(cpu, []byte("nanoseconds")), "a CPU profile's unit")
	heap := readProfile(t, "mem.pprof")
	assert.True(t, bytes.Contains(heap, []byte("inuse_space")), "a heap profile's sample type")
}

func TestAProfileThatCannotBeWrittenIsAnErrorOfUse(t *testing.T) {
	inTempDir(t)
	q := writeFile(t, "quiet.s", []byte(quietProgram))
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"run", "--cpuprofile", filepath.Join("nothere", "cpu.pprof"), q}, "--cpuprofile: open nothere/cpu.pprof: no such file or directory"},
		{[]string{"run", "--memprofile", filepath.Join("nothere", "mem.pprof"), q}, "--memprofile: open nothere/mem.pprof: no such file or directory"},
		{[]string{"run", "--cpuprofile", q, q}, "--cpuprofile: quiet.s is the program: refusing to write a profile over it"},
		{[]string{"run", "--memprofile", ".", q}, "--memprofile: open .: is a directory"},
		{[]string{"debug", "--cpuprofile", "cpu.pprof", q}, "--cpuprofile and --memprofile are for toyvm run"},
	} {
		assertUsageError(t, toyvm(t, c.args...), c.want, c.args)
	}
	got, err := os.ReadFile(q)
	require.NoError(t, err)
	assert.Equal(t, quietProgram, string(got), "the program is untouched")
	_, err = os.Stat("cpu.pprof")
	assert.True(t, os.IsNotExist(err), "no profile is left by a refused run: %v", err)
}
