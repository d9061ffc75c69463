package kernel

// The public tests of the tlbrefill kit (kits/tlbrefill/README.md): the
// kernel's TLB refill handler under --tlb-refill sw (the accessed and
// dirty bits it keeps, a clean page entered without W, a miss on a page
// not present), the loading of an address space on a switch, and the
// invalidation of one page's entry, with and without ASIDs. Every run
// has the kernel's invariants checked after every kernel entry (--check:
// among them, that every TLB entry agrees with the page table of the
// process it belongs to) and, once every process has exited, nothing
// leaked.

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"toyvm/asm"
	"toyvm/image"
	"toyvm/mmu"
)

// kitTLBRun runs img with argv on a machine of cfg, with the invariants
// checked and the allocations tracked, and fails the test if a check
// failed, a process has not exited, or anything leaked.
func kitTLBRun(t *testing.T, img *image.Image, argv []string, cfg Config) (stdout, stderr string, status int, k *Kernel) {
	t.Helper()
	cfg.Check, cfg.TrackAllocations = true, true
	k, out, errb := newKernel(t, cfg)
	defer k.Close()
	status, err := k.Run(img, argv)
	require.NoError(t, err)
	kitTLBNoViolation(t, k, errb.String())
	for _, p := range k.procs {
		require.Equal(t, Zombie, p.State, "%v has not exited: %s", p, errb)
	}
	require.NoError(t, k.Leaks(), "nothing leaks: %s", errb)
	return out.String(), errb.String(), status, k
}

// kitTLBNoViolation fails the test if --check stopped the run, with
// what the run wrote besides.
func kitTLBNoViolation(t *testing.T, k *Kernel, stderr string) {
	t.Helper()
	if k.checkErr == nil {
		return
	}
	msg := "the kernel's invariants, checked after every kernel entry (--check)"
	if rest := strings.TrimSpace(strings.ReplaceAll(stderr, "toyvm: --check: "+k.checkErr.Error(), "")); rest != "" {
		msg += "; the run wrote: " + rest
	}
	require.NoError(t, k.checkErr, msg)
}

// kitTLBSample returns a sample program of programs/, assembled, and
// the output it must print (its .out file).
func kitTLBSample(t *testing.T, name string) (*image.Image, string) {
	t.Helper()
	path := filepath.Join("..", "programs", name)
	img, err := asm.LoadFile(path)
	require.NoError(t, err)
	want, err := os.ReadFile(strings.TrimSuffix(path, ".s") + ".out")
	require.NoError(t, err)
	return img, string(want)
}

// kitTLBRunSample runs a sample program with programs/ as its root and
// requires the output of its .out file and the exit status 0.
func kitTLBRunSample(t *testing.T, name string, cfg Config, what string) *Kernel {
	t.Helper()
	img, want := kitTLBSample(t, name)
	cfg.Root, cfg.RootReadOnly = filepath.Join("..", "programs"), true
	out, errs, status, k := kitTLBRun(t, img, []string{name}, cfg)
	require.Equal(t, 0, status, "%s %s exits with 0: %s", name, what, errs)
	kitTLBSameOutput(t, want, out, name+" "+what)
	return k
}

// kitTLBSameOutput requires got to be want, and shows the first line
// where it is not.
func kitTLBSameOutput(t *testing.T, want, got, what string) {
	t.Helper()
	if want == got {
		return
	}
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	i := 0
	for i < len(w) && i < len(g) && w[i] == g[i] {
		i++
	}
	line := func(l []string) string {
		if i < len(l) {
			return fmt.Sprintf("%q", l[i])
		}
		return "nothing more"
	}
	require.Failf(t, "wrong output:", "%s prints %s on line %d, where the defaults print %s", what, line(g), i+1, line(w))
}

// kitTLBMachine is a machine a test runs on, and its flags.
type kitTLBMachine struct {
	name string
	cfg  Config
}

// kitTLBSmall makes cfg a machine of 64K (16 frames): pages come and go.
func kitTLBSmall(cfg Config) Config {
	cfg.MemBytes = 64 << 10
	cfg.PoolLow, cfg.PoolHigh = DefaultPool(16)
	return cfg
}

// kitTLBSoftware returns the test machine with --tlb-refill sw.
func kitTLBSoftware() Config {
	cfg := testConfig()
	cfg.SoftwareRefill = true
	return cfg
}

