package cpu

import (
	"fmt"

	"toyvm/isa"
)

// Level is the hardware's help with instruction backup after a fault
// (docs/isa.md section 8, run option --backup).
type Level uint8

const (
	// Precise: the CPU undoes the register side effects itself; the
	// saved pc is the instruction's start.
	Precise Level = iota
	// Log: side effects stay applied; the saved pc is where fetching
	// stopped; the backup log lists every side effect.
	Log
	// Decode: as Log, without the log: the kernel decodes the bytes.
	Decode
)

var levelNames = [...]string{"precise", "log", "decode"}

// String returns "precise", "log" or "decode".
func (l Level) String() string {
	if int(l) < len(levelNames) {
		return levelNames[l]
	}
	return fmt.Sprintf("level(%d)", uint8(l))
}

// ParseLevel returns the level named s; it returns an error naming the
// valid levels if there is none.
func ParseLevel(s string) (Level, error) {
	for i, n := range levelNames {
		if n == s {
			return Level(i), nil
		}
	}
	return 0, fmt.Errorf("unknown backup level %q: want precise, log or decode", s)
}

// FaultCause is the fault_cause control register: the trap's cause, and
// for a memory fault the access and whether it was made in user mode.
// For other traps Access is isa.Read and User says the mode the trap
// came from.
type FaultCause struct {
	Cause  isa.Cause
	Access isa.Access
	User   bool
}

// Word returns the register as the hardware holds it: the cause in bits
// 0-7, the access in bits 8-9, bit 12 set for user mode.
func (f FaultCause) Word() uint32 {
	w := uint32(f.Cause) | uint32(f.Access)<<8
	if f.User {
		w |= 1 << 12
	}
	return w
}

// String returns e.g. "NOT_PRESENT user write" for a memory fault and
// "SYSCALL user" for any other trap.
func (f FaultCause) String() string {
	mode := "supervisor"
	if f.User {
		mode = "user"
	}
	if f.Cause.IsMemory() {
		return fmt.Sprintf("%v %s %v", f.Cause, mode, f.Access)
	}
	return fmt.Sprintf("%v %s", f.Cause, mode)
}

// LogEntry is one register side effect in the backup log: Reg was
// changed by Delta.
type LogEntry struct {
	Reg   isa.Reg
	Delta int32
}

// String returns e.g. "sp-4" or "r1+4".
func (e LogEntry) String() string { return fmt.Sprintf("%v%+d", e.Reg, e.Delta) }

// maxLog bounds the side effects of one instruction: one per general
// operand, and the implicit stack operand.
const maxLog = 4

// Handler is the kernel: the CPU calls Trap on every trap and interrupt,
// in supervisor mode. When Trap returns, the CPU returns from the trap:
// PC = SavedPC, PSW = SavedPSW (the kernel edits those, and R, to back up
// an instruction or to switch processes).
type Handler interface {
	Trap(c *CPU, cause isa.Cause)
}

// BackupLog returns the side effects of the instruction that took the
// last fault, in order, under Level Log; it is empty under the other
// levels and after an interrupt or a system call. The slice shares the
// CPU's fixed log: it is valid until the next instruction runs.
func (c *CPU) BackupLog() []LogEntry { return c.log[:c.nlog] }

// stepReg applies a register side effect and logs it.
func (c *CPU) stepReg(r isa.Reg, delta int32) {
	c.R[r] += uint32(delta)
	c.log[c.nlog] = LogEntry{Reg: r, Delta: delta}
	c.nlog++
}

// memFault takes the fault the MMU has just reported for an access.
func (c *CPU) memFault() {
	f := c.MMU.LastFault()
	if f == nil {
		panic("cpu.memFault: the MMU reported no fault")
	}
	c.FaultAddr = uint32(f.Addr)
	c.fault(FaultCause{Cause: f.Cause, Access: f.Access, User: f.User})
}

// raise takes a trap that an instruction raises part way: ILLEGAL,
// PRIVILEGED, DIVIDE. fault_addr is 0.
func (c *CPU) raise(cause isa.Cause) {
	c.FaultAddr = 0
	c.fault(FaultCause{Cause: cause, User: c.user})
}

// fault traps in the middle of an instruction, leaving the registers and
// the saved pc as the help level says (docs/isa.md section 8).
func (c *CPU) fault(fc FaultCause) {
	c.FaultPC = c.start
	saved := c.fetchPC
	switch c.Level {
	case Precise:
		c.undoLog()
		saved = c.start
	case Decode:
		c.nlog = 0
	}
	c.enter(fc, saved)
}

// undoLog reverses the logged side effects, last first, and empties the
// log.
func (c *CPU) undoLog() {
	for c.nlog > 0 {
		c.nlog--
		e := c.log[c.nlog]
		c.R[e.Reg] -= uint32(e.Delta)
	}
}

// trapAfter traps after an instruction that completed (SYS, BPT): the
// saved pc is the next instruction, already in PC.
func (c *CPU) trapAfter(cause isa.Cause) {
	c.FaultPC, c.FaultAddr, c.nlog = c.start, 0, 0
	c.enter(FaultCause{Cause: cause, User: c.user}, c.PC)
}

// interrupt takes the earliest due device event. resume is where the
// interrupted program continues: PC between instructions, the start of
// a MOVC between two of its bytes.
func (c *CPU) interrupt(resume uint32) {
	c.syncClock()
	ev, _ := c.Clock.PopDue()
	c.Interrupt = ev
	c.FaultPC, c.FaultAddr, c.nlog = resume, 0, 0
	c.enter(FaultCause{Cause: ev.Cause, User: c.PSW.User()}, resume)
}

// enter saves pc and psw, switches to supervisor mode and calls the
// handler; when it returns, it returns from the trap. Without a handler
// the CPU stops instead. The handler sees the clock and the TLB counters
// up to date; whatever it changes, the CPU's copies of translations and
// its clock deadline are recomputed after it.
func (c *CPU) enter(fc FaultCause, savedPC uint32) {
	c.Cause = fc
	c.SavedPC, c.SavedPSW = savedPC, c.PSW
	c.PSW &^= UserMode
	c.Traps++
	c.pause()
	if c.Handler != nil {
		c.Handler.Trap(c, fc.Cause)
	} else {
		c.stop = true
	}
	c.PC, c.PSW = c.SavedPC, c.SavedPSW
	c.resume()
}
