package debugger

import (
	"bufio"
	"errors"
	"io"
)

// Reader is where the session's command lines come from: ReadLine
// returns one line without its newline, and io.EOF at the end.
type Reader interface {
	ReadLine() (string, error)
}

// Serve reads and runs command lines until quit or the end of the input;
// it returns nil then, or the error that stopped the reading.
func (s *Session) Serve(r Reader) error {
	for {
		line, err := r.ReadLine()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
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
type PlainReader struct{ sc *bufio.Scanner }

// NewPlainReader returns a PlainReader of r.
func NewPlainReader(r io.Reader) *PlainReader {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 4096), 1<<20)
	return &PlainReader{sc}
}

// ReadLine returns the next line, io.EOF at the end, or the error of the
// input (a line longer than 1 MiB is one).
func (p *PlainReader) ReadLine() (string, error) {
	if p.sc.Scan() {
		return p.sc.Text(), nil
	}
	if err := p.sc.Err(); err != nil {
		return "", err
	}
	return "", io.EOF
}
