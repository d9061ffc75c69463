package kernel

import (
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"sync/atomic"

	"toyvm/cpu"
	"toyvm/dev"
	"toyvm/image"
	"toyvm/kernel/policy"
	"toyvm/kernel/vm"
	"toyvm/mmu"
)

// Config is everything a run can choose (the flags of `toyvm run`).
type Config struct {
	MemBytes       uint64    // physical memory; a multiple of the page size
	TLBSize        int       // TLB entries
	SoftwareRefill bool      // --tlb-refill sw
	ASID           bool      // --asid
	SoftwareDirty  bool      // --dirty sw
	Backup         cpu.Level // --backup
	Seed           uint64    // --seed: every random choice derives from it
	MaxSteps       uint64    // --max-steps; 0 for no limit
	Quantum        uint64    // --quantum: cycles a process runs before the timer preempts it
	Policy         string    // --policy: the page replacement policy
	Swap           vm.SwapLayout
	SwapSize       uint64    // --swap-size, bytes
	SwapFile       string    // --swap-file: keep the swap area in this new file ("": a temporary one)
	DiskLatency    uint64    // --disk-latency: cycles from a disk request to its interrupt
	DiskFaults     float64   // --disk-faults: the rate at which disk transfers fail (0 to 1)
	PoolLow        int       // --pool-low: the daemon runs when free and pool frames fall below this
	PoolHigh       int       // --pool-high: ... and evicts until they reach this
	Root           string    // --root: the folder that paths resolve in ("": none)
	RootReadOnly   bool      // the root may be read, not written (toyvm run's default root, without --writable)
	FileQuota      FileQuota // --file-quota: bytes written to files and files created, at most
	Trace          TraceSet  // --trace
	Check          bool      // --check: verify the kernel's invariants after every kernel entry
	// TrackAllocations records where in the kernel each frame was taken,
	// so that Leaks can say where a leaked frame came from (tests and the
	// grader set it; it costs a stack walk per frame).
	TrackAllocations bool
	Debugger         bool        // a debugger is attached: a BPT is counted and the process goes on, for it to stop there
	Assembler        Assembler   // assembles the .s programs spawn names (nil: only images can be spawned)
	Extensions       []Extension // --ext: handlers of kernel events installed at boot (event.go)
	Stdin            io.Reader
	Stdout, Stderr   io.Writer
}

// Kernel is the operating system of one machine: it owns the hardware
// (physical memory, MMU, clock, CPU) and the processes.
type Kernel struct {
	cfg    Config
	Phys   *mmu.Phys
	MMU    *mmu.MMU
	Clock  *dev.Clock
	Timer  *dev.Timer
	Disk   *dev.Disk
	CPU    *cpu.CPU
	Frames *vm.FrameTable

	checkErr      error // set by --check when an invariant breaks
	policy        policy.Policy
	policyTouches bool // the policy learns only from touches: sample the A bits for it
	bits          frameBits
	swap          *vm.Swap
	pendingWrites int // page write-backs in flight

	procs    []*Process
	first    *Process // the process `toyvm run` started, whose status it exits with
	current  *Process
	yield    bool // the current process gave up the CPU (yield, sleep(0))
	faultLog faultLog
	root     *os.Root // paths resolve inside it
	nextPID  int
	stats    Stats
	fileUse  fileUse   // against cfg.FileQuota
	programs progCache // programs spawn loaded, by content (progcache.go)
	lastCall syscallRecord
	// The handlers of each kind of event, in order (event.go).
	handlers [numEventKinds][]Registration
	reported bool        // the extensions have reported (reportExtensions)
	fatal    *FatalFault // a fatal fault held back for the debugger (debugview.go)
	lastSwap swapNote    // the last swap transfer started, for the debugger's catch swap

	upcallRegistered bool                 // a library OS exists: faults in self-paged ranges are upcalled (upcall.go)
	capGen           []uint16             // the generation of each frame's capability (capability.go)
	pagers           map[int]*pagerObject // the objects served by live pagers, by id (pager.go)
	nextPager        int
	// The shared memory segments (shm.go), and the last id given.
	segments    []*segment
	nextSegment uint32
	// The objects backed by files (mmap.go), and the shared object of
	// each file mapped shared.
	mappedFiles map[*vm.Object]*mappedFile
	sharedFiles map[dev.FileID]*vm.Object
	stdout      io.Writer // unbuffered: a program's write is the host's, errors and all
	stderr      io.Writer

	hostStop     atomic.Pointer[HostInterrupt] // set by Interrupt: stop the run
	outOfTime    bool                          // every process waits for an event at the clock's limit: the run ends
	outputFailed bool                          // a write to the host's stdout or stderr failed: said once
	bpts         uint64                        // BPT traps taken with a debugger attached
}

