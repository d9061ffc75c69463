// Package dap is `toyvm dap`: the Debug Adapter Protocol over the
// debugger's session (package debugger, its API for front ends in
// api.go), so that editors (VS Code, Neovim's nvim-dap, Emacs's dape)
// debug toyvm assembly. docs/dap.md says how to set them up and what
// each request does.
//
// Serve talks to one client. A launch builds a debugger.Session on the
// program; the guest's output goes to the client as output events. The
// protocol's threads are the live processes; a stack is the frame chain
// of the process the CPU runs (Session.Backtrace); its scopes are the
// registers with the psw, and the machine (the console's tlb, frames,
// ps, ...). Breakpoints are set by source line, by label (function
// breakpoints) and by address (instruction breakpoints), with
// conditions in the debugger's expressions, hit conditions and log
// messages; the exception filters are the debugger's catchpoints.
// Stepping back and reverse continue replay the run from boot, as the
// console's backstep does. evaluate takes expressions, and in the debug
// console the console's commands (pt, tlb, frames, x, ...), except
// those that run the guest.
//
// Concurrency: one goroutine, the request loop, runs every request. A
// request that runs the guest (continue, next, stepBack, ...) is
// answered at once; the guest then runs on its own goroutine, which owns
// the session until it hands its result back to the loop. Meanwhile the
// loop answers threads from what it knew, stops the run for a pause, a
// disconnect, or for a moment to change breakpoints (then lets it go
// on), and refuses the other requests. Bad input (a broken header, bad
// JSON, an unknown request, a request out of order) gets an error
// response, or, when the stream cannot be followed, ends the session
// with an error; never a panic.
//
// Files:
//
//   - wire.go: the base protocol: framing with limits, numbered writes.
//   - server.go: Serve, the session and its request loop.
//   - dispatch.go: decoding requests and running each; error responses.
//   - launch.go: initialize and the capabilities, launch (LaunchArgs,
//     Configure), configurationDone, restart, terminate, disconnect.
//   - breakpoints.go: the set...Breakpoints requests; exception filters.
//   - points.go: the client's breakpoints over the debugger's, and the
//     verdict at each: conditions, hits, log points.
//   - hitcond.go: hit conditions (N, >= N, == N, % N, ...).
//   - run.go: continue, next, stepIn, stepOut, stepBack, reverseContinue,
//     pause: the runs of the guest and the stops they report.
//   - stack.go: threads and stack traces.
//   - variables.go: scopes, variables (registers, psw, machine), and
//     setVariable.
//   - memory.go: readMemory and disassemble.
//   - evaluate.go: expressions, and the console's commands.
package dap
