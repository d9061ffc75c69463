package debugger

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestTheDocsListTheCommandsExactlyAsHelpDoes compares the command list
// of docs/debugger.md with the output of help, aliases included.
func TestTheDocsListTheCommandsExactlyAsHelpDoes(t *testing.T) {
	doc, err := os.ReadFile(filepath.Join("..", "docs", "debugger.md"))
	require.NoError(t, err)
	_, rest, ok := strings.Cut(string(doc), "## Commands\n\n```\n")
	require.True(t, ok, "docs/debugger.md has a ## Commands section with a code block")
	block, _, ok := strings.Cut(rest, "```\n")
	require.True(t, ok)
	s, out := newSession(t, "fib.s")
	s.Exec("help")
	require.Equal(t, out.String(), block, "paste the output of help into docs/debugger.md")
}

// TestHelpNamesEveryAlias checks that the list help prints gives each
// command's short names.
func TestHelpNamesEveryAlias(t *testing.T) {
	s, out := newSession(t, "fib.s")
	s.Exec("help")
	lines := strings.Split(out.String(), "\n")
	for i, c := range commands {
		require.True(t, strings.HasPrefix(lines[i], "  "+c.name), "line %d is %s's", i, c.name)
		if len(c.aliases) > 0 {
			require.True(t, strings.HasSuffix(lines[i], "(also: "+strings.Join(c.aliases, ", ")+")"), lines[i])
		}
	}
	require.Contains(t, out.String(), ".equ names")
}

// TestInfoFaultsListsTheKernelsOwnFaultsAsStatsCountsThem proves what
// docs/debugger.md says of fib.s: the kernel's zero-fill of the stack
// page that holds the arguments is in the fault list, as a kernel copy,
// and the list holds every page fault stats counts.
func TestInfoFaultsListsTheKernelsOwnFaultsAsStatsCountsThem(t *testing.T) {
	s, _ := newSession(t, "fib.s")
	faults := s.Kernel().RecentFaults()
	require.Len(t, faults, 1)
	require.Equal(t, "kernel copy: zero-fill", faults[0].How)
	require.EqualValues(t, 1, s.Kernel().Stats().PageFaults, "the boot stack page")
	s.Exec("continue")
	require.Len(t, s.Kernel().RecentFaults(), 3)
	require.EqualValues(t, 3, s.Kernel().Stats().PageFaults)
}
