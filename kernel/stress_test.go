package kernel

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"toyvm/cpu"
	"toyvm/kernel/policy"
	"toyvm/kernel/vm"
	"toyvm/mmu"
)

// The randomized stress test. A seeded generator writes a workload: a
// parent that spawns several children, each a program that updates
// words of its own array at pseudo-random places (the array lies in its
// data, its heap or its stack), checksums the array and exits with the
// checksum folded to 8 bits; the parent waits for them in order and
// prints their statuses. The workload runs in tiny memory under every
// replacement policy, help level and swap layout, with --check and with
// hardware options drawn from the same seed. Every run must break no
// invariant and print exactly what a run in ample memory prints, which
// is also what a Go model of the children computes.

// stressChild is one generated child program: where its array lives, how
// many pages it spans, and the pseudo-random updates it makes.
type stressChild struct {
	where string // "data", "heap" or "stack"
	pages int
	seed  uint32 // the seed of the program's own generator
	ops   int    // how many words it updates
}

// The program's generator: x = x * lcgMul + lcgAdd, modulo 2^32.
const (
	lcgMul = 1103515245
	lcgAdd = 12345
)

// source returns the child's program text.
func (c stressChild) source() string {
	words := c.pages * mmu.PageSize / 4
	var b strings.Builder
	fmt.Fprintf(&b, "        .equ WORDS, %d\n        .equ BYTES, %d\n", words, words*4)
	b.WriteString(map[string]string{
		"data":  "start:  mov #array, r6\n",
		"heap":  "start:  mov #11, r0\n        mov #BYTES, r1\n        sys\n        mov r0, r6\n",
		"stack": "start:  sub #BYTES, sp\n        mov sp, r6\n",
	}[c.where])
	fmt.Fprintf(&b, `        mov #%d, r7             ; x, the generator's state
        mov #%d, r8             ; updates left
update: mul #%d, r7
        add #%d, r7
        mov r7, r0
        shr #16, r0
        mod #WORDS, r0          ; a random word...
        shl #2, r0
        add r6, r0
        add r7, (r0)            ; ... gets x added
        dec r8
        bne update
        clr r9                  ; h = h * 31 + a[i] over the array
        mov r6, r7
        mov #WORDS, r8
sum:    mul #31, r9
        add (r7)+, r9
        dec r8
        bne sum
        mov r9, r1              ; exit(the four bytes of h xor-ed)
        mov r9, r0
        shr #16, r0
        xor r0, r1
        mov r1, r0
        shr #8, r0
        xor r0, r1
        and #255, r1
        mov #1, r0
        sys
        .data
        .word 7                 ; a data page read from the image
        .align 4096
array:  .space BYTES
`, c.seed, c.ops, lcgMul, lcgAdd)
	return b.String()
}

// status is the exit status the child's program computes, in Go.
func (c stressChild) status() int {
	words := uint32(c.pages * mmu.PageSize / 4)
	a := make([]uint32, words)
	x := c.seed
	for range c.ops {
		x = x*lcgMul + lcgAdd
		a[(x>>16)%words] += x
	}
	var h uint32
	for _, w := range a {
		h = h*31 + w
	}
	h ^= h >> 16
	h ^= h >> 8
	return int(h & 255)
}

// stressParent returns the parent's program: spawn c0.s ... c(n-1).s,
// then wait for each in order and print "child i: status".
func stressParent(n int) string {
	var b strings.Builder
	b.WriteString("start:  mov #pids, r6\n")
	for i := range n {
		fmt.Fprintf(&b, "        mov #6, r0\n        mov #path%d, r1\n        clr r2\n        sys\n        mov r0, (r6)+\n", i)
	}
	b.WriteString(`        mov #pids, r6
        mov #'0', r7
reap:   mov #7, r0
        mov (r6)+, r1
        sys
        movb r7, line+6         ; "child i: "
        mov r1, r0              ; three digits of the status
        mod #10, r0
        add #'0', r0
        movb r0, line+11
        div #10, r1
        mov r1, r0
        mod #10, r0
        add #'0', r0
        movb r0, line+10
        div #10, r1
        add #'0', r1
        movb r1, line+9
        mov #2, r0
        mov #1, r1
        mov #line, r2
        mov #13, r3
        sys
        inc r7
`)
	fmt.Fprintf(&b, "        cmp r7, #'0'+%d\n", n)
	b.WriteString("        bne reap\n        mov #1, r0\n        clr r1\n        sys\n        .data\n")
	b.WriteString("line:   .ascii \"child ?: ???\\n\"\n        .align 4\n")
	fmt.Fprintf(&b, "pids:   .space %d\n", 4*n)
	for i := range n {
		fmt.Fprintf(&b, "path%d:  .asciz \"c%d.s\"\n", i, i)
	}
	return b.String()
}

// stressWorkload is a parent and its children, generated from a seed.
type stressWorkload struct {
	children []stressChild
	mem      uint64 // the tiny memory it runs in
}

// newStressWorkload draws a workload from r: 3 children in 128K, or 4 to
// 5 in 256K (each process holds three frames of page tables), whose
// arrays together span more pages than the memory has frames, so that
// pages must be evicted while they run.
func newStressWorkload(r *rand.Rand) stressWorkload {
	w := stressWorkload{mem: 128 << 10}
	n := 3
	if r.IntN(2) == 1 {
		w.mem, n = 256<<10, 4+r.IntN(2)
	}
	frames := int(w.mem / mmu.PageSize)
	for range n {
		w.children = append(w.children, stressChild{
			where: []string{"data", "heap", "stack"}[r.IntN(3)],
			pages: frames/n + 1 + r.IntN(4),
			seed:  r.Uint32(),
			ops:   200 + r.IntN(600),
		})
	}
	return w
}

