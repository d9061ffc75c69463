package main

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// docRow is one row of a table in docs/robustness.md: a command, the
// status it exits with and a text it prints ("" for none required).
type docRow struct {
	command string
	status  int
	says    string
}

// rowPattern matches a table row whose command is a toyvm command:
// | input | `toyvm ...` | status | says |
var rowPattern = regexp.MustCompile("^\\|[^|]*\\| `(toyvm [^`]*)` \\| (\\d+) \\| (.*) \\|$")

// robustnessRows reads the rows of docs/robustness.md that name a
// command. A "says" cell in backquotes is a text the run must print; in
// parentheses it is a comment.
func robustnessRows(t *testing.T) []docRow {
	doc, err := os.ReadFile("../../docs/robustness.md")
	require.NoError(t, err)
	var rows []docRow
	for _, line := range strings.Split(string(doc), "\n") {
		m := rowPattern.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		status, _ := strconv.Atoi(m[2])
		says := ""
		if q := strings.TrimSpace(m[3]); strings.HasPrefix(q, "`") {
			says = strings.Trim(q, "`")
		}
		rows = append(rows, docRow{m[1], status, says})
	}
	return rows
}

// hostileFolder makes the current folder a fresh one holding the files
// of testdata/hostile and the generated ones the rows name.
func hostileFolder(t *testing.T) {
	t.Helper()
	src, err := filepath.Abs("testdata/hostile")
	require.NoError(t, err)
	t.Chdir(t.TempDir())
	entries, err := os.ReadDir(src)
	require.NoError(t, err)
	for _, e := range entries {
		data, err := os.ReadFile(filepath.Join(src, e.Name()))
		require.NoError(t, err)
		writeFile(t, e.Name(), data)
	}
	writeFile(t, "empty.s", nil)
	writeFile(t, "truncated.img", []byte("TVMI\x01\x00\x00\x00"))
	writeFile(t, "foreign.img", []byte("hello, I am text\n"))
	writeFile(t, "foreign.img.s", []byte("start: nop\n\x00\x01\x02\xff"))
	writeFile(t, "deep.s", []byte(deepEquChain(1_000_000)))
	writeFile(t, "huge.s", []byte(strings.Repeat("        nop ; "+strings.Repeat("x", 60)+"\n", 66<<20/74)))
}

// deepEquChain returns a source whose n .equ names are each defined from
// the one before, and which exits with the last one's value & 255.
func deepEquChain(n int) string {
	var b strings.Builder
	b.WriteString(".equ a0, 1\n")
	for i := 1; i < n; i++ {
		fmt.Fprintf(&b, ".equ a%d, a%d+1\n", i, i-1)
	}
	fmt.Fprintf(&b, "start: mov #1, r0\n mov #a%d, r1\n and #255, r1\n sys\n", n-1)
	return b.String()
}

func TestEveryHostileInputInTheRobustnessDocGetsWhatItSays(t *testing.T) {
	rows := robustnessRows(t)
	require.GreaterOrEqual(t, len(rows), 30, "the tables of docs/robustness.md")
	hostileFolder(t)
	for _, row := range rows {
		args := strings.Fields(row.command)[1:]
		r := toyvm(t, args...)
		assert.Equal(t, row.status, r.status, "%s\n%s", row.command, r.stderr)
		assert.Contains(t, r.stdout+r.stderr, row.says, row.command)
		assert.NotContains(t, r.stderr, "goroutine ", "%s: a Go stack trace", row.command)
	}
}