// kitTLBPages is a program that reads a word of page x, writes a word
// of page y, reads then writes a word of page z, and then spins until
// --max-steps stops it, its address space still there to look at.
const kitTLBPages = `
start:  mov     x, r1                   ; read x
        mov     #5, y                   ; write y: its first access
        mov     z, r2                   ; read z
        mov     #6, z                   ; then write it
spin:   br      spin
        .data
        .align  4096
x:      .word   1
        .align  4096
y:      .word   2
        .align  4096
z:      .word   3
`

// kitTLBStopped runs src until --max-steps stops it, checked, and
// returns the kernel, its first process and the image.
func kitTLBStopped(t *testing.T, src string, cfg Config) (*Kernel, *Process, *image.Image) {
	t.Helper()
	img := assemble(t, src)
	cfg.Check, cfg.MaxSteps = true, 3000
	_, errs, status, k := runImage(t, img, cfg)
	kitTLBNoViolation(t, k, errs)
	require.Equal(t, StatusMaxSteps, status, "the program runs until --max-steps stops it: %s", errs)
	return k, firstProcess(t, k), img
}

// kitTLBEntry returns the TLB's valid entry for the page of va tagged
// with asid, if there is one.
func kitTLBEntry(k *Kernel, va mmu.VAddr, asid uint16) (mmu.TLBEntry, bool) {
	for _, e := range k.MMU.TLBEntries() {
		if e.Valid && e.VPN == va.VPN() && e.ASID == asid {
			return e, true
		}
	}
	return mmu.TLBEntry{}, false
}

func TestKitTLBRefillEveryMissIsRefilledByTheKernel(t *testing.T) {
	for _, name := range []string{"hello.s", "fib.s", "modes.s", "sort.s", "sieve.s", "strings.s"} {
		t.Run(name, func(t *testing.T) {
			k := kitTLBRunSample(t, name, kitTLBSoftware(), "under --tlb-refill sw")
			s := k.Stats()
			assert.Positive(t, s.TLBRefills, "the kernel wrote the TLB's entries (tlb_refills)")
			assert.Equal(t, s.TLBMisses, s.TLBRefills, "every TLB miss is a trap the kernel serves with a refill (tlb_misses, tlb_refills)")
		})
	}
}

func TestKitTLBRefillSetsTheAccessedAndDirtyBits(t *testing.T) {
	// Under --tlb-refill sw no hardware walks the page table: the bits
	// it would set, the kernel sets.
	_, p, img := kitTLBStopped(t, kitTLBPages, kitTLBSoftware())
	for _, c := range []struct {
		label       string
		what        string
		accessed, d bool
	}{
		{"start", "the text, fetched", true, false},
		{"x", "page x, read", true, false},
		{"y", "page y, written", true, true},
		{"z", "page z, read then written", true, true},
	} {
		va := mmu.VAddr(symbol(t, img, c.label))
		pte := p.Space.PT.Lookup(va).PTE
		require.True(t, pte.Has(mmu.V|mmu.P), "%s (%s) is present: %v", c.what, va, pte)
		assert.Equal(t, c.accessed, pte.Has(mmu.A), "%s (%s): the accessed bit of its page-table entry %v", c.what, va, pte)
		assert.Equal(t, c.d, pte.Has(mmu.D), "%s (%s): the dirty bit of its page-table entry %v", c.what, va, pte)
	}
}

func TestKitTLBRefillEntersACleanPageWithoutW(t *testing.T) {
	// The TLB never sets a dirty bit under --tlb-refill sw: a writable
	// page that is clean is entered without W, so that its first write
	// traps and the kernel records it (dirty_faults). A page whose first
	// access is a write is dirty at once: no second trap.
	k, p, img := kitTLBStopped(t, kitTLBPages, kitTLBSoftware())
	for _, c := range []struct {
		label string
		what  string
		w, d  bool
	}{
		{"x", "page x, writable but only read", false, false},
		{"y", "page y, written", true, true},
		{"z", "page z, read then written", true, true},
	} {
		va := mmu.VAddr(symbol(t, img, c.label))
		require.True(t, p.Space.PT.Lookup(va).PTE.Has(mmu.W), "%s is writable (a bug in the test)", c.what)
		e, ok := kitTLBEntry(k, va, 0)
		require.True(t, ok, "the TLB holds an entry for %s (%s): %v", c.what, va, k.MMU.TLBEntries())
		assert.Equal(t, c.w, e.W, "%s: W in its TLB entry %v", c.what, e)
		assert.Equal(t, c.d, e.D, "%s: D in its TLB entry %v", c.what, e)
	}
	assert.Equal(t, uint64(1), k.Stats().DirtyFaults,
		"one first write trapped (dirty_faults): z's, after its read; y's first access was the write")
}

