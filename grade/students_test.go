package grade

import (
	"os"
	"path/filepath"
	"sort"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"toyvm/kits"
)

// The bad students' tests (badstudent*_test.go) grade trees in which a
// student wrote every function of a kit as the reference does but one,
// plausible and wrong: the grader must fail exactly the tests it breaks,
// each with a first line that says what went wrong, and pass the others.
// These are their helpers.

// writtenTree exports the kit called name to a new folder, puts in it
// the reference's versions of files (their markers dropped: a student
// who wrote every function as the reference does), lets edit change
// them (given the folder), and returns the folder.
func writtenTree(t *testing.T, name string, files []string, edit func(dir string)) string {
	t.Helper()
	k, err := kits.Load(name)
	require.NoError(t, err)
	dir := filepath.Join(t.TempDir(), "student")
	_, err = k.Export(reference, dir)
	require.NoError(t, err)
	for _, f := range files {
		b, err := os.ReadFile(filepath.Join(reference, f))
		require.NoError(t, err)
		require.NoError(t, os.WriteFile(filepath.Join(dir, f), kitMarker.ReplaceAll(b, nil), 0o644))
	}
	if edit != nil {
		edit(dir)
	}
	return dir
}

// gradeStudent grades dir with the public tests of the kit called name, and
// returns the results by test name.
func gradeStudent(t *testing.T, name, dir string) map[string]Result {
	t.Helper()
	k, err := kits.Load(name)
	require.NoError(t, err)
	rep, err := Run(Options{Kit: k, Tree: dir})
	require.NoError(t, err, "the grader grades the tree")
	out := map[string]Result{}
	for _, r := range rep.Results {
		out[r.Test.Name] = r
	}
	for _, test := range k.Tests {
		if !test.Hidden {
			require.Contains(t, out, test.Name, "every public test has a result")
		}
	}
	return out
}

// failing returns the names of the tests that failed, sorted.
func failing(results map[string]Result) []string {
	var names []string
	for name, r := range results {
		if !r.Passed {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	return names
}

// requireFails requires exactly the tests of want (by name, each with
// a regular expression its first line must match) to fail.
func requireFails(t *testing.T, results map[string]Result, want map[string]string) {
	t.Helper()
	var names []string
	for name := range want {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range failing(results) {
		t.Logf("%s: %s", name, results[name].Why)
	}
	require.Equal(t, names, failing(results), "the tests that fail")
	for name, why := range want {
		assert.Regexp(t, why, results[name].Why, name)
	}
}
