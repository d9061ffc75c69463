package kernel

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"toyvm/asm"
	"toyvm/cpu"
	"toyvm/image"
	"toyvm/kernel/policy"
	"toyvm/kernel/vm"
)

// The soak test runs random mixes of the sample programs and of the
// stress test's generated workloads on tiny random machines under
// --check, each once without disk faults and once with them, for a set
// time (TOYVM_SOAK, a Go duration: 2s by default; skipped with -short),
// drawn from a seed (TOYVM_SOAK_SEED: 1 by default, "random" for a new
// one each time).
// No run may break an invariant or crash; a run with faults must print
// and exit exactly as the run without, unless the disk gave up on a
// request (then its process may be killed or see EIO, and say so). For a
// long run: TOYVM_SOAK=30m go test ./kernel -run Soak -v

func TestSoakRandomProgramsOnTinyMachinesWithDiskFaults(t *testing.T) {
	if testing.Short() {
		t.Skip("the soak test runs for TOYVM_SOAK (2s by default); -short skips it")
	}
	budget := soakBudget(t)
	samples, err := filepath.Glob("../programs/*.s")
	require.NoError(t, err)
	seed := soakSeed(t)
	t.Logf("soak for %v from seed %d (TOYVM_SOAK_SEED=%d repeats it)", budget, seed, seed)
	r := rand.New(rand.NewPCG(seed, 0x736f616b))
	runs := 0
	for deadline := time.Now().Add(budget); time.Now().Before(deadline) || runs < 4; runs++ {
		job := soakJob(t, r, samples)
		cfg := soakConfig(r, job.mem)
		name := fmt.Sprintf("run %d: %s on %s faults=%v seed=%d", runs, job.name, cfg.stressName(), cfg.DiskFaults, cfg.Seed)
		clean := cfg
		clean.DiskFaults = 0
		want, got := job.run(t, clean), job.run(t, cfg)
		require.NoError(t, want.checkErr, name)
		require.NoError(t, got.checkErr, name)
		if got.stats.DiskFailures == 0 {
			require.Equal(t, want.stdout, got.stdout, name)
			require.Equal(t, want.status, got.status, name)
		}
	}
	t.Logf("%d programs, each run twice", runs)
}

// soakSeed returns TOYVM_SOAK_SEED: a number, "random", or 1.
func soakSeed(t *testing.T) uint64 {
	switch s := os.Getenv("TOYVM_SOAK_SEED"); s {
	case "":
		return 1
	case "random":
		return uint64(time.Now().UnixNano())
	default:
		var seed uint64
		_, err := fmt.Sscan(s, &seed)
		require.NoError(t, err, "TOYVM_SOAK_SEED is a number or random")
		return seed
	}
}

// soakBudget returns TOYVM_SOAK, or 2 seconds.
func soakBudget(t *testing.T) time.Duration {
	s := os.Getenv("TOYVM_SOAK")
	if s == "" {
		return 2 * time.Second
	}
	d, err := time.ParseDuration(s)
	require.NoError(t, err, "TOYVM_SOAK is a Go duration, such as 10m")
	return d
}

// soakProgram is one program of the soak: its image, root and argv.
type soakProgram struct {
	name string
	img  *image.Image
	root string
	argv []string
	mem  uint64 // the least memory it runs in
}

// soakJob draws a sample program or a generated workload.
func soakJob(t *testing.T, r *rand.Rand, samples []string) soakProgram {
	if r.IntN(3) == 0 {
		w := newStressWorkload(r)
		return soakProgram{name: "generated workload", img: assemble(t, stressParent(len(w.children))),
			root: w.write(t), argv: []string{"parent.s"}, mem: w.mem}
	}
	path := samples[r.IntN(len(samples))]
	img, err := asm.LoadFile(path)
	require.NoError(t, err)
	return soakProgram{name: path, img: img, root: filepath.Dir(path),
		argv: []string{filepath.Base(path)}, mem: 64 << 10}
}

// soakConfig draws a tiny machine of at least mem bytes, with disk
// faults, from r.
func soakConfig(r *rand.Rand, mem uint64) Config {
	w := stressWorkload{mem: mem << r.IntN(3)}
	names := policy.Names()
	cfg := stressConfig(w, r, names[r.IntN(len(names))],
		[]cpu.Level{cpu.Precise, cpu.Log, cpu.Decode}[r.IntN(3)], vm.SwapLayout(r.IntN(2)))
	cfg.DiskFaults = []float64{0.01, 0.05, 0.2}[r.IntN(3)]
	cfg.MaxSteps = 5_000_000
	return cfg
}

// run runs the program on a machine of cfg.
func (p soakProgram) run(t *testing.T, cfg Config) stressRun {
	t.Helper()
	cfg.Root, cfg.RootReadOnly = p.root, true
	k, out, errb := newKernel(t, cfg)
	defer k.Close()
	status, err := k.Run(p.img, p.argv)
	require.NoError(t, err)
	return stressRun{out.String(), strings.Clone(errb.String()), status, k.Stats(), k.Check()}
}
