package kernel

// The hidden tests of the tlbrefill kit: the sample programs on many
// random machines (software or hardware refill, ASIDs or not, the
// kernel's dirty bits or the hardware's, TLBs and memories small and
// large); exec and many processes under ASIDs; a miss that must wait for
// its page, or cannot have one; the library OS's installs and the
// pagers. They use the helpers of the public tests
// (kit_tlbrefill_test.go).

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"toyvm/cpu"
	"toyvm/kernel/policy"
)

// kitTLBHiddenSamples are sample programs whose output and exit status
// (their .out and .exit files) do not depend on the machine.
var kitTLBHiddenSamples = []string{
	"args.s", "bigread.s", "cow.s", "divzero.s", "execdemo.s", "exit.s", "fib.s", "fork.s",
	"hello.s", "linear.s", "mapsum.s", "mmapcat.s", "modes.s", "movc.s", "parallel.s",
	"recurse.s", "recursion.s", "sbrk.s", "sbrkbad.s", "shm.s", "shuffle.s", "sieve.s",
	"sort.s", "stackoverflow.s", "strings.s", "syscalls.s", "textwrite.s", "wild.s",
	"libos/template.s", "libos/zero.s", "pager/numpager.s", "pager/filepager.s", "pager/scribble.s",
}

// kitTLBHiddenSample runs a sample program of programs/ (its root) on a
// machine of cfg, checked, and requires its .out and .exit.
func kitTLBHiddenSample(t *testing.T, name string, cfg Config, what string) *Kernel {
	t.Helper()
	img, want := kitTLBSample(t, name)
	status := 0
	if b, err := os.ReadFile(filepath.Join("..", "programs", strings.TrimSuffix(name, ".s")+".exit")); err == nil {
		status, err = strconv.Atoi(strings.TrimSpace(string(b)))
		require.NoError(t, err)
	}
	cfg.Root, cfg.RootReadOnly = filepath.Join("..", "programs"), true
	out, errs, got, k := kitTLBRun(t, img, []string{"programs/" + name}, cfg) // as the .out files were made
	require.Equal(t, status, got, "%s on %s: the exit status: %s", name, what, errs)
	kitTLBSameOutput(t, want, out, name+" on "+what)
	return k
}

// kitTLBHiddenMachine draws a machine: mostly software refill, with or
// without ASIDs and the kernel's dirty bits, a TLB of 16 to 64 entries
// (1 to 8 under hardware refill), 64K to 1M of memory.
func kitTLBHiddenMachine(r *rand.Rand) (Config, string) {
	cfg := testConfig()
	cfg.SoftwareRefill = r.IntN(4) != 0
	cfg.ASID = r.IntN(2) == 0
	cfg.SoftwareDirty = r.IntN(3) == 0
	if cfg.SoftwareRefill {
		cfg.TLBSize = MinSoftwareTLB + r.IntN(49)
	} else {
		cfg.TLBSize = 1 + r.IntN(8)
	}
	frames := []int{16, 24, 32, 256}[r.IntN(4)]
	cfg.MemBytes = uint64(frames) * 4096
	cfg.PoolLow, cfg.PoolHigh = DefaultPool(frames)
	cfg.Quantum = []uint64{100, 1000, DefaultQuantum}[r.IntN(3)]
	names := policy.Names()
	cfg.Policy = names[r.IntN(len(names))]
	cfg.Backup = []cpu.Level{cpu.Precise, cpu.Log, cpu.Decode}[r.IntN(3)]
	cfg.Seed = r.Uint64()
	what := fmt.Sprintf("--mem %dK --tlb %d --tlb-refill %v --asid %v --dirty-sw %v --quantum %d --policy %s --backup %v",
		frames*4, cfg.TLBSize, map[bool]string{true: "sw", false: "hw"}[cfg.SoftwareRefill], cfg.ASID,
		cfg.SoftwareDirty, cfg.Quantum, cfg.Policy, cfg.Backup)
	return cfg, what
}

