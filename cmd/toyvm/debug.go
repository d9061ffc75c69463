package main

import (
	"errors"
	"os"
	"os/signal"

	"github.com/mattn/go-isatty"

	"toyvm/asm"
	"toyvm/debugger"
)

// DebugCmd is `toyvm debug`: the debugger, over a machine configured by
// the same flags as `toyvm run` (docs/debugger.md).
type DebugCmd struct {
	RunCmd `embed:""`
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
	cfg, err := d.config(e)
	if err != nil {
		return err
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
	if isTerminal(e.stdin) {
		err = serveTerminal(s, isTerminal(e.stdout))
	} else {
		err = s.Serve(debugger.NewPlainReader(e.stdin))
	}
	return errors.Join(err, d.writeStats(s.Kernel().Stats(), e))
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
