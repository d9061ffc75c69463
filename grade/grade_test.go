package grade

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"toyvm/kits"
)

var update = flag.Bool("update", false, "rewrite the golden files of testdata/")

// reference is the reference tree: the repository these tests run in.
const reference = "../"

// policyKit returns the policy kit, the one these tests grade.
func policyKit(t *testing.T) *kits.Kit {
	t.Helper()
	k, err := kits.Load("policy")
	require.NoError(t, err)
	return k
}

// studentTree exports the policy kit to a new folder, then lets edit
// change it, and returns the folder.
func studentTree(t *testing.T, edit func(dir string)) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "student")
	_, err := policyKit(t).Export(reference, dir)
	require.NoError(t, err)
	if edit != nil {
		edit(dir)
	}
	return dir
}

// replaceIn replaces old with new in the file at path, which must hold
// it.
func replaceIn(t *testing.T, path, old, new string) {
	t.Helper()
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	require.Contains(t, string(b), old)
	require.NoError(t, os.WriteFile(path, []byte(strings.Replace(string(b), old, new, 1)), 0o644))
}

// golden compares got with testdata/NAME, or rewrites it with -update.
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		require.NoError(t, os.WriteFile(path, []byte(got), 0o644))
		return
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.Equal(t, string(want), got)
}

// reportFiles returns the report's table and its results.json, each test's
// output cut to its first line (the rest is the test's own output, with
// times and addresses that vary from run to run).
func reportFiles(t *testing.T, rep *Report) (table, results string) {
	t.Helper()
	var tb, jb bytes.Buffer
	require.NoError(t, rep.WriteTable(&tb))
	require.NoError(t, rep.WriteGradescope(&jb, false))
	var doc map[string]any
	require.NoError(t, json.Unmarshal(jb.Bytes(), &doc))
	for _, test := range doc["tests"].([]any) {
		m := test.(map[string]any)
		m["output"], _, _ = strings.Cut(m["output"].(string), "\n")
	}
	out, err := json.MarshalIndent(doc, "", "  ")
	require.NoError(t, err)
	return tb.String(), string(out) + "\n"
}

func TestGradingThePolicyKitsReferenceGivesFullMarks(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the tree")
	}
	k := policyKit(t)
	rep, err := Run(Options{Kit: k, Tree: reference, Hidden: filepath.Join(reference, "kits", "policy", "testdata", "hidden")})
	require.NoError(t, err)
	earned, possible := rep.Score()
	assert.Equal(t, k.Points(true), possible)
	assert.Equal(t, possible, earned)
	table, results := reportFiles(t, rep)
	golden(t, "policy_pass.table", table)
	golden(t, "policy_pass.json", results)
}

func TestGradingTheStubsFailsEveryTestWithItsReason(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the tree")
	}
	rep, err := Run(Options{Kit: policyKit(t), Tree: studentTree(t, nil)})
	require.NoError(t, err)
	earned, _ := rep.Score()
	assert.Zero(t, earned)
	table, results := reportFiles(t, rep)
	golden(t, "policy_fail.table", table)
	golden(t, "policy_fail.json", results)
}

func TestAnEndlessLoopCostsItsTestsAndNotTheRun(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the tree")
	}
	dir := studentTree(t, func(dir string) {
		replaceIn(t, filepath.Join(dir, "kernel", "policy", "lru.go"), `func (l *LRU) Insert(p Page) {
	panic("not implemented: see kits/policy/README.md")`, `func (l *LRU) Insert(p Page) {
	for {
	}`)
	})
	start := time.Now()
	rep, err := Run(Options{Kit: policyKit(t), Tree: dir, Timeout: 3 * time.Second})
	require.NoError(t, err)
	assert.Less(t, time.Since(start), 2*time.Minute)
	lru := rep.Results[4]
	require.Equal(t, "TestKitPolicyLRUEvictsTheLeastRecentlyUsedPage", lru.Test.Name)
	assert.Equal(t, "out of time: still running after 3s (an endless loop?)", lru.Why)
	assert.Equal(t, "panic: not implemented: see kits/policy/README.md", rep.Results[0].Why, "the clock tests ran all the same")
}

func TestATreeThatDoesNotBuildFailsEveryTestWithTheCompilersFirstError(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the tree")
	}
	dir := studentTree(t, func(dir string) {
		replaceIn(t, filepath.Join(dir, "kernel", "policy", "clock.go"), "func (c *Clock) Name() string", "func (c *Clock) Name() strin")
	})
	rep, err := Run(Options{Kit: policyKit(t), Tree: dir})
	require.NoError(t, err)
	for _, r := range rep.Results {
		assert.False(t, r.Passed)
		assert.Regexp(t, `^does not build: kernel/policy/clock\.go:\d+:\d+: undefined: strin$`, r.Why)
	}
}

func TestAFolderThatIsNoTreeIsAnError(t *testing.T) {
	_, err := Run(Options{Kit: policyKit(t), Tree: t.TempDir()})
	assert.ErrorContains(t, err, "is not a toyvm tree: it has no go.mod")
}

func TestFirstFailureFindsTheReason(t *testing.T) {
	testify := `=== RUN   TestX
    kit_test.go:49: 
        	Error Trace:	/tmp/x/kit_test.go:49
        	Error:      	Not equal: 
        	            	expected: 0x2
        	            	actual  : 0x3
        	Test:       	TestX
        	Messages:   	1 is referenced
--- FAIL: TestX (0.00s)
`
	assert.Equal(t, "/tmp/x/kit_test.go:49 Not equal: expected: 0x2 1 is referenced", firstFailure(testify))
	assert.Equal(t, "kit_test.go:12: got 3", firstFailure("=== RUN   TestX\n--- FAIL: TestX (0.00s)\n    kit_test.go:12: got 3\n"))
	assert.Equal(t, "panic: boom", firstFailure("=== RUN   TestX\npanic: boom [recovered]\n\tpanic: boom\n"))
}

func TestAPolicyThatChoosesAFrameItMayNotFailsWithTheRuleItBroke(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the tree")
	}
	stub := `panic("not implemented: see kits/policy/README.md")`
	dir := studentTree(t, func(dir string) {
		clock := filepath.Join(dir, "kernel", "policy", "clock.go")
		replaceIn(t, clock, "func (c *Clock) Insert(p Page) {\n\t"+stub, "func (c *Clock) Insert(p Page) {\n\tc.ring.insert(p)")
		replaceIn(t, clock, "func (c *Clock) Touch(p Page) {\n\t"+stub, "func (c *Clock) Touch(p Page) {")
		replaceIn(t, clock, "func (c *Clock) Remove(p Page) {\n\t"+stub, "func (c *Clock) Remove(p Page) {\n\tc.ring.remove(c.ring.pages.node(p))")
		// A victim the policy was never given: frame 1, the first page table.
		replaceIn(t, clock, "func (c *Clock) Victim(b Bits, evictable func(Page) bool) (Page, bool) {\n\t"+stub,
			"func (c *Clock) Victim(b Bits, evictable func(Page) bool) (Page, bool) {\n\treturn 1, true")
	})
	rep, err := Run(Options{Kit: policyKit(t), Tree: dir})
	require.NoError(t, err)
	programs := rep.Results[8]
	require.Equal(t, "TestKitPolicyProgramsRunUnderEachPolicyInTinyMemory", programs.Test.Name)
	assert.False(t, programs.Passed)
	assert.Equal(t, "panic: kernel.victim: the clock policy chose frame 0x1, which is kernel with 0 locks: a victim must be a resident page that evictable allows", programs.Why)
}
