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
	log     [maxLog]LogEntry
	nlog    int

	// The prefetch buffer (fetch.go).
	fetchBase uint32              // virtual address of the buffered page, or noPage
	fetchBuf  *[isa.PageSize]byte // the frame it maps to

	walks  uint64 // the MMU's walk count already charged
	stop   bool
	halted bool
}

// New returns a CPU in supervisor mode with every register 0, wired to
// the MMU m (and its physical memory), the clock clk and the kernel h.
func New(m *mmu.MMU, clk *dev.Clock, level Level, h Handler) *CPU {
	return &CPU{MMU: m, Clock: clk, Level: level, Handler: h, phys: m.Phys(),
		walks: m.Stats().Walks, fetchBase: noPage}
}

// Stop makes Run return once the current trap has returned. The handler
// calls it.
func (c *CPU) Stop() { c.stop = true }

// Halted reports whether the last Run ended on a HALT in supervisor mode.
func (c *CPU) Halted() bool { return c.halted }

// Run steps until max instructions have retired, Stop is called or a
// HALT runs in supervisor mode. It returns the instructions retired.
func (c *CPU) Run(max uint64) uint64 {
	c.stop, c.halted = false, false
	c.dropFetch()
	first := c.Instructions
	for c.Instructions-first < max && !c.stop {
		if c.Clock.Due() {
			c.interrupt(c.PC)
			continue
		}
		c.tick(InstCycles)
		c.execute()
		c.chargeWalks()
	}
	return c.Instructions - first
}

// Step takes a due interrupt, or else runs one instruction (which may
// trap), and charges its cycles.
func (c *CPU) Step() {
	c.dropFetch() // the caller may have changed the MMU
	c.step()
}

// step is Step for Run's loop.
func (c *CPU) step() {
	if c.Clock.Due() {
		c.interrupt(c.PC)
		return
	}
	c.tick(InstCycles)
	c.execute()
	c.chargeWalks()
}

// tick advances the cycle counter and the clock by n cycles.
func (c *CPU) tick(n uint64) {
	c.Cycles += n
	c.Clock.Advance(n)
}

// chargeWalks charges the page-table walks the MMU made since last time.
func (c *CPU) chargeWalks() {
	if w := c.MMU.Stats().Walks; w != c.walks {
		c.tick((w - c.walks) * WalkCycles)
		c.walks = w
		c.dropFetch()
	}
}

// retire completes the instruction: the next one starts at next.
func (c *CPU) retire(next uint32) {
	c.PC = next
	c.Instructions++
}
