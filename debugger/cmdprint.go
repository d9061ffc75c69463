package debugger

import (
	"fmt"
	"strconv"
	"strings"
)

// print, display and x's formats, as gdb has them: a command may end in
// /FMT (print/x r1, x/8xb buf), the letters of which say how to show a
// value (x hex, d signed decimal, u unsigned, o octal, t binary, c a
// character), how many (x's count) and in what size (x's b byte, w
// word), and x's s (a string) and i (instructions).

// The commands that evaluate and show expressions.
var printCommands = []command{
	{"print", []string{"p"}, "[/FMT] EXPR", "show the value of EXPR (FMT: x d u o t c); $N and $ name earlier values", (*Session).cmdPrint},
	{"display", nil, "[/FMT] [EXPR]", "show EXPR at every stop (no EXPR: show them all now)", (*Session).cmdDisplay},
	{"undisplay", nil, "[N...]", "stop showing displays N (all)", (*Session).cmdUndisplay},
}

// format is a parsed /FMT: a count, a letter, a size in bytes (0: not
// given).
type format struct {
	count  uint64
	letter byte
	size   int
}

// splitFormat takes a leading "/FMT" argument off args (Exec turns
// "print/x r1" into print with args ["/x", "r1"]) and parses it with the
// letters allowed; def is the format when there is none.
func splitFormat(args []string, allowed string, def format) (format, []string, error) {
	if len(args) == 0 || !strings.HasPrefix(args[0], "/") {
		return def, args, nil
	}
	f, text := def, args[0][1:]
	digits := len(text) - len(strings.TrimLeft(text, "0123456789"))
	if digits > 0 {
		n, err := strconv.ParseUint(text[:digits], 10, 64)
		if err != nil || n == 0 {
			return f, nil, fmt.Errorf("bad count in /%s", text)
		}
		f.count = n
	}
	sized := false
	for _, c := range []byte(text[digits:]) {
		switch {
		case c == 'b' && strings.ContainsRune(allowed, 'b'):
			f.size, sized = 1, true
		case c == 'w' && strings.ContainsRune(allowed, 'w'):
			f.size, sized = 4, true
		case strings.IndexByte(allowed, c) >= 0:
			f.letter = c
		default:
			return f, nil, fmt.Errorf("unknown format letter %q in /%s (known: %s)", c, text, allowed)
		}
	}
	if f.letter == 'c' && !sized && f.size != 0 {
		f.size = 1 // characters are bytes unless asked otherwise, as in gdb
	}
	return f, args[1:], nil
}

// formatValue shows v as the format letter says.
func formatValue(v uint32, letter byte) string {
	switch letter {
	case 'x':
		return fmt.Sprintf("0x%x", v)
	case 'u':
		return strconv.FormatUint(uint64(v), 10)
	case 'o':
		return "0" + strconv.FormatUint(uint64(v), 8)
	case 't':
		return strconv.FormatUint(uint64(v), 2)
	case 'c':
		return fmt.Sprintf("%d %s", int32(v), charText(byte(v)))
	}
	return strconv.FormatInt(int64(int32(v)), 10)
}

// charText shows a byte as a C character literal.
func charText(b byte) string {
	switch {
	case b == '\n':
		return `'\n'`
	case b == 0:
		return `'\0'`
	case b >= 0x20 && b < 0x7f:
		return "'" + string(rune(b)) + "'"
	}
	return fmt.Sprintf(`'\x%02x'`, b)
}

// cmdPrint: print[/FMT] EXPR.
func (s *Session) cmdPrint(args []string) error {
	f, args, err := splitFormat(args, "xduotc", format{letter: 'd'})
	if err != nil {
		return err
	}
	if len(args) == 0 {
		return fmt.Errorf("usage: print[/FMT] EXPR")
	}
	v, err := s.eval(strings.Join(args, " "))
	if err != nil {
		return err
	}
	s.history = append(s.history, v)
	s.printf("$%d = %s\n", len(s.history), formatValue(v, f.letter))
	return nil
}

// display is an expression shown at every stop.
type display struct {
	id     int
	expr   string
	letter byte
}

// cmdDisplay: display[/FMT] [EXPR].
func (s *Session) cmdDisplay(args []string) error {
	f, args, err := splitFormat(args, "xduotc", format{letter: 'd'})
	if err != nil {
		return err
	}
	if len(args) == 0 {
		s.showDisplays()
		return nil
	}
	s.nextDisplay++
	d := display{id: s.nextDisplay, expr: strings.Join(args, " "), letter: f.letter}
	s.displays = append(s.displays, d)
	s.showDisplay(d)
	return nil
}

// cmdUndisplay: undisplay [N...].
func (s *Session) cmdUndisplay(args []string) error {
	if len(args) == 0 {
		s.displays = nil
		return nil
	}
	for _, a := range args {
		id, err := strconv.Atoi(a)
		if err != nil {
			return fmt.Errorf("%q is not a display number", a)
		}
		before := len(s.displays)
		s.displays = deleteDisplay(s.displays, id)
		if len(s.displays) == before {
			return fmt.Errorf("no display %d", id)
		}
	}
	return nil
}

// deleteDisplay returns ds without display id.
func deleteDisplay(ds []display, id int) []display {
	for i, d := range ds {
		if d.id == id {
			return append(ds[:i:i], ds[i+1:]...)
		}
	}
	return ds
}

// showDisplays shows every display, as at a stop.
func (s *Session) showDisplays() {
	for _, d := range s.displays {
		s.showDisplay(d)
	}
}

// showDisplay shows one display: "1: r6 = 13", or why it has no value.
func (s *Session) showDisplay(d display) {
	if v, err := s.eval(d.expr); err != nil {
		s.printf("%d: %s = (%v)\n", d.id, d.expr, err)
	} else {
		s.printf("%d: %s = %s\n", d.id, d.expr, formatValue(v, d.letter))
	}
}