// want is what the parent prints, from the Go model of the children.
func (w stressWorkload) want() string {
	var b strings.Builder
	for i, c := range w.children {
		fmt.Fprintf(&b, "child %d: %03d\n", i, c.status())
	}
	return b.String()
}

// write puts the children's programs in a new folder, the run's root.
func (w stressWorkload) write(t *testing.T) string {
	dir := t.TempDir()
	for i, c := range w.children {
		path := filepath.Join(dir, fmt.Sprintf("c%d.s", i))
		require.NoError(t, os.WriteFile(path, []byte(c.source()), 0o644))
	}
	return dir
}

// stressRun is what one run produced.
type stressRun struct {
	stdout, stderr string
	status         int
	stats          Stats
	checkErr       error
}

// run runs the workload on a machine of cfg, rooted at dir.
func (w stressWorkload) run(t *testing.T, cfg Config, dir string) stressRun {
	t.Helper()
	cfg.Root = dir
	k, out, errb := newKernel(t, cfg)
	status, err := k.Run(assemble(t, stressParent(len(w.children))), []string{"parent.s"})
	require.NoError(t, err)
	return stressRun{out.String(), errb.String(), status, k.Stats(), k.Check()}
}

// stressConfig is a tiny machine: the workload's memory, the given policy,
// help level and swap layout, --check on, and hardware options drawn
// from r.
func stressConfig(w stressWorkload, r *rand.Rand, policy string, level cpu.Level, swap vm.SwapLayout) Config {
	cfg := DefaultConfig()
	cfg.MemBytes = w.mem
	cfg.PoolLow, cfg.PoolHigh = DefaultPool(int(w.mem / mmu.PageSize))
	cfg.Policy, cfg.Backup, cfg.Swap, cfg.Check = policy, level, swap, true
	cfg.Seed = r.Uint64()
	cfg.SoftwareRefill = r.IntN(3) == 0
	cfg.TLBSize = []int{1, 2, 4, 16, 64}[r.IntN(5)]
	if cfg.SoftwareRefill {
		// A software-refilled TLB must hold every page one instruction
		// touches (its own bytes and its operands), or the refills of
		// one instruction evict each other forever.
		cfg.TLBSize = []int{16, 64}[r.IntN(2)]
	}
	cfg.SoftwareDirty = r.IntN(3) == 0
	cfg.ASID = r.IntN(2) == 0
	cfg.Quantum = []uint64{97, 1000, 10000}[r.IntN(3)]
	cfg.DiskLatency = []uint64{1, 500, DefaultDiskLatency}[r.IntN(3)]
	return cfg
}

// stressName names a configuration in a subtest's name.
func (c Config) stressName() string {
	return fmt.Sprintf("mem=%s %s %s %s tlb=%d sw-refill=%t sw-dirty=%t asid=%t quantum=%d latency=%d",
		SizeText(c.MemBytes), c.Policy, c.Backup, c.Swap, c.TLBSize, c.SoftwareRefill,
		c.SoftwareDirty, c.ASID, c.Quantum, c.DiskLatency)
}

// TestStressManyProcessesInTinyMemoryPrintWhatAmpleMemoryPrints runs
// generated workloads under every policy, help level and swap layout in
// 128K or 256K with --check: no invariant breaks, every child's status
// is right, and the output is byte for byte that of a run in 16M.
func TestStressManyProcessesInTinyMemoryPrintWhatAmpleMemoryPrints(t *testing.T) {
	seeds := []uint64{1, 2, 3}
	if testing.Short() {
		seeds = seeds[:1]
	}
	for _, seed := range seeds {
		r := rand.New(rand.NewPCG(seed, 0x70795f6d))
		w := newStressWorkload(r)
		dir := w.write(t)
		ample := w.run(t, DefaultConfig(), dir)
		require.Equal(t, w.want(), ample.stdout, "seed %d in 16M: the children's statuses", seed)
		require.Equal(t, 0, ample.status)
		for _, cfg := range stressConfigs(w, r) {
			t.Run(fmt.Sprintf("seed %d %s", seed, cfg.stressName()), func(t *testing.T) {
				got := w.run(t, cfg, dir)
				require.NoError(t, got.checkErr)
				require.Empty(t, got.stderr, "no invariant broken, nobody killed")
				assert.Equal(t, 0, got.status)
				assert.Equal(t, ample.stdout, got.stdout)
				assert.Greater(t, got.stats.Evictions, uint64(0), "the memory is tiny: pages must be evicted")
			})
		}
	}
}

// stressConfigs returns a tiny machine for w for every policy, help
// level and swap layout.
func stressConfigs(w stressWorkload, r *rand.Rand) []Config {
	var all []Config
	for _, name := range policy.Names() {
		for _, level := range []cpu.Level{cpu.Precise, cpu.Log, cpu.Decode} {
			for _, swap := range []vm.SwapLayout{vm.SwapStatic, vm.SwapDynamic} {
				all = append(all, stressConfig(w, r, name, level, swap))
			}
		}
	}
	return all
}

// TestStressRunsAreDeterministic runs the same workload on the same tiny
// machine twice: the output and every counter are identical.
func TestStressRunsAreDeterministic(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 0x70795f6d))
	w := newStressWorkload(r)
	dir := w.write(t)
	for _, policy := range []string{"random", "esc"} {
		cfg := stressConfig(w, r, policy, cpu.Log, vm.SwapDynamic)
		first, second := w.run(t, cfg, dir), w.run(t, cfg, dir)
		require.NoError(t, first.checkErr)
		assert.Equal(t, w.want(), first.stdout, policy)
		assert.Equal(t, first, second, policy)
	}
}
