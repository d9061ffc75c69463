package debugger

import (
	"fmt"
	"io"
	"sync/atomic"

	"github.com/fatih/color"

	"toyvm/asm"
	"toyvm/image"
	"toyvm/kernel"
)

// Session is one debugging session: a machine built from a kernel
// configuration, a program image and its arguments, the breakpoints,
// watchpoints and catchpoints set on it, and where its output goes.
type Session struct {
	cfg  kernel.Config
	img  *image.Image
	argv []string
	k    *kernel.Kernel

	out   io.Writer
	guest *gate      // the guest's standard output and error, muted while replaying
	rec   *recording // the guest's standard input and the user's changes, for backstep (replay.go)
	paint palette

	points    []*point // breakpoints and watchpoints, in the order set
	nextPoint int      // the number the next one gets
	catches   catchSet
	sources   map[string][]string // source files by name, split in lines; nil entry: unreadable

	interrupted atomic.Bool     // set by Interrupt: stop the guest at the next instruction
	term        Terminal        // nil when standard input is not a terminal
	retiredBy   *kernel.Process // the process whose instruction the last step retired (frames.go)
	reader      Reader          // the command lines, while Serve reads them (a confirmation reads one)
	history     []uint32        // the values print showed: $1, $2, ... (cmdprint.go)
	displays    []display       // the expressions shown at every stop
	nextDisplay int
	again       func() string // the command line an empty line runs, at a terminal (commands.go)
	selected    int           // the frame frame, up and down chose; 0 after every stop (backtrace.go)
	armed       counts        // the catchpoints' counts as a fast slice began (fastrun.go)
	slowOnly    bool          // a test's switch: continue steps instruction by instruction
}

// Terminal is what the session gives back while the guest runs, so that a
// program reading standard input finds the terminal in its usual mode.
type Terminal interface {
	Release() // restore the terminal's own mode, before the guest runs
	Reclaim() // take it back for line editing, after
}

// New builds the machine for img with the arguments argv (argv[0] the
// program's path), boots it so that it stands at its first instruction,
// and returns the session, which writes to out. cfg.Stdout and cfg.Stderr
// receive the guest's output. It returns an error if the configuration is
// impossible or the program cannot start.
func New(cfg kernel.Config, img *image.Image, argv []string, out io.Writer) (*Session, error) {
	s := &Session{cfg: cfg, img: img, argv: argv, out: out, nextPoint: 1,
		sources: map[string][]string{}, paint: newPalette(false), rec: newRecording(cfg.Stdin)}
	s.guest = &gate{stdout: cfg.Stdout, stderr: cfg.Stderr}
	k, err := s.boot()
	if err != nil {
		return nil, err
	}
	s.k = k
	return s, nil
}

// use makes k the session's machine, in place of the one before, which
// is closed.
func (s *Session) use(k *kernel.Kernel) {
	s.k.Close()
	s.k = k
}

// Close releases what the session's machine holds on the host (its swap
// file); it returns the error of closing it.
func (s *Session) Close() error { return s.k.Close() }

// boot builds a fresh kernel from the session's configuration and image
// and boots the program; it returns an error if either fails.
func (s *Session) boot() (*kernel.Kernel, error) {
	cfg := s.cfg
	cfg.Stdout, cfg.Stderr = s.guest.out(), s.guest.err()
	cfg.Debugger = true // a BPT stops the session instead of killing the program
	if cfg.Assembler == nil {
		cfg.Assembler = asm.AssembleFS
	}
	cfg.Stdin = s.rec.start()
	k, err := kernel.New(cfg)
	if err != nil {
		return nil, err
	}
	if err := k.Boot(s.img, s.argv); err != nil {
		return nil, err
	}
	return k, nil
}

// Kernel returns the machine being debugged (tests compare its state).
func (s *Session) Kernel() *kernel.Kernel { return s.k }

// SetColour turns colour on or off (the caller decides: only on a
// terminal, never with NO_COLOR set).
func (s *Session) SetColour(on bool) { s.paint = newPalette(on) }

// SetTerminal gives the session the terminal to release while the guest
// runs; nil for none.
func (s *Session) SetTerminal(t Terminal) { s.term = t }

// Interrupt asks the running guest to stop before its next instruction
// (Ctrl-C). It is safe to call from another goroutine.
func (s *Session) Interrupt() { s.interrupted.Store(true) }

// printf writes to the session's output.
func (s *Session) printf(format string, args ...any) { fmt.Fprintf(s.out, format, args...) }

// gate passes the guest's output through, or drops it while muted.
type gate struct {
	stdout, stderr io.Writer
	muted          bool
}

func (g *gate) out() io.Writer { return gateWriter{g, g.stdout} }
func (g *gate) err() io.Writer { return gateWriter{g, g.stderr} }

// gateWriter is one of the gate's two streams.
type gateWriter struct {
	g  *gate
	to io.Writer
}

func (w gateWriter) Write(b []byte) (int, error) {
	if w.g.muted {
		return len(b), nil
	}
	return w.to.Write(b)
}

// palette colours the session's output: errors, stops and the current
// line. Without colour every function returns its text unchanged.
type palette struct {
	err, stop, here func(a ...any) string
}

func newPalette(on bool) palette {
	mk := func(attrs ...color.Attribute) func(a ...any) string {
		c := color.New(attrs...)
		if on {
			c.EnableColor()
		} else {
			c.DisableColor()
		}
		return c.SprintFunc()
	}
	return palette{err: mk(color.FgRed), stop: mk(color.FgYellow, color.Bold), here: mk(color.FgGreen)}
}
