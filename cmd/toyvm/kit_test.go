package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestKitListNamesEveryKitWithItsPoints(t *testing.T) {
	got := toyvm(t, "kit", "list")
	assert.Equal(t, 0, got.status, got.stderr)
	assert.Contains(t, got.stdout, "policy     A page-replacement policy: clock and LRU (100 points, 25 of them hidden)\n")
}

func TestKitShowListsTheTestsAndTheRegions(t *testing.T) {
	got := toyvm(t, "kit", "show", "policy")
	assert.Equal(t, 0, got.status, got.stderr)
	assert.Contains(t, got.stdout, "   10  ./kernel/policy TestKitPolicyClockGivesAReferencedPageASecondChance\n")
	assert.Contains(t, got.stdout, "(hidden)\n")
	assert.Regexp(t, `  kernel/policy/clock.go:\d+: \(c \*Clock\) Victim \(stub\)\n`, got.stdout)
}

func TestKitExportWritesAStudentsTreeOnlyIntoANewFolder(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "student")
	got := toyvm(t, "kit", "export", "policy", dir)
	require.Equal(t, 0, got.status, got.stderr)
	assert.Equal(t, dir+": the policy kit, 8 regions to write (kits/policy/README.md says what to do)\n", got.stdout)
	b, err := os.ReadFile(filepath.Join(dir, "kernel", "policy", "lru.go"))
	require.NoError(t, err)
	assert.Contains(t, string(b), `panic("not implemented: see kits/policy/README.md")`)
	assert.NotContains(t, string(b), "kit:policy")

	again := toyvm(t, "kit", "export", "policy", dir)
	assert.Equal(t, result{status: 2, stderr: "toyvm: " + dir + " is not empty: a kit is exported into a new folder\n"}, again)
	inside := toyvm(t, "kit", "export", "policy", "students")
	assert.Equal(t, 2, inside.status)
	assert.Contains(t, inside.stderr, "is inside the reference tree")
}

func TestKitAndGradeRefuseAnUnknownKit(t *testing.T) {
	for _, args := range [][]string{{"kit", "show", "nope"}, {"kit", "export", "nope", t.TempDir()}, {"grade", "nope", "."}} {
		got := toyvm(t, args...)
		assert.Equal(t, 2, got.status, args)
		assert.Contains(t, got.stderr, `toyvm: no kit "nope" (kits: backup, daemon, fork, pager, policy, syscall, tlbrefill)`, args)
	}
}

func TestGradeRefusesAFolderThatIsNoTree(t *testing.T) {
	dir := t.TempDir()
	got := toyvm(t, "grade", "policy", dir)
	assert.Equal(t, result{status: 2, stderr: "toyvm: " + dir + " is not a toyvm tree: it has no go.mod\n"}, got)
}

func TestGradeOfTheReferencePrintsFullMarksAndWritesResultsJSON(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the tree")
	}
	results := filepath.Join(t.TempDir(), "results.json")
	got := toyvm(t, "grade", "policy", "../..", "--hidden", "../../kits/policy/testdata/hidden", "--json", results)
	require.Equal(t, 0, got.status, got.stderr)
	assert.Contains(t, got.stdout, "TestKitPolicyHiddenManyProcessesUnderTheSharedPool (hidden)    5/5     pass\n")
	assert.Contains(t, got.stdout, "score: 100 of 100 points (policy kit)\n")
	b, err := os.ReadFile(results)
	require.NoError(t, err)
	assert.Contains(t, string(b), `"score": 100,`)
	assert.Contains(t, string(b), `"visibility": "after_published"`)
}
