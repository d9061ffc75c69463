package debugger

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestScriptedSessionsMatchTheirGoldenTranscripts runs every
// testdata/*.script and compares its transcript with the .golden file
// of the same name.
func TestScriptedSessionsMatchTheirGoldenTranscripts(t *testing.T) {
	scripts, err := filepath.Glob(filepath.Join("testdata", "*.script"))
	require.NoError(t, err)
	require.NotEmpty(t, scripts)
	for _, path := range scripts {
		name := strings.TrimSuffix(filepath.Base(path), ".script")
		t.Run(name, func(t *testing.T) {
			script, err := os.ReadFile(path)
			require.NoError(t, err)
			checkGolden(t, name, runScript(t, string(script)))
		})
	}
}