// kitTLBRewrite fills 24 pages (more than the 16 frames of 64K), then
// adds 1000 to a word of each (a read, then a write, of a page that
// came back clean from swap), and then checks every word: it exits with
// 0, or with 100 + the page whose word is wrong.
const kitTLBRewrite = `
start:  mov     #buf, r4                ; fill: page i gets the word i
        clr     r5
fill:   mov     r5, (r4)
        add     #4096, r4
        inc     r5
        cmp     r5, #24
        bne     fill
        mov     #buf, r4                ; read and write back each word
        clr     r5
again:  add     #1000, (r4)
        add     #4096, r4
        inc     r5
        cmp     r5, #24
        bne     again
        mov     #buf, r4                ; check
        clr     r5
check:  mov     r5, r6
        add     #1000, r6
        cmp     r6, (r4)
        bne     bad
        add     #4096, r4
        inc     r5
        cmp     r5, #24
        bne     check
        mov     #1, r0
        clr     r1
        sys
bad:    mov     r5, r1
        add     #100, r1
        mov     #1, r0
        sys
        .data
buf:    .space  98304
`

// kitTLBRewritten fails the test unless status, a kitTLBRewrite's exit
// status, is 0, saying which page lost its write.
func kitTLBRewritten(t *testing.T, status int, what, stderr string) {
	t.Helper()
	if status >= 100 && status < 124 {
		require.Failf(t, "a write was lost:", "page %d of 24 (%s), read, then written, then evicted, came back without "+
			"what was written: was it dirty when it was evicted? %s", status-100, what, stderr)
	}
	require.Equal(t, 0, status, "the exit status (%s): %s", what, stderr)
}

func TestKitTLBRefillPagesInOnAMissInTinyMemory(t *testing.T) {
	sw, swDirty := kitTLBSmall(kitTLBSoftware()), kitTLBSmall(kitTLBSoftware())
	swDirty.SoftwareDirty = true
	for _, m := range []kitTLBMachine{{"--tlb-refill sw", sw}, {"--tlb-refill sw --dirty sw", swDirty}} {
		cfg := m.cfg
		t.Run(m.name, func(t *testing.T) {
			what := "under " + m.name + " in 64K"
			_, errs, status, k := kitTLBRun(t, assemble(t, kitTLBRewrite), []string{"test.s"}, cfg)
			kitTLBRewritten(t, status, what, errs)
			s := k.Stats()
			assert.Positive(t, s.SwapIns, "pages came back from swap (%s)", what)
			assert.Equal(t, s.TLBMisses, s.TLBRefills, "every TLB miss is refilled by the kernel (%s)", what)
			k = kitTLBRunSample(t, "linear.s", cfg, what)
			assert.Positive(t, k.Stats().SwapIns, "linear.s: pages came back from swap (%s)", what)
			for _, sample := range []string{"sort.s", "recursion.s", "sieve.s"} {
				kitTLBRunSample(t, sample, cfg, what)
			}
		})
	}
}

// kitTLBPaging is what a run's paging did: the faults (less the first
// writes a kernel that keeps the dirty bits traps), the reads from the
// disk, the evictions, and the swap traffic.
type kitTLBPaging struct {
	Faults, Major, Evictions, SwapIns, SwapOuts uint64
}

func kitTLBPagingOf(s Stats) kitTLBPaging {
	return kitTLBPaging{s.PageFaults - s.DirtyFaults, s.MajorFaults, s.Evictions, s.SwapIns, s.SwapOuts}
}

func TestKitTLBRefillPagesAsTheHardwareWalkerDoes(t *testing.T) {
	// In 64K under the clock policy, which reads the accessed bits: a
	// refill that sets A (and D) as the hardware's walker does makes the
	// same choices, so the paging is the same, fault for fault.
	for _, name := range []string{"linear.s", "recursion.s", "shuffle.s", "cow.s", "fork.s"} {
		t.Run(name, func(t *testing.T) {
			hw, sw := kitTLBSmall(testConfig()), kitTLBSmall(kitTLBSoftware())
			want := kitTLBPagingOf(kitTLBRunSample(t, name, hw, "in 64K").Stats())
			got := kitTLBPagingOf(kitTLBRunSample(t, name, sw, "under --tlb-refill sw in 64K").Stats())
			assert.Equal(t, want, got, "%s in 64K: the paging under --tlb-refill sw (page faults less dirty faults, "+
				"major faults, evictions, swap-ins, swap-outs) is that of the hardware's walker: %+v, not %+v", name, want, got)
		})
	}
}

