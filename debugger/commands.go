package debugger

import (
	"errors"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
)

// command is one debugger command.
type command struct {
	name    string
	aliases []string
	usage   string // its arguments
	help    string
	run     func(s *Session, args []string) error
}

// errQuit ends the session.
var errQuit = errors.New("quit")

// commands is the table of every command, in the order help lists them.
// It is filled in init because help refers to it.
var commands []command

func init() {
	commands = append(commands, runCommands...)
	commands = append(commands, reverseCommands...)
	commands = append(commands, pointCommands...)
	commands = append(commands, viewCommands...)
	commands = append(commands, printCommands...)
	commands = append(commands, machineCommands...)
	commands = append(commands,
		command{"help", []string{"h"}, "[CMD]", "list the commands, or explain one", (*Session).cmdHelp},
		command{"quit", []string{"q", "exit"}, "", "leave the debugger", func(*Session, []string) error { return errQuit }})
}

// Exec runs one command line and writes what it prints; it returns true
// when the session should end (quit). An empty line at a terminal
// repeats the last step, next, continue, finish, until or backstep, and
// goes on with the last x, disasm or list, as in gdb; elsewhere (a
// script) it does nothing. An error is printed, never returned.
func (s *Session) Exec(line string) (quit bool) {
	quit, err := s.execLine(line)
	if err != nil {
		s.printf("%s\n", s.paint.err(err.Error()))
	}
	return quit
}

// execLine runs one command line and returns whether the session should
// end, and the command's error.
func (s *Session) execLine(line string) (quit bool, err error) {
	fields := strings.Fields(line)
	if len(fields) == 0 && s.term != nil && s.again != nil {
		return s.execLine(s.again()) // gdb's habit: an empty line repeats, going on
	}
	if len(fields) == 0 || strings.HasPrefix(fields[0], "#") {
		return false, nil
	}
	s.again = nil
	if name, fmt, ok := strings.Cut(fields[0], "/"); ok && name != "" { // print/x r1: the format is an argument
		fields = append([]string{name, "/" + fmt}, fields[1:]...)
	}
	cmd, err := lookup(fields[0])
	if err == nil {
		if repeats(cmd.name) {
			s.again = func() string { return line }
		}
		err = cmd.run(s, fields[1:])
	}
	if errors.Is(err, errQuit) {
		return true, nil
	}
	return false, err
}

// RunScript runs the command lines of a script (a -x file, or the -ex
// commands), each echoed after the prompt as a transcript shows it. The
// first command that fails stops the script: RunScript returns its
// error, naming the script and the line ("gdbinit:3: unknown command
// \"frob\""). quit is true when a command ended the session.
func (s *Session) RunScript(name string, lines []string) (quit bool, err error) {
	for i, line := range lines {
		s.printf("(toyvm) %s\n", line)
		quit, err := s.execLine(line)
		if err != nil {
			return false, fmt.Errorf("%s:%d: %w", name, i+1, err)
		}
		if quit {
			return true, nil
		}
	}
	return false, nil
}

// repeats reports whether an empty line after the command runs it
// again as it was (x, disasm and list go on from where they stopped
// instead: they set Session.again themselves).
func repeats(name string) bool {
	return slices.Contains([]string{"step", "next", "continue", "finish", "until", "backstep", "reverse-continue", "reverse-next", "reverse-finish"}, name)
}

// lookup returns the command called name, by its name, an alias or, as
// gdb allows, any prefix of its name that no other command's has. It
// returns an error naming the commands an ambiguous prefix could be, or
// suggesting the nearest name.
func lookup(name string) (*command, error) {
	for i := range commands {
		if commands[i].name == name || contains(commands[i].aliases, name) {
			return &commands[i], nil
		}
	}
	full, err := uniquePrefix(name, commandNames(), "command", "help lists the commands")
	if err == nil {
		return lookup(full)
	}
	if near := nearest(name, commandNames()); near != "" && !strings.Contains(err.Error(), "ambiguous") {
		return nil, fmt.Errorf("unknown command %q (did you mean %s?)", name, near)
	}
	return nil, err
}

// uniquePrefix returns the one word of words that starts with prefix, or
// an error: what (a "command", a "topic") is ambiguous, naming the words
// it could be, or unknown, with hint.
func uniquePrefix(prefix string, words []string, what, hint string) (string, error) {
	var found []string
	for _, w := range words {
		if strings.HasPrefix(w, prefix) {
			found = append(found, w)
		}
	}
	switch {
	case len(found) == 1:
		return found[0], nil
	case len(found) > 1:
		return "", fmt.Errorf("ambiguous %s %q: %s", what, prefix, strings.Join(found, ", "))
	}
	return "", fmt.Errorf("unknown %s %q (%s)", what, prefix, hint)
}

// commandNames returns the names of every command, sorted.
func commandNames() []string {
	names := make([]string, 0, len(commands))
	for _, c := range commands {
		names = append(names, c.name)
	}
	sort.Strings(names)
	return names
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// cmdHelp: help [CMD].
func (s *Session) cmdHelp(args []string) error {
	if len(args) == 0 {
		for _, c := range commands {
			s.printf("  %-28s %s%s\n", strings.TrimSpace(c.name+" "+c.usage), c.help, aliasText(c))
		}
		s.printf("Addresses are expressions: labels, .equ names, numbers (0x hex), registers, joined by + and -.\n")
		return nil
	}
	c, err := lookup(args[0])
	if err != nil {
		return err
	}
	s.printf("%s %s\n  %s\n", c.name, c.usage, c.help)
	if len(c.aliases) > 0 {
		s.printf("  also: %s\n", strings.Join(c.aliases, ", "))
	}
	return nil
}

// aliasText returns " (also: a, b)" naming c's aliases, "" if it has none.
func aliasText(c command) string {
	if len(c.aliases) == 0 {
		return ""
	}
	return " (also: " + strings.Join(c.aliases, ", ") + ")"
}

// wantArgs returns an error unless the command got between min and max
// arguments.
func wantArgs(args []string, min, max int, usage string) error {
	if len(args) < min || len(args) > max {
		return fmt.Errorf("usage: %s", usage)
	}
	return nil
}

// count returns the optional count argument at args[i], def if absent,
// or an error if it is not a number from 1 to limit. A plain number may
// take 64 bits (limit may be above 2^32); an expression takes 32.
func (s *Session) count(args []string, i int, def, limit uint64) (uint64, error) {
	if len(args) <= i {
		return def, nil
	}
	v, err := s.countValue(args[i])
	if err != nil {
		return 0, err
	}
	if v == 0 || v > limit {
		return 0, fmt.Errorf("count %s is out of range (1 to %d)", args[i], limit)
	}
	return v, nil
}

// countValue returns the value of a count: a 64-bit number, else an
// expression. A negative or too large number gives 0 (out of range);
// an expression that has no value gives its error.
func (s *Session) countValue(text string) (uint64, error) {
	if strings.HasPrefix(text, "-") {
		return 0, nil
	}
	v, err := strconv.ParseUint(text, 0, 64)
	if errors.Is(err, strconv.ErrRange) {
		return 0, nil
	}
	if err == nil {
		return v, nil
	}
	v32, err := s.eval(text)
	return uint64(v32), err
}
