package dap

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"sync"

	godap "github.com/google/go-dap"
)

// The base protocol: each message is a header, lines of "Name: value"
// ended by an empty line, of which Content-Length is required and any
// other is ignored, then that many bytes of JSON.

// Limits on what the adapter reads.
const (
	maxHeaderLine = 1 << 10  // one header line, its line end included
	maxHeaders    = 16       // header lines of one message
	maxContent    = 16 << 20 // one message's JSON
)

// errFraming is the error of a message whose header is not the base
// protocol's: the stream cannot be followed after it.
var errFraming = errors.New("bad message framing")

// wire reads messages from the client and writes messages to it. Only
// one goroutine reads. Writes come from the request loop and from the
// goroutine that runs the guest (its output), so they are serialised;
// each message is given the next sequence number as it is written. Once
// a write fails (the client has gone) nothing more is written.
type wire struct {
	r *bufio.Reader

	mu     sync.Mutex
	w      io.Writer
	seq    int
	broken bool
}

// newWire returns a wire that reads messages from r and writes them to w.
func newWire(r io.Reader, w io.Writer) *wire {
	return &wire{r: bufio.NewReaderSize(r, 4<<10), w: w}
}

// read returns the JSON content of the next message; io.EOF at the end
// of the input, also in the middle of a message (the client has gone);
// or an error wrapping errFraming for a header that is not the base
// protocol's.
func (c *wire) read() ([]byte, error) {
	length, err := c.readHeader()
	if err != nil {
		return nil, err
	}
	body := make([]byte, length)
	if _, err := io.ReadFull(c.r, body); err != nil {
		return nil, io.EOF
	}
	return body, nil
}

// readHeader reads a message's header and returns its Content-Length,
// or an error as read does. Empty lines before a header are skipped.
func (c *wire) readHeader() (int, error) {
	length := -1
	for n := 0; ; {
		text, err := c.readLine()
		if err != nil {
			return 0, err
		}
		if text == "" && n == 0 {
			continue // a stray line end between messages
		}
		if text == "" {
			break
		}
		if n++; n > maxHeaders {
			return 0, fmt.Errorf("%w: more than %d header lines", errFraming, maxHeaders)
		}
		if length, err = headerField(text, length); err != nil {
			return 0, err
		}
	}
	if length < 0 {
		return 0, fmt.Errorf("%w: no Content-Length header", errFraming)
	}
	return length, nil
}

// readLine returns the next header line without its line end, io.EOF
// when the input ends, or an error wrapping errFraming for a line over
// maxHeaderLine bytes.
func (c *wire) readLine() (string, error) {
	var line []byte
	for {
		part, err := c.r.ReadSlice('\n')
		line = append(line, part...)
		if len(line) > maxHeaderLine {
			return "", fmt.Errorf("%w: a header line longer than %d bytes", errFraming, maxHeaderLine)
		}
		switch {
		case err == nil:
			return strings.TrimRight(string(line), "\r\n"), nil
		case !errors.Is(err, bufio.ErrBufferFull):
			return "", io.EOF
		}
	}
}

// headerField reads one header line: it returns the Content-Length it
// gives, or length (the one given so far) for another header, or an
// error wrapping errFraming for a line that is not a header or a bad
// length.
func headerField(text string, length int) (int, error) {
	name, value, ok := strings.Cut(text, ":")
	if !ok {
		return 0, fmt.Errorf("%w: %q is not a header (Content-Length: N)", errFraming, clip(text))
	}
	if !strings.EqualFold(strings.TrimSpace(name), "Content-Length") {
		return length, nil
	}
	value = strings.TrimSpace(value)
	v, err := strconv.Atoi(value)
	switch {
	case err != nil || v < 0:
		return 0, fmt.Errorf("%w: bad Content-Length %q", errFraming, clip(value))
	case v > maxContent:
		return 0, fmt.Errorf("%w: Content-Length %d is over the limit of %d bytes", errFraming, v, maxContent)
	}
	return v, nil
}

// clip shortens text for a message.
func clip(text string) string {
	if len(text) > 60 {
		return text[:60] + "..."
	}
	return text
}

// send writes m, a response or an event, with the next sequence number.
// It reports whether the message was written: false once the client is
// gone.
func (c *wire) send(m godap.Message) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.broken {
		return false
	}
	c.seq++
	setSeq(m, c.seq)
	b, err := encode(m)
	if err != nil { // a value JSON cannot hold: say so rather than send nothing
		b, _ = encode(outputEvent(c.seq, "stderr", fmt.Sprintf("toyvm dap: cannot encode a message: %v\n", err)))
	}
	if _, err := fmt.Fprintf(c.w, "Content-Length: %d\r\n\r\n%s", len(b), b); err != nil {
		c.broken = true
		return false
	}
	return true
}

// encode returns m as JSON, with <, > and & as they are (the debugger's
// text is full of them), or the error of encoding it.
func encode(m godap.Message) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(m); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n")), nil
}

// setSeq gives a response or an event its sequence number.
func setSeq(m godap.Message, seq int) {
	switch m := m.(type) {
	case godap.ResponseMessage:
		m.GetResponse().Seq = seq
	case godap.EventMessage:
		m.GetEvent().Seq = seq
	}
}

// outputEvent returns an output event of category ("stdout", "stderr",
// "console") carrying text.
func outputEvent(seq int, category, text string) *godap.OutputEvent {
	return &godap.OutputEvent{Event: event(seq, "output"), Body: godap.OutputEventBody{Category: category, Output: text}}
}

// event returns the header of an event.
func event(seq int, name string) godap.Event {
	return godap.Event{ProtocolMessage: godap.ProtocolMessage{Seq: seq, Type: "event"}, Event: name}
}
