package kernel

import (
	"bufio"
	"fmt"
	"io"

	"toyvm/asm"
	"toyvm/cpu"
	"toyvm/dev"
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
	Trace          TraceSet  // --trace
	Stdout, Stderr io.Writer
}

// Kernel is the operating system of one machine: it owns the hardware
// (physical memory, MMU, clock, CPU) and the processes.
type Kernel struct {
	cfg    Config
	Phys   *mmu.Phys
	MMU    *mmu.MMU
	Clock  *dev.Clock
	Timer  *dev.Timer
	CPU    *cpu.CPU
	Frames *FrameTable

	procs   []*Process
	current *Process
	nextPID int
	stats   Stats
	stdout  *bufio.Writer
	stderr  io.Writer
}

// New builds a machine with the configured hardware and an empty process
// table. It returns an error for an impossible configuration.
func New(cfg Config) (*Kernel, error) {
	if err := cfg.check(); err != nil {
		return nil, err
	}
	k := &Kernel{cfg: cfg, nextPID: 1, stderr: cfg.Stderr, stdout: bufio.NewWriter(cfg.Stdout)}
	k.Phys = mmu.NewPhys(int(cfg.MemBytes / mmu.PageSize))
	k.MMU = mmu.New(k.Phys, mmu.Config{TLBSize: cfg.TLBSize, ASID: cfg.ASID,
		SoftwareRefill: cfg.SoftwareRefill, SoftwareDirty: cfg.SoftwareDirty})
	k.Clock = dev.NewClock()
	k.Timer = dev.NewTimer(k.Clock)
	k.CPU = cpu.New(k.MMU, k.Clock, cfg.Backup, k)
	k.Frames = NewFrameTable(k.Phys.Frames())
	return k, nil
}

// Limits on the machine's size.
const (
	MinMem = 64 << 10 // room for page tables and a few pages
	MaxMem = 4 << 30  // 20-bit frame numbers
	MaxTLB = 4096
)

func (cfg *Config) check() error {
	switch {
	case cfg.MemBytes%mmu.PageSize != 0:
		return fmt.Errorf("memory size %d is not a multiple of the page size (4K)", cfg.MemBytes)
	case cfg.MemBytes < MinMem || cfg.MemBytes > MaxMem:
		return fmt.Errorf("memory size %s is out of range (64K to 4G)", SizeText(cfg.MemBytes))
	case cfg.Quantum < 1:
		return fmt.Errorf("quantum %d is out of range (at least 1 cycle)", cfg.Quantum)
	case cfg.TLBSize < 1 || cfg.TLBSize > MaxTLB:
		return fmt.Errorf("TLB size %d is out of range (1 to %d)", cfg.TLBSize, MaxTLB)
	case cfg.Stdout == nil || cfg.Stderr == nil:
		panic("kernel.Config.check: Stdout and Stderr must be set")
	}
	return nil
}

// Run starts img as the first process with the arguments argv and runs
// the machine until no process is left or the step limit is reached. It
// returns the first process's exit status (124 at the step limit), or an
// error if the program cannot be started.
func (k *Kernel) Run(img *asm.Image, argv []string) (int, error) {
	first, err := k.Spawn(img, argv)
	if err != nil {
		return 0, fmt.Errorf("cannot start %s: %w", argv[0], err)
	}
	k.switchTo(first)
	first.loadContext(k.CPU)
	k.CPU.PC, k.CPU.PSW = first.Ctx.PC, first.Ctx.PSW
	k.Timer.Arm(k.cfg.Quantum)
	status := k.runUntilDone(first)
	return status, k.stdout.Flush()
}

// runUntilDone runs the CPU until first has exited (and every other
// process with it) or the step limit is hit.
func (k *Kernel) runUntilDone(first *Process) int {
	limit := k.cfg.MaxSteps
	if limit == 0 {
		limit = ^uint64(0)
	}
	k.CPU.Run(limit)
	if first.State == Zombie {
		return first.Status
	}
	k.stdout.Flush()
	fmt.Fprintf(k.stderr, "toyvm: stopped after %d instructions (--max-steps %d)\n",
		k.CPU.Instructions, k.cfg.MaxSteps)
	return StatusMaxSteps
}

// exit ends process p with status: its memory is freed and it becomes a
// zombie holding the status.
func (k *Kernel) exit(p *Process, status int) {
	p.Space.Destroy(k.Frames)
	p.State, p.Status = Zombie, status
	k.MMU.FlushTLB()
}

// stderrFlushed returns standard error after flushing standard output,
// so that the two keep their order on a terminal.
func (k *Kernel) stderrFlushed() io.Writer {
	k.stdout.Flush()
	return k.stderr
}

// Stats returns the counters of the run so far.
func (k *Kernel) Stats() Stats { return k.stats.withHardware(k) }
