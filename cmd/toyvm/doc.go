// Command toyvm assembles, disassembles and runs programs for the toyvm
// machine, replays page reference strings through its replacement
// policies, and debugs programs, at a prompt or from an editor. See
// README.md and docs/ for a tour.
//
// Files, one per subcommand:
//
//   - main.go: the command line (kong), its environment, exit statuses,
//     the usage after an error of use.
//   - run.go: toyvm run, its flags and the kernel configuration they make,
//     the signals that stop a run.
//   - profile.go: toyvm run's --cpuprofile and --memprofile, profiles of
//     toyvm itself (runtime/pprof) for go tool pprof.
//   - asm.go: toyvm asm and toyvm disasm.
//   - policy.go: toyvm policy.
//   - debug.go: toyvm debug, on a terminal or reading a script.
//   - dap.go: toyvm dap, the Debug Adapter Protocol (package dap), and
//     the launch arguments that are toyvm run's flags.
//   - atomic.go: a file written whole or not at all (images, counters).
package main