func TestKitTLBRefillForkAndCopyOnWrite(t *testing.T) {
	asid := kitTLBSoftware()
	asid.ASID = true
	for _, m := range []kitTLBMachine{
		{"--tlb-refill sw", kitTLBSoftware()},
		{"--tlb-refill sw --asid", asid},
		{"--tlb-refill sw in 64K", kitTLBSmall(kitTLBSoftware())},
		{"--tlb-refill sw --asid in 64K", kitTLBSmall(asid)},
	} {
		t.Run(m.name, func(t *testing.T) {
			for _, sample := range []string{"cow.s", "fork.s"} {
				kitTLBRunSample(t, sample, m.cfg, "under "+m.name)
			}
		})
	}
}

// kitTLBLoop adds 1 to a word of each of 6 pages, 3000 times over, and
// exits: two of it running side by side, with a short time slice, switch
// often, each with its pages in the TLB.
const kitTLBLoop = `
start:  mov     #3000, r6
again:  mov     #buf, r4
        mov     #6, r5
touch:  add     #1, (r4)
        add     #4096, r4
        dec     r5
        bne     touch
        dec     r6
        bne     again
        mov     #1, r0
        clr     r1
        sys
        .data
buf:    .space  24576
`

// kitTLBTwo runs two kitTLBLoop processes on a machine of cfg with a
// 32-entry TLB and a short time slice, checked; it returns the kernel.
func kitTLBTwo(t *testing.T, cfg Config) *Kernel {
	t.Helper()
	cfg.TLBSize, cfg.Quantum, cfg.Check, cfg.TrackAllocations = 32, 500, true, true
	k, _, errb := newKernel(t, cfg)
	defer k.Close()
	spawn(t, k, kitTLBLoop)
	status, err := k.Run(assemble(t, kitTLBLoop), []string{"test.s"})
	require.NoError(t, err)
	kitTLBNoViolation(t, k, errb.String())
	require.Equal(t, 0, status, errb.String())
	require.NoError(t, k.Leaks(), "nothing leaks: %s", errb)
	require.Greater(t, k.Stats().ContextSwitches, uint64(100), "the two processes took turns")
	return k
}

func TestKitTLBRefillASIDsKeepTheEntriesAcrossSwitches(t *testing.T) {
	for _, sw := range []bool{false, true} {
		t.Run(fmt.Sprint("--tlb-refill sw ", sw), func(t *testing.T) {
			cfg := testConfig()
			cfg.SoftwareRefill = sw
			flushed := kitTLBTwo(t, cfg).Stats()
			assert.GreaterOrEqual(t, flushed.TLBFlushes, flushed.ContextSwitches,
				"without ASIDs, loading an address space flushes the TLB (tlb_flushes)")
			cfg.ASID = true
			tagged := kitTLBTwo(t, cfg).Stats()
			assert.Zero(t, tagged.TLBFlushes, "with ASIDs, no switch flushes the TLB (tlb_flushes; %d switches)", tagged.ContextSwitches)
			assert.Less(t, tagged.TLBMisses, uint64(40),
				"with ASIDs, each process finds its entries in the TLB when it runs again: %d misses, %d without ASIDs",
				tagged.TLBMisses, flushed.TLBMisses)
		})
	}
}

// kitTLBTouch touches 3 pages (a read, a write, a read) and spins.
const kitTLBTouch = `
start:  mov     buf, r1
        mov     #1, buf+4096
        mov     buf+8192, r2
spin:   br      spin
        .data
buf:    .space  12288
`

// kitTLBBoth starts two kitTLBTouch processes and runs them until both
// have touched their pages; it returns the kernel and the process that
// is not current.
func kitTLBBoth(t *testing.T, cfg Config) (*Kernel, *Process) {
	t.Helper()
	cfg.Quantum, cfg.MaxSteps, cfg.Check, cfg.TLBSize = 200, 4000, true, 32
	cfg.DiskLatency = 100 // both programs' pages come in long before the end
	k, _, errb := newKernel(t, cfg)
	spawn(t, k, kitTLBTouch)
	status, err := k.Run(assemble(t, kitTLBTouch), []string{"test.s"})
	require.NoError(t, err)
	kitTLBNoViolation(t, k, errb.String())
	require.Equal(t, StatusMaxSteps, status, errb.String())
	require.Len(t, k.procs, 2)
	other := k.procs[0]
	if other == k.current {
		other = k.procs[1]
	}
	return k, other
}

