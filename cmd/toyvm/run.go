package main

import (
	"github.com/alecthomas/kong"

	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"

	"toyvm/asm"
	"toyvm/cpu"
	"toyvm/image"
	"toyvm/kernel"
	"toyvm/kernel/ext"
	"toyvm/kernel/vm"
)

// RunCmd is `toyvm run`: its flags are those of the specification that
// this version of the kernel serves.
type RunCmd struct {
	Mem         string  `default:"16M" help:"Physical memory size: 64K to 4G, in 4K pages (64K, 4M, 1G, ...)."`
	TLB         int     `name:"tlb" default:"16" help:"Number of TLB entries: 1 to 4096 (16 or more with --tlb-refill sw)."`
	TLBRefill   string  `name:"tlb-refill" enum:"hw,sw" default:"hw" help:"TLB refill: the hardware walks the page table (hw), or a miss traps to the kernel (sw, which needs --tlb 16 or more)."`
	ASID        bool    `name:"asid" help:"Tag TLB entries with an address-space id instead of flushing the TLB on every cr3 write."`
	Dirty       string  `enum:"hw,sw" default:"hw" help:"Accessed/dirty bits set by the hardware (hw), or dirty bits simulated by the kernel (sw)."`
	Backup      string  `enum:"precise,log,decode" default:"precise" help:"Hardware help for instruction backup after a fault (precise, log, decode)."`
	Seed        uint64  `default:"1" help:"Seed from which every random choice derives: any 64-bit number."`
	MaxSteps    uint64  `name:"max-steps" default:"0" help:"Stop after this many instructions with exit status 124 (0: no limit)."`
	Quantum     uint64  `default:"10000" help:"Time slice in cycles, 1 to 10^12: the timer interrupts a process after this many."`
	Policy      string  `default:"clock" help:"Page replacement policy: ${policy_names}."`
	Swap        string  `enum:"static,dynamic" default:"dynamic" help:"Swap area layout: a reserved run of slots per region (static), or any free slot (dynamic)."`
	SwapFile    string  `name:"swap-file" placeholder:"PATH" help:"Keep the swap area in this new file, kept after the run (default: a temporary file, removed). An existing file is refused."`
	SwapSize    string  `name:"swap-size" default:"64M" help:"Size of the swap area: 0 to 1T, in 4K pages (64M, 1G, ...)."`
	DiskLatency uint64  `name:"disk-latency" default:"20000" help:"Cycles from a disk request to its completion interrupt: 0 to 10^12."`
	DiskFaults  float64 `name:"disk-faults" default:"0" placeholder:"RATE" help:"Fail this fraction of disk transfers, 0 to 1 (drawn from --seed): a request is tried 4 times, then a page-in kills its process (135), a write-back keeps its page in memory, a file transfer returns EIO."`
	PoolLow     int     `name:"pool-low" default:"-1" help:"The paging daemon runs when free and pool frames fall below this many (default: 1/64 of memory, at least 2; 0 to --pool-high)."`
	PoolHigh    int     `name:"pool-high" default:"-1" help:"... and evicts pages until they reach this many (default: 1/32 of memory, at least 4; at most half of memory)."`
	Stats       bool    `help:"Print the run's counters on standard error at exit."`
	StatsJSON   string  `name:"stats-json" placeholder:"FILE" help:"Write the run's counters to FILE as one JSON object."`
	CPUProfile  string  `name:"cpuprofile" placeholder:"FILE" help:"Write a CPU profile of toyvm itself during the run to FILE (runtime/pprof; read it with go tool pprof)."`
	MemProfile  string  `name:"memprofile" placeholder:"FILE" help:"Write a heap profile of toyvm itself, taken at the end of the run, to FILE (runtime/pprof)."`
	Ext         extList `placeholder:"NAME[,NAME]" help:"Install extensions, handlers of the kernel's events that serve faults their own way: ${ext_names}; --ext help says what each does."`
	Check       bool    `help:"Verify the kernel's invariants after every kernel entry; a violation stops the run."`
	Trace       string  `placeholder:"LIST" help:"Trace events on standard error: a comma-separated list of ${trace_names}, or all. faults: each page fault and how it was served; syscalls: each call and its result; tlb: walks, refills, cr3 writes, invalidations; sched: switches, blocking, waking; disk: requests and completions; daemon: evictions and pool levels."`
	Root        string  `type:"existingdir" placeholder:"DIR" help:"Folder that the program's paths resolve in, which it may write (default: the program's folder, read-only)."`
	Writable    bool    `help:"Let the program write to its own folder, the default root."`
	FileQuota   string  `name:"file-quota" default:"64M,256" placeholder:"SIZE[,FILES]" help:"Bytes the run's programs may write to files, and files they may create (beyond: EDQUOT)."`

	// Flag parsing ends at the program: everything after it, even
	// "-x" or "--help", is the program's own.
	Program string   `arg:"" passthrough:"partial" help:"Program to run: a .s source file or an assembled image."`
	Args    []string `arg:"" optional:"" passthrough:"partial" help:"Arguments passed to the program."`
}

