package dap

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"

	godap "github.com/google/go-dap"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// readAllMessages returns the messages of input and the error that ended
// them.
func readAllMessages(input string) ([]string, error) {
	c := newWire(strings.NewReader(input), io.Discard)
	var out []string
	for {
		b, err := c.read()
		if err != nil {
			return out, err
		}
		out = append(out, string(b))
	}
}

func TestWireReadsTheBaseProtocol(t *testing.T) {
	msgs, err := readAllMessages("Content-Length: 2\r\n\r\n{}" +
		"\r\n\r\ncontent-length:3\nContent-Type: application/vscode-jsonrpc; charset=utf-8\n\n[1]" +
		"Content-Length: 0\r\n\r\n")
	assert.Equal(t, io.EOF, err)
	assert.Equal(t, []string{"{}", "[1]", ""}, msgs)
}

func TestWireSaysTheClientIsGoneWhenTheInputIsCutShort(t *testing.T) {
	for _, input := range []string{"", "Content-Len", "Content-Length: 10\r\n", "Content-Length: 10\r\n\r\n{}"} {
		_, err := readAllMessages(input)
		assert.Equal(t, io.EOF, err, "%q", input)
	}
}

func TestWireRefusesHeadersItCannotFollow(t *testing.T) {
	for _, input := range []string{
		"Content-Length: 1x\r\n\r\n",
		"Content-Length: 99999999999999999999999\r\n\r\n",
		"{}\r\n\r\n",
		"X: y\r\n\r\n{}",
		strings.Repeat("a", 5000),
	} {
		_, err := readAllMessages(input)
		assert.True(t, errors.Is(err, errFraming), "%q: %v", input, err)
	}
}

func TestWireNumbersWhatItSendsAndStopsAfterAFailedWrite(t *testing.T) {
	var b bytes.Buffer
	c := newWire(strings.NewReader(""), &b)
	require.True(t, c.send(outputEvent(0, "console", "one")))
	require.True(t, c.send(&godap.InitializedEvent{Event: event(0, "initialized")}))
	assert.Contains(t, b.String(), `"seq":1,"type":"event","event":"output"`)
	assert.Contains(t, b.String(), `"seq":2,"type":"event","event":"initialized"`)

	broken := newWire(strings.NewReader(""), failingWriter{})
	assert.False(t, broken.send(outputEvent(0, "console", "lost")))
	assert.False(t, broken.send(outputEvent(0, "console", "lost too")))
	assert.True(t, broken.broken)
}

// failingWriter fails every write, as a pipe whose reader is gone.
type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, io.ErrClosedPipe }

// FuzzWire reads arbitrary input as messages: the reader never panics,
// always ends, and returns no message over the limit.
func FuzzWire(f *testing.F) {
	for _, seed := range []string{
		"Content-Length: 2\r\n\r\n{}",
		"Content-Length: 5\r\n\r\n{}",
		"\r\n\nContent-Length:0\n\n",
		"Content-Length: -1\r\n\r\n",
		"content-length: 3\r\nX: y\r\n\r\nabcContent-Length: 1\r\n\r\n",
		"Content-Length: 16777217\r\n\r\n",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, input []byte) {
		c := newWire(bytes.NewReader(input), io.Discard)
		for n := 0; n <= len(input); n++ {
			b, err := c.read()
			if err != nil {
				return
			}
			if len(b) > maxContent {
				t.Fatalf("a message of %d bytes", len(b))
			}
		}
		t.Fatalf("more messages than bytes in %q", input)
	})
}

// FuzzServe feeds arbitrary input to a whole session: the adapter never
// panics and always returns.
func FuzzServe(f *testing.F) {
	f.Add([]byte(`Content-Length: 58` + "\r\n\r\n" + `{"seq":1,"type":"request","command":"initialize","x":[]}`))
	f.Add([]byte(`Content-Length: 47` + "\r\n\r\n" + `{"seq":1,"type":"request","command":"threads"}`))
	f.Add([]byte(`Content-Length: 13` + "\r\n\r\n" + `{"seq":"one"}`))
	f.Fuzz(func(t *testing.T, input []byte) {
		Serve(bytes.NewReader(input), io.Discard, nil)
	})
}
