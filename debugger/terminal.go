package debugger

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/peterh/liner"

	"toyvm/kernel"
)

// TerminalReader reads command lines from a terminal with liner: line
// editing, history and tab completion. It implements Terminal, giving
// the terminal its own mode back while the guest runs.
type TerminalReader struct {
	line      *liner.State
	orig, raw liner.ModeApplier // the terminal's mode before liner, and liner's
	history   string            // the history file, "" for none
}

// NewTerminalReader puts the terminal in liner's mode, loads the history
// from the file history (silently, if it cannot be read) and makes the
// reader the session's terminal. Close restores the terminal.
func NewTerminalReader(s *Session, history string) *TerminalReader {
	t := &TerminalReader{history: history}
	t.orig, _ = liner.TerminalMode()
	t.line = liner.NewLiner()
	t.raw, _ = liner.TerminalMode()
	t.line.SetCtrlCAborts(true)
	t.line.SetCompleter(s.Complete)
	if f, err := os.Open(history); err == nil {
		t.line.ReadHistory(f)
		f.Close()
	}
	s.SetTerminal(t)
	return t
}

// ReadLine prompts and returns the line typed, io.EOF on Ctrl-D; Ctrl-C
// at the prompt gives an empty line.
func (t *TerminalReader) ReadLine() (string, error) {
	line, err := t.line.Prompt("(toyvm) ")
	switch {
	case errors.Is(err, liner.ErrPromptAborted):
		return "", nil
	case errors.Is(err, io.EOF):
		os.Stdout.WriteString("\n") // Ctrl-D: the shell's prompt starts a line of its own
		return "", err
	case err != nil:
		return "", err
	}
	if strings.TrimSpace(line) != "" {
		t.line.AppendHistory(line)
	}
	return line, nil
}

// Release gives the terminal its own mode back, for the guest.
func (t *TerminalReader) Release() {
	if t.orig != nil {
		t.orig.ApplyMode()
	}
}

// Reclaim puts the terminal back in liner's mode.
func (t *TerminalReader) Reclaim() {
	if t.raw != nil {
		t.raw.ApplyMode()
	}
}

// Close saves the history (silently, if it cannot be written) and
// restores the terminal.
func (t *TerminalReader) Close() error {
	if t.history != "" && os.MkdirAll(filepath.Dir(t.history), 0o755) == nil {
		if f, err := os.Create(t.history); err == nil {
			t.line.WriteHistory(f)
			f.Close()
		}
	}
	return t.line.Close()
}

// HistoryPath returns the history file in the user's configuration
// folder, toyvm/debug_history, or "" if there is no such folder.
func HistoryPath() string {
	dir, err := os.UserConfigDir()
	if err != nil {
		return ""
	}
	return filepath.Join(dir, "toyvm", "debug_history")
}

// Complete returns the completions of line's last word: a command name
// for the first word, else a label, an .equ name or a register.
func (s *Session) Complete(line string) []string {
	start := strings.LastIndexAny(line, " \t+-=:") + 1
	head, word := line[:start], line[start:]
	names := s.valueNames()
	switch fields := strings.Fields(head); {
	case len(fields) == 0:
		names = commandNames()
	case len(fields) == 1 && head[len(head)-1] == ' ':
		if words := argumentWords(fields[0]); words != nil {
			names = words
		}
	case len(fields) >= 2 && fields[1] == "syscall" && head[len(head)-1] == ' ':
		if c, err := lookup(fields[0]); err == nil && c.name == "catch" {
			names = kernel.SyscallNames() // catch syscall NAME...
		}
	}
	var out []string
	for _, n := range names {
		if strings.HasPrefix(n, word) {
			out = append(out, head+n)
		}
	}
	return out
}

// argumentWords returns the words the first argument of command may be
// (info's topics, catch's events, trace's categories, help's commands),
// nil for a command whose argument is a value.
func argumentWords(command string) []string {
	c, err := lookup(command)
	if err != nil {
		return nil
	}
	switch c.name {
	case "info":
		return infoTopicNames()
	case "catch":
		return append(eventWords(), "off")
	case "trace":
		return append(strings.Split(kernel.TraceNames(), ", "), "all")
	case "help":
		return commandNames()
	}
	return nil
}

// valueNames returns the symbols of the program, then the registers.
func (s *Session) valueNames() []string {
	names := make([]string, 0, len(s.img.Symbols)+19)
	for _, sym := range s.img.Symbols {
		names = append(names, sym.Name)
	}
	for r := 0; r < 16; r++ {
		names = append(names, regName(r))
	}
	return append(names, "pc", "psw")
}

var _ io.Closer = (*TerminalReader)(nil)