// dropDashDash removes the "--" that may end toyvm's flags before the
// program: kong keeps it, as the program's arguments pass through.
func (r *RunCmd) dropDashDash() {
	if r.Program == "--" && len(r.Args) > 0 {
		r.Program, r.Args = r.Args[0], r.Args[1:]
	}
}

// Run loads the program, runs it and returns its exit status as an
// exitStatus, or an error of use.
func (r *RunCmd) Run(e env) error {
	r.dropDashDash()
	cfg, err := r.config(e)
	if err != nil {
		return err
	}
	img, err := asm.LoadFile(r.Program)
	if err != nil {
		return err
	}
	k, err := kernel.New(cfg)
	if err != nil {
		return err
	}
	defer k.Close()
	if err := r.checkStatsFile(); err != nil {
		return err
	}
	defer stopOnSignals(k)()
	status, err := r.runProfiled(k, img)
	if err != nil {
		return err
	}
	if err := r.writeStats(k.Stats(), e); err != nil {
		return err
	}
	return exitStatus(status)
}

// runProfiled runs img on k, under the profiles that --cpuprofile and
// --memprofile ask for, and returns the first process's exit status. It
// returns an error naming the flag if a profile's file cannot be created
// (before the run) or written (after it), and the kernel's error if the
// run fails.
func (r *RunCmd) runProfiled(k *kernel.Kernel, img *image.Image) (int, error) {
	p, err := startProfiles(r.CPUProfile, r.MemProfile, r.Program)
	if err != nil {
		return 0, err
	}
	status, err := k.Run(img, append([]string{r.Program}, r.Args...))
	return status, errors.Join(err, p.stop())
}

// checkStatsFile refuses, before the run, a --stats-json path where the
// counters cannot or must not be written: in a folder that does not
// exist, the program itself, or an existing file that is not a previous
// run's counters (a JSON object). It returns nil when there is no such
// flag.
func (r *RunCmd) checkStatsFile() error {
	if r.StatsJSON == "" {
		return nil
	}
	if _, err := os.Stat(filepath.Dir(r.StatsJSON)); err != nil {
		return fmt.Errorf("--stats-json: %w", err)
	}
	out, err := os.Stat(r.StatsJSON)
	if err != nil {
		return nil // a new file
	}
	if prog, err := os.Stat(r.Program); err == nil && os.SameFile(prog, out) {
		return fmt.Errorf("--stats-json: %s is the program: refusing to write the counters over it", r.StatsJSON)
	}
	if !looksLikeStats(r.StatsJSON) {
		return fmt.Errorf("--stats-json: %s exists and does not hold counters (a JSON object): refusing to replace it", r.StatsJSON)
	}
	return nil
}

// looksLikeStats reports whether the file at path is empty or starts,
// after white space, with "{": counters an earlier run wrote.
func looksLikeStats(path string) bool {
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	head := make([]byte, 64)
	n, _ := io.ReadFull(f, head)
	t := strings.TrimSpace(string(head[:n]))
	return t == "" || strings.HasPrefix(t, "{")
}

