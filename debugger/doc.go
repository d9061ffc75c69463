// Package debugger is `toyvm debug`: a command loop over a running
// machine that shows the hardware and the kernel at work. A student steps
// a program and watches the TLB miss, the page walk, the fault and how the
// kernel served it, the frames change hands.
//
// A Session holds the machine (a kernel built from a kernel.Config, a
// program image and its arguments, booted and standing at the program's
// first instruction), the breakpoints, watchpoints and catchpoints, and
// the source files for `list`. Exec runs one command line; Serve reads
// lines from a Reader until quit or the end of input. The debugger only
// reads the kernel (its exported views and kernel/debugview.go), except
// for `set` and `trace`, which go through the kernel's own methods.
//
// Input: when standard input is a terminal, TerminalReader reads lines
// with github.com/peterh/liner (editing, history, completion) and the
// session gives the terminal back while the guest runs. Otherwise
// PlainReader reads plain lines and the debugger prints no prompt and no
// echo: only each command's output, so that scripts and golden files stay
// quiet.
//
// One instruction, for the debugger, is everything the CPU does until an
// instruction retires: the traps it takes (a page fault is served and the
// instruction runs again) and the interrupts before it. Catchpoints
// compare the kernel's counters before and after it. Stepping runs one
// such instruction at a time; continue runs the CPU at its own speed and
// stops at the same places (fastrun.go).
//
// Files:
//
//   - session.go: Session, New, the guest's output gate, colours.
//   - input.go: Reader, Serve, PlainReader.
//   - terminal.go: TerminalReader (liner), history, completion.
//   - commands.go: the command table, Exec, help, argument helpers.
//   - suggest.go: the nearest name by edit distance, for typos.
//   - expr.go: address expressions (labels, numbers, registers, + and -)
//     and FILE:LINE locations.
//   - exec.go: running the guest: resume, breakpoints, stop reports.
//   - fastrun.go: continue at the CPU's speed: breakpoints and watched
//     words in the CPU, catchpoints seen from a trap observer.
//   - cmdrun.go: run, continue, step, next, finish, until, backstep.
//   - replay.go: Backstep by replay from boot; the recording of the
//     guest's standard input and of the user's edits (set) it replays.
//   - state.go: Digest, the whole observable machine state, and Diff.
//   - points.go, cmdpoints.go: breakpoints, watchpoints, catchpoints.
//   - memory.go: reading virtual and physical memory without faulting.
//   - where.go: addresses as labels and source lines; the source files.
//   - cmdview.go: regs, x, xp, disasm, list, set.
//   - cmdmachine.go, cmdinfo.go: pt, tlb, frames, ps, info, stats, trace.
package debugger
