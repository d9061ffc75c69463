package cpu

import (
	"toyvm/dev"
	"toyvm/isa"
	"toyvm/mmu"
)

// Cycle costs of the cost model (see doc.go).
const (
	InstCycles = 1  // every instruction, completed or not
	ByteCycles = 1  // every byte MOVC copies
	WalkCycles = 10 // every hardware page-table walk
)

// CPU is the processor: its registers, its control registers and the
// hardware it is wired to. The kernel reads and writes the exported
// fields between traps.
type CPU struct {
	R   [isa.NumRegs]uint32 // general registers; R[isa.SP] is sp
	PC  uint32
	PSW PSW

	// Control registers, set by a trap.
	FaultAddr, FaultPC uint32
	Cause              FaultCause
	SavedPC            uint32
	SavedPSW           PSW
	Interrupt          dev.Event // the device event of the last interrupt

	Cycles, Instructions uint64
	Traps                uint64 // traps and interrupts taken

	MMU     *mmu.MMU
	Clock   *dev.Clock
	Level   Level
	Handler Handler

	phys *mmu.Phys

	// The instruction in progress.
	start   uint32 // its first byte: fault_pc
	fetchPC uint32 // the next byte to fetch
	user    bool   // the mode it runs in
	args    [3]operand
	log     [maxLog]LogEntry
	nlog    int

	// Copies of translations (buffer.go).
	fetch                 pageCopy
	readPages, writePages dataCopies
	tlbGen                uint64 // the MMU generation the copies belong to
	hits                  uint64 // lookups they served, not yet reported
	unbuffered            bool   // a test's switch: never keep a copy

	// The debugger's breakpoints, watched pages and holds (debugstops.go).
	stops debugStops

	// Decoded instructions for the fast paths (decoded.go).
	decoded [decodedEntries]decoded

	// The clock, brought up to date lazily (clock.go).
	clockAt uint64 // Cycles when the clock was last advanced to match
	dueAt   uint64 // Cycles at which the clock's next event falls due

	walks  uint64 // the MMU's walk count already charged
	stop   bool
	halted bool
}

// New returns a CPU in supervisor mode with every register 0, wired to
// the MMU m (and its physical memory), the clock clk and the kernel h.
func New(m *mmu.MMU, clk *dev.Clock, level Level, h Handler) *CPU {
	c := &CPU{MMU: m, Clock: clk, Level: level, Handler: h, phys: m.Phys(),
		walks: m.Stats().Walks}
	c.dropCopies()
	for i := range c.decoded {
		c.decoded[i].clear()
	}
	return c
}

// Stop makes Run return once the current trap has returned. The handler
// calls it.
func (c *CPU) Stop() { c.stop = true }

// Stopped reports whether the last Run ended because the handler called
// Stop.
func (c *CPU) Stopped() bool { return c.stop }

// Halted reports whether the last Run ended on a HALT in supervisor mode.
func (c *CPU) Halted() bool { return c.halted }

// Run steps until max instructions have retired, Stop is called or a
// HALT runs in supervisor mode. It returns the instructions retired.
func (c *CPU) Run(max uint64) uint64 {
	c.stop, c.halted, c.stops.held = false, false, NotHeld
	c.resume()
	first := c.Instructions
	for c.Instructions-first < max && !c.stop && c.stops.held == NotHeld {
		// step, with the fast paths running as many instructions as
		// they can before the next interrupt falls due or max is
		// reached (or a breakpoint is met, under a debugger)
		if c.atBreakpoint() {
			c.stops.held = AtBreakpoint
			break
		}
		if c.due() {
			c.interrupt(c.PC)
			c.stops.retired = false
			continue
		}
		if c.runFast(min(max-(c.Instructions-first), c.dueAt-c.Cycles)) || c.atBreakpoint() {
			continue // the fast path stops before a breakpoint: the loop's top holds there
		}
		c.tick(InstCycles)
		before := c.Instructions
		c.execute()
		c.stops.retired = c.Instructions != before
		c.chargeWalks() // the fast path never walks
	}
	c.pause()
	return c.Instructions - first
}

// Step takes a due interrupt, or else runs one instruction (which may
// trap), and charges its cycles.
func (c *CPU) Step() {
	c.resume()
	c.step()
	c.pause()
}

// resume prepares to run after the caller may have changed anything: the
// MMU, the clock, the registers.
func (c *CPU) resume() {
	c.dropCopies()
	c.watchClock()
}

// pause brings the counters and the clock up to date before Run or Step
// returns.
func (c *CPU) pause() {
	c.reportHits()
	c.syncClock()
}

// step takes a due interrupt, or else runs one instruction.
func (c *CPU) step() {
	if c.due() {
		c.interrupt(c.PC)
		return
	}
	if !c.runFast(1) {
		c.tick(InstCycles)
		c.execute()
		c.chargeWalks() // the fast path never walks
	}
}

// chargeWalks charges the page-table walks the MMU made since last time.
func (c *CPU) chargeWalks() {
	if w := c.MMU.Stats().Walks; w != c.walks {
		c.tick((w - c.walks) * WalkCycles)
		c.walks = w
	}
}

// Unretire takes back the count of the SYS the last trap came after,
// which the kernel will run again (a system call that must wait sets pc
// back to it): like an instruction that faults, it has not completed,
// and is counted once, when it does. Its cycles stay spent.
func (c *CPU) Unretire() {
	if c.Instructions == 0 || c.Cause.Cause != isa.Syscall {
		panic("cpu.Unretire: the last trap did not come after a SYS")
	}
	c.Instructions--
}

// retire completes the instruction: the next one starts at next. The
// backup log is emptied: it describes only a fault, so after any
// instruction that completed, on the general path or a fast one,
// BackupLog is empty.
func (c *CPU) retire(next uint32) {
	c.PC = next
	c.Instructions++
	c.nlog = 0
}