// config turns the flags into a kernel configuration, or an error naming
// the bad flag.
func (r *RunCmd) config(e env) (kernel.Config, error) {
	mem, err := kernel.ParseSize(r.Mem)
	if err != nil {
		return kernel.Config{}, fmt.Errorf("--mem: %w", err)
	}
	level, err := cpu.ParseLevel(r.Backup)
	if err != nil {
		return kernel.Config{}, fmt.Errorf("--backup: %w", err)
	}
	trace, err := kernel.ParseTrace(r.Trace)
	if err != nil {
		return kernel.Config{}, fmt.Errorf("--trace: %w", err)
	}
	swapSize, err := kernel.ParseSize(r.SwapSize)
	if err != nil {
		return kernel.Config{}, fmt.Errorf("--swap-size: %w", err)
	}
	layout, err := vm.ParseSwapLayout(r.Swap)
	if err != nil {
		return kernel.Config{}, fmt.Errorf("--swap: %w", err)
	}
	quota, err := kernel.ParseFileQuota(r.FileQuota)
	if err != nil {
		return kernel.Config{}, fmt.Errorf("--file-quota: %w", err)
	}
	exts, err := r.extensions()
	if err != nil {
		return kernel.Config{}, fmt.Errorf("--ext: %w", err)
	}
	readOnly := r.Root == "" && !r.Writable
	if r.Root == "" {
		r.Root = filepath.Dir(r.Program)
	}
	low, high := kernel.DefaultPool(int(mem / 4096))
	if r.PoolLow >= 0 {
		low = r.PoolLow
	}
	if r.PoolHigh >= 0 {
		high = r.PoolHigh
	}
	return kernel.Config{MemBytes: mem, TLBSize: r.TLB, SoftwareRefill: r.TLBRefill == "sw",
		ASID: r.ASID, SoftwareDirty: r.Dirty == "sw", Backup: level, Seed: r.Seed,
		MaxSteps: r.MaxSteps, Quantum: r.Quantum, Policy: r.Policy, Swap: layout,
		SwapSize: swapSize, SwapFile: r.SwapFile, DiskLatency: r.DiskLatency, DiskFaults: r.DiskFaults, PoolLow: low, PoolHigh: high, Root: r.Root,
		RootReadOnly: readOnly, FileQuota: quota, Extensions: exts,
		Assembler: asm.AssembleFS, Trace: trace, Check: r.Check, Stdin: e.stdin, Stdout: e.stdout, Stderr: e.stderr}, nil
}

// extensions returns the extensions that --ext names (none without it),
// or an error naming an unknown one.
func (r *RunCmd) extensions() ([]kernel.Extension, error) {
	if r.Ext == "" {
		return nil, nil
	}
	return ext.New(string(r.Ext))
}

// extList is the value of --ext: extension names, or "help", which lists
// them and exits before the program is looked for.
type extList string

// BeforeReset prints the extensions and exits when the flag is --ext
// help (kong calls it for a flag given on the command line).
func (extList) BeforeReset(app *kong.Kong, ctx *kong.Context, p *kong.Path) error {
	if v, ok := ctx.FlagValue(p.Flag).(extList); ok && v == "help" {
		fmt.Fprint(app.Stdout, ext.Help())
		app.Exit(0)
	}
	return nil
}

// writeStats prints the counters (--stats) and writes them as JSON to
// the --stats-json file, whole or not at all; it returns the error of
// writing that file.
func (r *RunCmd) writeStats(s kernel.Stats, e env) error {
	if r.Stats {
		s.WriteText(e.stderr)
	}
	if r.StatsJSON == "" {
		return nil
	}
	if err := writeAtomically(r.StatsJSON, s.WriteJSON); err != nil {
		return fmt.Errorf("--stats-json: %w", err)
	}
	return nil
}

// hostSignals are the signals that stop a run cleanly, with the exit
// status a shell gives a process they kill: 128 + the signal's number.
var hostSignals = map[os.Signal]kernel.HostInterrupt{
	os.Interrupt:    {Name: "SIGINT", Status: 130},
	syscall.SIGTERM: {Name: "SIGTERM", Status: 143},
}

// stopOnSignals makes SIGINT and SIGTERM stop k's run at the next
// instruction boundary, and returns the function that undoes it. After
// the first signal a second one has its default effect, so a user can
// always end toyvm.
func stopOnSignals(k *kernel.Kernel) (undo func()) {
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, os.Interrupt, syscall.SIGTERM)
	go func() {
		if sig, ok := <-ch; ok {
			signal.Reset(os.Interrupt, syscall.SIGTERM)
			k.Interrupt(hostSignals[sig])
		}
	}()
	return func() { signal.Stop(ch); close(ch) }
}
