package debugger

import (
	"bufio"
	"errors"
	"io"
	"strings"
)

// Reader is where the session's command lines come from: ReadLine
// returns one line without its newline, and io.EOF at the end.
type Reader interface {
	ReadLine() (string, error)
}

// Serve reads and runs command lines until quit or the end of the input;
// it returns nil then, or the error that stopped the reading.
func (s *Session) Serve(r Reader) error {
	s.reader = r
	defer func() { s.reader = nil }()
	for {
		line, err := r.ReadLine()
		switch {
		case errors.Is(err, io.EOF):
			return nil
		case errors.Is(err, ErrLineTooLong):
			s.printf("%v\n", err)
			continue
		case err != nil:
			return err
		}
		if s.Exec(line) {
			return nil
		}
	}
}

// PlainReader reads lines from r as they come, with no prompt and no
// echo: when standard input is not a terminal, the session's output is
// each command's output only, so scripts and golden files stay quiet.
type PlainReader struct{ r *bufio.Reader }

// maxLine is the longest command line a PlainReader takes; a longer one
// is skipped, with ErrLineTooLong.
const maxLine = 1 << 20

// ErrLineTooLong is returned for a command line over maxLine bytes, which
// the reader has skipped: the session says so and reads on.
var ErrLineTooLong = errors.New("command line longer than 1 MiB: skipped")

// NewPlainReader returns a PlainReader of r.
func NewPlainReader(r io.Reader) *PlainReader {
	return &PlainReader{bufio.NewReaderSize(r, maxLine)}
}

// ReadLine returns the next line without its newline (or "\r\n"),
// ErrLineTooLong for a line it skipped, io.EOF at the end, or the error
// of the input.
func (p *PlainReader) ReadLine() (string, error) {
	line, err := p.r.ReadSlice('\n')
	if errors.Is(err, bufio.ErrBufferFull) {
		for errors.Is(err, bufio.ErrBufferFull) {
			_, err = p.r.ReadSlice('\n')
		}
		return "", ErrLineTooLong
	}
	if len(line) == 0 && err != nil {
		return "", err
	}
	text := strings.TrimSuffix(strings.TrimSuffix(string(line), "\n"), "\r")
	return text, nil
}

// confirm asks the user a yes-or-no question at the terminal and returns
// the answer; with no terminal (a script, --batch) the answer is yes, as
// in gdb's batch mode.
func (s *Session) confirm(question string) bool {
	if s.term == nil || s.reader == nil {
		return true
	}
	s.printf("%s (y or n) ", question)
	line, err := s.reader.ReadLine()
	return err == nil && strings.HasPrefix(strings.ToLower(strings.TrimSpace(line)), "y")
}