func TestKitTLBRefillHiddenSamplesOnRandomMachines(t *testing.T) {
	r := rand.New(rand.NewPCG(1977, 42))
	for i := range 3 {
		for _, name := range kitTLBHiddenSamples {
			cfg, what := kitTLBHiddenMachine(r)
			t.Run(fmt.Sprintf("%d/%s", i, name), func(t *testing.T) {
				kitTLBHiddenSample(t, name, cfg, what)
			})
			if t.Failed() {
				return // one machine shown is enough
			}
		}
	}
}

func TestKitTLBRefillHiddenExecAndManyProcessesWithASIDs(t *testing.T) {
	for _, sw := range []bool{false, true} {
		cfg := testConfig()
		cfg.ASID, cfg.SoftwareRefill, cfg.Quantum = true, sw, 300
		if !sw {
			cfg.TLBSize = 4
		}
		what := fmt.Sprintf("--asid --tlb-refill sw %v --quantum 300", sw)
		for _, name := range []string{"execdemo.s", "parallel.s", "fork.s", "shm.s"} {
			kitTLBHiddenSample(t, name, cfg, what)
		}
		// Four loops side by side: each finds its entries again.
		cfg.TLBSize, cfg.Quantum, cfg.Check, cfg.TrackAllocations = 64, 500, true, true
		k, _, errb := newKernel(t, cfg)
		for range 3 {
			spawn(t, k, kitTLBLoop)
		}
		status, err := k.Run(assemble(t, kitTLBLoop), []string{"test.s"})
		require.NoError(t, err)
		kitTLBNoViolation(t, k, errb.String())
		require.Equal(t, 0, status)
		require.NoError(t, k.Leaks(), "nothing leaks: %s", errb)
		s := k.Stats()
		assert.Greater(t, s.ContextSwitches, uint64(300), what)
		assert.Zero(t, s.TLBFlushes, "%s: no switch flushes the TLB", what)
		assert.Less(t, s.TLBMisses, uint64(80), "%s: four processes find their entries again after a switch", what)
		k.Close()
	}
}

// kitTLBHiddenHog touches 64 pages, each with a write, 256K in all.
const kitTLBHiddenHog = `
start:  mov     #buf, r4
        mov     #64, r5
hog:    mov     r5, (r4)
        add     #4096, r4
        dec     r5
        bne     hog
        mov     #1, r0
        clr     r1
        sys
        .data
buf:    .space  262144
`

func TestKitTLBRefillHiddenAMissThatWaitsOrCannotBeServed(t *testing.T) {
	// A miss on a page of swap waits for the disk and is refilled when
	// the process runs again; so is a miss on a page another process is
	// reading in (cow.s forks, in 64K); a miss on a page for which there
	// is neither memory nor swap kills, with 137, leaving nothing behind.
	sw := kitTLBSmall(kitTLBSoftware())
	sw.DiskLatency = 50000
	for _, name := range []string{"linear.s", "cow.s", "fork.s", "parallel.s"} {
		k := kitTLBHiddenSample(t, name, sw, "--tlb-refill sw in 64K, a slow disk")
		s := k.Stats()
		assert.Equal(t, s.TLBMisses, s.TLBRefills, name)
	}
	for _, asid := range []bool{false, true} {
		cfg := kitTLBSmall(kitTLBSoftware())
		cfg.ASID, cfg.SwapSize = asid, 32<<10
		_, errs, status, _ := kitTLBRun(t, assemble(t, kitTLBHiddenHog), []string{"test.s"}, cfg)
		assert.Equal(t, StatusNoMemory, status, "64 pages in 64K with 32K of swap (--asid %v): killed for lack of memory: %s", asid, errs)
	}
}

func TestKitTLBRefillHiddenTheLibraryOSAndThePagers(t *testing.T) {
	asid := kitTLBSoftware()
	asid.ASID = true
	small := kitTLBSmall(asid)
	small.SoftwareDirty = true
	for _, m := range []kitTLBMachine{{"--tlb-refill sw", kitTLBSoftware()}, {"--tlb-refill sw --asid", asid},
		{"--tlb-refill sw --asid --dirty sw in 64K", small}} {
		cfg, what := m.cfg, m.name
		for _, name := range []string{"libos/template.s", "libos/zero.s", "pager/numpager.s", "pager/filepager.s",
			"pager/scribble.s", "mmapcat.s", "mapsum.s", "shm.s"} {
			kitTLBHiddenSample(t, name, cfg, what)
		}
	}
}
