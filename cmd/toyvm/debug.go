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
	if onTerminal(e) {
		err = serveTerminal(s)
	} else {
		err = s.Serve(debugger.NewPlainReader(e.stdin))
	}
	return errors.Join(err, d.writeStats(s.Kernel().Stats(), e))
}

// onTerminal reports whether standard input and output are the process's
// own terminal.
func onTerminal(e env) bool {
	in, okIn := e.stdin.(*os.File)
	out, okOut := e.stdout.(*os.File)
	return okIn && okOut && isatty.IsTerminal(in.Fd()) && isatty.IsTerminal(out.Fd())
}

// serveTerminal runs the session on the terminal: liner, history, colour,
// and Ctrl-C delivered to the session as an interrupt of the guest.
func serveTerminal(s *debugger.Session) error {
	s.SetColour(os.Getenv("NO_COLOR") == "")
	t := debugger.NewTerminalReader(s, debugger.HistoryPath())
	defer t.Close()
	sigint := make(chan os.Signal, 1)
	signal.Notify(sigint, os.Interrupt)
	defer func() { signal.Stop(sigint); close(sigint) }()
	go func() {
		for range sigint {
			s.Interrupt()
		}
	}()
	return s.Serve(t)
}