// New builds a machine with the configured hardware and an empty process
// table. It returns an error for an impossible configuration.
func New(cfg Config) (*Kernel, error) {
	if err := cfg.check(); err != nil {
		return nil, err
	}
	k := &Kernel{cfg: cfg, nextPID: 1, stderr: cfg.Stderr, stdout: cfg.Stdout,
		mappedFiles: map[*vm.Object]*mappedFile{}, sharedFiles: map[dev.FileID]*vm.Object{},
		pagers: map[int]*pagerObject{}}
	k.Phys = mmu.NewPhys(int(cfg.MemBytes / mmu.PageSize))
	k.MMU = mmu.New(k.Phys, mmu.Config{TLBSize: cfg.TLBSize, ASID: cfg.ASID,
		SoftwareRefill: cfg.SoftwareRefill, SoftwareDirty: cfg.SoftwareDirty})
	k.Clock = dev.NewClock()
	k.Timer = dev.NewTimer(k.Clock)
	k.Disk = dev.NewDisk(k.Clock, cfg.DiskLatency)
	if cfg.DiskFaults > 0 {
		k.Disk.SetFaults(cfg.DiskFaults, cfg.Seed)
	}
	k.CPU = cpu.New(k.MMU, k.Clock, cfg.Backup, k)
	k.watchWalks()
	k.Frames = vm.NewFrameTable(k.Phys.Frames())
	if cfg.TrackAllocations {
		k.Frames.TrackSites()
	}
	k.bits = frameBits{k}
	reg, err := policy.Lookup(cfg.Policy)
	if err != nil {
		return nil, err
	}
	k.policy, k.policyTouches = reg.Make(cfg.Seed), reg.Touches
	if k.root, err = openRoot(cfg.Root); err != nil {
		return nil, fmt.Errorf("root folder: %w", err)
	}
	store, err := swapStore(cfg)
	if err != nil {
		if k.root != nil {
			k.root.Close()
		}
		return nil, fmt.Errorf("--swap-file: %w", err)
	}
	k.swap = vm.NewSwap(cfg.Swap, store)
	k.registerVM()
	k.installExtensions()
	return k, nil
}

// swapStore returns the store of cfg's swap area: a sparse file, named
// by --swap-file (which must not exist) or temporary. It returns the
// host's error creating a named one.
func swapStore(cfg Config) (*dev.FileArea, error) {
	if cfg.SwapFile != "" {
		return dev.CreateArea("swap", cfg.SwapFile, int64(cfg.SwapSize))
	}
	return dev.NewTempArea("swap", int64(cfg.SwapSize)), nil
}

// Close releases what the machine holds on the host: the swap area's
// file (a --swap-file stays on disk) and the root folder. It returns the
// first error of closing them.
func (k *Kernel) Close() error {
	err := k.swap.Store.(io.Closer).Close()
	if k.root != nil {
		err = errors.Join(err, k.root.Close())
	}
	return err
}

// Defaults of the configuration that toyvm chooses itself.
const (
	DefaultDiskLatency = 20000 // cycles
	DefaultQuantum     = 10000 // cycles
)

// DefaultConfig returns the configuration of `toyvm run`'s
// defaults: 16M of memory, a 16-entry TLB refilled by the hardware, which
// also keeps the A and D bits, clock replacement, precise faults, a 64M
// dynamic swap area. The caller sets Stdout and Stderr.
func DefaultConfig() Config {
	cfg := Config{MemBytes: 16 << 20, TLBSize: 16, Backup: cpu.Precise, Seed: 1,
		Quantum: DefaultQuantum, Policy: "clock", Swap: vm.SwapDynamic, SwapSize: 64 << 20,
		DiskLatency: DefaultDiskLatency, FileQuota: DefaultFileQuota}
	cfg.PoolLow, cfg.PoolHigh = DefaultPool(int(cfg.MemBytes / mmu.PageSize))
	return cfg
}

// DefaultPool returns the default watermarks of the free pool for a
// memory of frames frames: 1/64 and 1/32 of memory, at least 2 and 4.
func DefaultPool(frames int) (low, high int) {
	return max(2, frames/64), max(4, frames/32)
}

