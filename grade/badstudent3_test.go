package grade

import (
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"toyvm/kits"
)

// Students of the pager kit (kits/pager/README.md) who wrote every
// function of kernel/pager.go as the reference does but one, whose
// pager_supply answer is wrong in a way that does not crash at once: the
// grader must fail the tests it breaks, each with a message that says
// what went wrong, pass the others, and not crash.

// pagerKit returns the pager kit.
func pagerKit(t *testing.T) *kits.Kit {
	t.Helper()
	k, err := kits.Load("pager")
	require.NoError(t, err)
	return k
}

// kitMarker matches a kit's marker line, which a student never sees.
var kitMarker = regexp.MustCompile(`(?m)^\s*(//|;) kit:[a-z0-9]+ (begin|cut|end)\s*\n`)

// pagerStudentTree exports the pager kit to a new folder, puts the
// reference's kernel/pager.go in it (its markers dropped: a student who
// wrote every function as the reference does), lets edit change that
// file, and returns the folder.
func pagerStudentTree(t *testing.T, edit func(pagerGo string)) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "student")
	_, err := pagerKit(t).Export(reference, dir)
	require.NoError(t, err)
	b, err := os.ReadFile(filepath.Join(reference, "kernel", "pager.go"))
	require.NoError(t, err)
	pagerGo := filepath.Join(dir, "kernel", "pager.go")
	require.NoError(t, os.WriteFile(pagerGo, kitMarker.ReplaceAll(b, nil), 0o644))
	if edit != nil {
		edit(pagerGo)
	}
	return dir
}

// pagerResults grades dir with the pager kit's public tests and returns
// the results by test name.
func pagerResults(t *testing.T, dir string) map[string]Result {
	t.Helper()
	rep, err := Run(Options{Kit: pagerKit(t), Tree: dir})
	require.NoError(t, err, "the grader grades the tree")
	out := map[string]Result{}
	for _, r := range rep.Results {
		out[r.Test.Name] = r
	}
	require.Len(t, out, 6)
	return out
}

func TestAPagerStudentWhoseSupplyLeavesTheFrameLockedFailsWithTheFrame(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the tree")
	}
	dir := pagerStudentTree(t, func(pagerGo string) {
		replaceIn(t, pagerGo, "\tcopy(k.Phys.Frame(t.frame), b)\n\tk.Frames.Unlock(t.frame)\n", "\tcopy(k.Phys.Frame(t.frame), b)\n")
	})
	results := pagerResults(t, dir)
	for _, name := range []string{"TestKitPagerServesThePagesOfItsObject", "TestKitPagerCountsFaultsRequestsAndSupplies", "TestKitPagerSamplePagersPrintTheSum"} {
		r := results[name]
		assert.False(t, r.Passed, name)
		assert.Regexp(t, `^toyvm/kernel/kit_pager_test\.go:\d+ a frame is still locked: after every process exited, frame 0x[0-9a-f]+ is \w+ with 1 locks: a page-in's frame is unlocked when the page-in completes or fails$`, r.Why, name)
	}
	exits := results["TestKitPagerThatExitsBeforeAnsweringHasItsClientKilled"]
	assert.True(t, exits.Passed, "no page is supplied there: %s", exits.Why)
}

func TestAPagerStudentWhoseSupplyWakesNoOneFailsWithTheHang(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the tree")
	}
	dir := pagerStudentTree(t, func(pagerGo string) {
		// The page made resident and mapped, as pageInDone does, but the
		// processes waiting for it are never woken.
		replaceIn(t, pagerGo, "\tk.stats.PagerSupplies++\n\tk.pageInDone(t, nil)\n", `	k.stats.PagerSupplies++
	k.becomeResident(t.frame)
	if t.space != nil {
		k.mapPage(t.space, t.region, t.page, t.va)
	}
`)
	})
	results := pagerResults(t, dir)
	for _, name := range []string{"TestKitPagerServesThePagesOfItsObject", "TestKitPagerCountsFaultsRequestsAndSupplies", "TestKitPagerSamplePagersPrintTheSum"} {
		r := results[name]
		assert.False(t, r.Passed, name)
		assert.Regexp(t, `^toyvm/kernel/kit_pager_test\.go:\d+ the run hung: every process waits and nothing will wake them: does every page-in wake the processes waiting for its page, once supplied or failed\? \(kernel\.returnToUser: every process waits and no event is pending\)$`, r.Why, name)
	}
	for _, name := range []string{"TestKitPagerCallsRefuseWhatTheyCannotDo", "TestKitPagerThatExitsBeforeAnsweringHasItsClientKilled"} {
		assert.True(t, results[name].Passed, "%s supplies no page anyone waits for: %s", name, results[name].Why)
	}
}