func TestKitTLBRefillInvalidateDropsOnlyThatSpacesEntry(t *testing.T) {
	buf := mmu.VAddr(symbol(t, assemble(t, kitTLBTouch), "buf")) // both processes use it
	for _, sw := range []bool{false, true} {
		t.Run(fmt.Sprint("asid, --tlb-refill sw ", sw), func(t *testing.T) {
			cfg := testConfig()
			cfg.ASID, cfg.SoftwareRefill = true, sw
			k, other := kitTLBBoth(t, cfg)
			cur := k.current
			for _, p := range []*Process{cur, other} {
				_, ok := kitTLBEntry(k, buf, p.Space.ASID)
				require.True(t, ok, "with ASIDs the TLB holds pid %d's entry for %s after a switch: %v", p.PID, buf, k.MMU.TLBEntries())
			}
			k.invalidate(other.Space, buf)
			_, ok := kitTLBEntry(k, buf, other.Space.ASID)
			assert.False(t, ok, "invalidate of pid %d's %s, pid %d running: its entry (asid %d) is gone", other.PID, buf, cur.PID, other.Space.ASID)
			_, ok = kitTLBEntry(k, buf, cur.Space.ASID)
			assert.True(t, ok, "invalidate of pid %d's %s leaves the entry of pid %d, running, for the same address", other.PID, buf, cur.PID)
			k.invalidate(cur.Space, buf)
			_, ok = kitTLBEntry(k, buf, cur.Space.ASID)
			assert.False(t, ok, "invalidate of pid %d's %s, running: its entry is gone", cur.PID, buf)
			kitTLBNoViolation(t, k, "")
		})
		t.Run(fmt.Sprint("no asid, --tlb-refill sw ", sw), func(t *testing.T) {
			cfg := testConfig()
			cfg.SoftwareRefill = sw
			k, other := kitTLBBoth(t, cfg)
			cur := k.current
			pte := cur.Space.PT.Lookup(buf).PTE
			require.True(t, pte.Has(mmu.V|mmu.P), "pid %d touched %s", cur.PID, buf)
			k.MMU.InsertTLB(buf, pte) // the running process's entry, as a refill writes it
			k.invalidate(other.Space, buf)
			_, ok := kitTLBEntry(k, buf, 0)
			assert.True(t, ok, "without ASIDs the TLB holds the running process's entries only: "+
				"invalidate of pid %d's %s leaves the entry of pid %d, running, for the same address", other.PID, buf, cur.PID)
			k.invalidate(cur.Space, buf)
			_, ok = kitTLBEntry(k, buf, 0)
			assert.False(t, ok, "invalidate of pid %d's %s, running: its entry is gone", cur.PID, buf)
		})
	}
}

func TestKitTLBRefillProcessesShareTinyMemoryWithASIDs(t *testing.T) {
	// Three processes in 64K: the paging daemon evicts pages of processes
	// that are not running, whose entries an ASID-tagged TLB still holds.
	hw, sw := kitTLBSmall(testConfig()), kitTLBSmall(kitTLBSoftware())
	hw.TLBSize = 4
	for _, m := range []kitTLBMachine{{"--asid --tlb 4", hw}, {"--asid --tlb-refill sw", sw}} {
		cfg := m.cfg
		t.Run(m.name, func(t *testing.T) {
			cfg.ASID, cfg.Quantum = true, 2000
			cfg.Check, cfg.TrackAllocations = true, true
			k, _, errb := newKernel(t, cfg)
			defer k.Close()
			spawn(t, k, kitTLBRewrite)
			spawn(t, k, kitTLBRewrite)
			status, err := k.Run(assemble(t, kitTLBRewrite), []string{"test.s"})
			require.NoError(t, err)
			kitTLBNoViolation(t, k, errb.String())
			for _, p := range k.procs {
				require.Equal(t, Zombie, p.State, "%v has not exited: %s", p, errb)
				kitTLBRewritten(t, p.Status, fmt.Sprintf("pid %d of 3 %s in 64K", p.PID, m.name), errb.String())
			}
			assert.Equal(t, 0, status)
			require.NoError(t, k.Leaks(), "nothing leaks: %s", errb)
			assert.Positive(t, k.Stats().Evictions)
			assert.Positive(t, k.Stats().ContextSwitches)
		})
	}
}