// Limits on the machine's size.
const (
	MinMem = 64 << 10 // room for page tables and a few pages
	MaxMem = 4 << 30  // 20-bit frame numbers
	MaxTLB = 4096
	// MinSoftwareTLB is the smallest TLB software refill can work with:
	// an instruction restarts from its first byte after each refill, so
	// every page it touches (at most 14: its bytes across two pages, and
	// for each of three @(rN)+ operands a pointer and a target, each
	// across two) must fit in the TLB at once.
	MinSoftwareTLB = 16
	// MaxCycles bounds --quantum and --disk-latency: a trillion cycles,
	// far beyond any useful setting, and far below the clock's limit.
	MaxCycles = 1_000_000_000_000
	MaxSwap   = 1 << 40 // 1T: a swap area is a sparse file
)

func (cfg *Config) check() error {
	switch {
	case cfg.MemBytes%mmu.PageSize != 0:
		return fmt.Errorf("memory size %d is not a multiple of the page size (4K)", cfg.MemBytes)
	case cfg.MemBytes < MinMem || cfg.MemBytes > MaxMem:
		return fmt.Errorf("memory size %s is out of range (64K to 4G)", SizeText(cfg.MemBytes))
	case cfg.Quantum < 1 || cfg.Quantum > MaxCycles:
		return fmt.Errorf("quantum %d is out of range (1 to %d cycles)", cfg.Quantum, uint64(MaxCycles))
	case !(cfg.DiskFaults >= 0 && cfg.DiskFaults <= 1):
		return fmt.Errorf("disk fault rate %v is out of range (0 to 1)", cfg.DiskFaults)
	case cfg.DiskLatency > MaxCycles:
		return fmt.Errorf("disk latency %d is out of range (0 to %d cycles)", cfg.DiskLatency, uint64(MaxCycles))
	case cfg.PoolLow < 0 || cfg.PoolHigh < cfg.PoolLow || cfg.PoolHigh > int(cfg.MemBytes/mmu.PageSize)/2:
		return fmt.Errorf("pool watermarks %d and %d: want 0 <= low <= high <= half of memory", cfg.PoolLow, cfg.PoolHigh)
	case cfg.SwapSize%mmu.PageSize != 0 || cfg.SwapSize > MaxSwap:
		return fmt.Errorf("swap size %s is not a multiple of 4K up to 1T", SizeText(cfg.SwapSize))
	case cfg.TLBSize < 1 || cfg.TLBSize > MaxTLB:
		return fmt.Errorf("TLB size %d is out of range (1 to %d)", cfg.TLBSize, MaxTLB)
	case cfg.SoftwareRefill && cfg.TLBSize < MinSoftwareTLB:
		return fmt.Errorf("a software-refilled TLB needs at least %d entries, not %d: one instruction can touch 14 pages, and with fewer entries the kernel's refills would evict each other forever", MinSoftwareTLB, cfg.TLBSize)
	case cfg.Stdout == nil || cfg.Stderr == nil:
		panic("kernel.Config.check: Stdout and Stderr must be set")
	}
	return nil
}

// Run starts img as the first process with the arguments argv and runs
// the machine until no process is left, the step limit is reached, or
// Interrupt is called. It returns the first process's exit status (124
// at the step limit or the clock's limit, 125 if --check found a broken
// invariant, the interrupt's status), or an error if the program cannot
// be started.
func (k *Kernel) Run(img *image.Image, argv []string) (int, error) {
	if err := k.Boot(img, argv); err != nil {
		return 0, err
	}
	left := k.cfg.MaxSteps
	if left == 0 {
		left = ^uint64(0)
	}
	for left > 0 && k.hostStop.Load() == nil {
		left -= k.CPU.Run(min(left, runSlice))
		if k.CPU.Stopped() {
			break
		}
	}
	k.reportExtensions()
	return k.status(), nil
}

// runSlice is how many instructions Run lets the CPU run before it looks
// for an interrupt from the host (a few milliseconds). The slices change
// nothing the machine does: a run is the same however it is cut.
var runSlice uint64 = 1 << 20

// HostInterrupt is a request from the host to stop a run (a signal): its
// name, and the exit status the run ends with.
type HostInterrupt struct {
	Name   string // e.g. "SIGINT"
	Status int    // e.g. 130
}

// Interrupt asks Run to stop at the next instruction boundary (within a
// slice of instructions) and end with intr's status, saying where the
// run was. It is safe to call from another goroutine (a signal handler);
// the first call wins.
func (k *Kernel) Interrupt(intr HostInterrupt) { k.hostStop.CompareAndSwap(nil, &intr) }

