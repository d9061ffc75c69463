package main

import (
	"errors"
	"fmt"
	"os"
	"os/signal"
	"strings"

	"github.com/mattn/go-isatty"

	"toyvm/asm"
	"toyvm/debugger"
)

// DebugCmd is `toyvm debug`: the debugger, over a machine configured by
// the same flags as `toyvm run` (docs/debugger.md).
type DebugCmd struct {
	Scripts []string `name:"x" short:"x" type:"existingfile" placeholder:"FILE" help:"Run the debugger commands of FILE, each echoed after the prompt (repeatable); the first that fails ends the session with exit status 1."`
	Ex      []string `name:"ex" placeholder:"CMD" help:"Run the debugger command CMD, after the -x files (repeatable; gdb's -ex is taken too)."`
	Batch   bool     `help:"Run the -x and -ex commands, then quit, reading no commands from standard input."`
	Stdin   string   `name:"stdin" type:"existingfile" placeholder:"FILE" help:"Give the guest FILE as its standard input, leaving standard input to the commands."`
	RunCmd  `embed:""`
}

// Run loads the program, boots it and serves debugger commands until quit
// or the end of standard input. On a terminal it edits lines with liner,
// keeps a history and colours its output (unless NO_COLOR is set), and
// Ctrl-C stops the running guest; otherwise it reads plain lines and
// prints only what the commands print. At the end of the session it
// prints or writes the counters, as `toyvm run` does, for --stats and
// --stats-json. It returns an error of use for bad flags or a program
// that cannot be loaded.
func (d *DebugCmd) Run(e env) error {
	d.dropDashDash()
	if d.SwapFile != "" {
		return errors.New("--swap-file is for toyvm run: the debugger boots a run again for run and backstep, each with a fresh swap area")
	}
	if d.CPUProfile != "" || d.MemProfile != "" {
		return errors.New("--cpuprofile and --memprofile are for toyvm run: a debugging session's time is the user's")
	}
	cfg, err := d.config(e)
	if err != nil {
		return err
	}
	if d.Stdin != "" {
		f, err := os.Open(d.Stdin)
		if err != nil {
			return fmt.Errorf("--stdin: %w", err)
		}
		defer f.Close()
		cfg.Stdin = f
	}
	img, err := asm.LoadFile(d.Program)
	if err != nil {
		return err
	}
	if err := d.checkStatsFile(); err != nil {
		return err
	}
	s, err := debugger.New(cfg, img, append([]string{d.Program}, d.Args...), e.stdout)
	if err != nil {
		return err
	}
	defer s.Close()
	defer interruptOnSIGINT(s)()
	quit, scriptErr := d.runScripts(s)
	switch {
	case scriptErr != nil:
		fmt.Fprintf(e.stderr, "toyvm: %v\n", scriptErr)
	case quit || d.Batch:
	case isTerminal(e.stdin):
		err = serveTerminal(s, isTerminal(e.stdout))
	default:
		err = s.Serve(debugger.NewPlainReader(e.stdin))
	}
	if err := errors.Join(err, d.writeStats(s.Kernel().Stats(), e)); err != nil || scriptErr == nil {
		return err
	}
	return exitStatus(1)
}

// runScripts runs the -x files, then the -ex commands; it returns
// whether one of them quit, and the error of the first that failed.
func (d *DebugCmd) runScripts(s *debugger.Session) (bool, error) {
	for _, path := range d.Scripts {
		b, err := os.ReadFile(path)
		if err != nil {
			return false, err
		}
		lines := strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")
		if quit, err := s.RunScript(path, lines); quit || err != nil {
			return quit, err
		}
	}
	if len(d.Ex) == 0 {
		return false, nil
	}
	return s.RunScript("-ex", d.Ex)
}

// gdbStyleFlags rewrites gdb's -ex (which kong would read as -e -x) as
// --ex, in the arguments of `toyvm debug` that come before the program
// (after it they are the program's own).
func gdbStyleFlags(args []string) []string {
	if len(args) == 0 || args[0] != "debug" {
		return args
	}
	out := append([]string(nil), args...)
	for i := 1; i < len(out); i++ {
		switch a := out[i]; {
		case a == "--":
			return out
		case a == "-ex":
			out[i] = "--ex"
			i++ // its command
		case looksLikeProgram(a):
			return out
		}
	}
	return out
}

// looksLikeProgram reports whether an argument names the program: a .s
// source or an image.
func looksLikeProgram(a string) bool {
	return !strings.HasPrefix(a, "-") && (strings.HasSuffix(a, ".s") || strings.HasSuffix(a, ".img"))
}

// isTerminal reports whether the stream is a terminal.
func isTerminal(stream any) bool {
	f, ok := stream.(*os.File)
	return ok && isatty.IsTerminal(f.Fd())
}

// interruptOnSIGINT makes Ctrl-C (SIGINT) stop the guest at the next
// instruction, and never end the debugger, whatever its streams are; it
// returns the function that undoes it.
func interruptOnSIGINT(s *debugger.Session) func() {
	sigint := make(chan os.Signal, 1)
	signal.Notify(sigint, os.Interrupt)
	go func() {
		for range sigint {
			s.Interrupt()
		}
	}()
	return func() { signal.Stop(sigint); close(sigint) }
}

// serveTerminal runs the session on the terminal: liner, history, and
// colour when standard output is the terminal too.
func serveTerminal(s *debugger.Session, colour bool) error {
	s.SetColour(colour && os.Getenv("NO_COLOR") == "")
	t := debugger.NewTerminalReader(s, debugger.HistoryPath())
	defer t.Close()
	return s.Serve(t)
}