// Boot creates the first process from img with the arguments argv and
// loads it into the CPU, ready to run its first instruction (the
// debugger then steps the CPU itself). It returns an error if the
// program cannot be started.
func (k *Kernel) Boot(img *image.Image, argv []string) error {
	first, err := k.Spawn(img, argv)
	if err != nil {
		return fmt.Errorf("cannot start %s: %w", argv[0], err)
	}
	k.switchTo(first)
	first.loadContext(k.CPU)
	k.CPU.PC, k.CPU.PSW = first.Ctx.PC, first.Ctx.PSW
	k.Timer.Arm(k.cfg.Quantum)
	k.first = first
	return nil
}

// Done reports whether the machine has finished: every process exited,
// or --check stopped it.
func (k *Kernel) Done() bool {
	return k.checkErr != nil || k.outOfTime || (k.first != nil && k.first.State == Zombie && k.pickNext() == nil && !k.anyBlocked())
}

// status returns the exit status of a run that has stopped: the first
// process's, or 125 for a broken invariant, or 124 (with its message)
// when the step limit or the clock's limit stopped it first.
func (k *Kernel) status() int {
	switch {
	case k.checkErr != nil:
		return StatusCheckFailed
	case k.hostStop.Load() != nil && !k.Done():
		return k.interrupted(*k.hostStop.Load())
	case k.outOfTime:
		fmt.Fprintf(k.stderr, "toyvm: stopped at cycle %d: every process waits for an event beyond the clock's limit (cycle 2^62)\n", k.Clock.Now())
		return StatusMaxSteps
	case k.Done():
		return k.first.Status
	}
	fmt.Fprintf(k.stderr, "toyvm: stopped after %d instructions (--max-steps %d)\n",
		k.CPU.Instructions, k.cfg.MaxSteps)
	return StatusMaxSteps
}

// interrupted says where the run was when the host interrupted it: the
// process on the CPU, its pc and the label there, and the instructions
// run. It returns the interrupt's status.
func (k *Kernel) interrupted(intr HostInterrupt) int {
	where := "before any process ran"
	if p := k.current; p != nil {
		pc := k.CPU.PC
		where = fmt.Sprintf("%s at pc 0x%08x", p, pc)
		if l := p.image.Label(pc); l != "" {
			where += " <" + l + ">"
		}
	}
	fmt.Fprintf(k.stderr, "toyvm: interrupted by %s: %s, after %d instructions (exit status %d)\n",
		intr.Name, where, k.CPU.Instructions, intr.Status)
	return intr.Status
}

// Processes returns the process table, in pid order (for the debugger's
// views: read, never change).
func (k *Kernel) Processes() []*Process { return k.procs }

// Current returns the process the CPU runs, nil before Boot.
func (k *Kernel) Current() *Process { return k.current }

// Policy returns the replacement policy in use.
func (k *Kernel) Policy() policy.Policy { return k.policy }

// SwapArea returns the swap area.
func (k *Kernel) SwapArea() *vm.Swap { return k.swap }

// exit ends process p with status: its memory is freed, it becomes a
// zombie holding the status for its parent's wait (which it wakes), and
// its children are orphaned (an orphan's exit status is not kept).
func (k *Kernel) exit(p *Process, status int) {
	if k.hooked(EvExit) {
		k.dispatch(&Event{Kind: EvExit, Proc: p})
	}
	k.closeFiles(p)
	k.dropLibOS(p)
	k.pagerExited(p)
	defer k.pokePagers() // it may have been a pager's last client
	k.destroySpace(p.Space)
	k.dropSegmentsOf(p)
	p.State, p.Status = Zombie, status
	if k.tracing(TraceSched) {
		k.trace(TraceSched, "pid %d: exits with status %d", p.PID, status)
	}
	for _, c := range slices.Clone(k.procs) {
		if c.Parent == p {
			k.orphan(c)
		}
	}
	if p.Parent != nil {
		k.wakeup(waitChannel{p.Parent})
	} else if p != k.first {
		k.reap(p)
	}
}

// orphan detaches a child from its exiting parent: a zombie child is
// reaped at once, a live one will be when it exits.
func (k *Kernel) orphan(c *Process) {
	c.Parent = nil
	if c.State == Zombie {
		k.reap(c)
	}
}

// Stats returns the counters of the run so far.
func (k *Kernel) Stats() Stats { return k.stats.withHardware(k) }
