package grade

import (
	"path/filepath"
	"testing"
)

// Students of the daemon kit (kits/daemon/README.md) and of the fork kit
// (kits/fork/README.md) who wrote every function as the reference does
// but one, which is plausible and wrong in a way that does not crash at
// once: a daemon that writes clean pages to swap too, or that stops at
// the low watermark; a fork that shares private pages without taking W
// away, or a copy on write that leaves the old frame's reverse map with
// the writer's entry (a share the old page never loses). The grader must
// fail the tests each breaks, with a first line that says what went
// wrong, pass the others, and not crash.

var (
	dfDaemonFiles = []string{"kernel/daemon.go", "kernel/pageio.go"}
	dfForkFiles   = []string{"kernel/fork.go", "kernel/cow.go"}
)

func TestBadStudentDaemonWhoWritesCleanPagesToSwapFailsWithTheWrites(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the tree")
	}
	dir := writtenTree(t, "daemon", dfDaemonFiles, func(dir string) {
		// Every victim of a swappable object is written, dirty or not.
		replaceIn(t, filepath.Join(dir, "kernel", "daemon.go"),
			"\tswap := dirty && pg.Home().Swappable\n", "\tswap := pg.Home().Swappable\n")
	})
	const at = `^toyvm/kernel/kit_daemon_test\.go:\d+ `
	const runAt = `^toyvm/kernel/kit_daemon_run_test\.go:\d+ `
	requireFails(t, gradeStudent(t, "daemon", dir), map[string]string{
		"TestKitDaemonCountsTheFramesThatAreAvailable":                   at + `Not equal: expected: 2 a clean victim is in the pool$`,
		"TestKitDaemonWakesBelowTheLowWatermarkAndFillsThePoolToTheHigh": at + `Not equal: expected: 4 clean victims go to the pool at once$`,
		"TestKitDaemonPutsACleanVictimInThePoolAtOnce":                   at + `Not equal: expected: "pool" a clean victim's frame$`,
		"TestKitDaemonWritesADirtyVictimOnceThenPoolsIt":                 at + `Not equal: expected: "pool" clean now: to the pool at once$`,
		"TestKitDaemonReclaimsAPageFromThePoolWithoutIO":                 at + `Not equal: expected: "reclaim" heap page 4, evicted clean, is in the pool: touched again, it is reclaimed$`,
		"TestKitDaemonNeverWritesACleanPage":                             runAt + `"\d+" is not less than or equal to "1" clock: the stack alone is dirty: a clean page is never written to swap$`,
		"TestKitDaemonWritesADirtyPageOnceHoweverOftenItIsEvicted":       runAt + `"\d+" is not less than or equal to "25" 1 passes: each page of the array and the stack is dirtied once, so it is written once`,
	})
}

func TestBadStudentDaemonWhoStopsAtTheLowWatermarkFailsWithThePoolLevel(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the tree")
	}
	dir := writtenTree(t, "daemon", dfDaemonFiles, func(dir string) {
		// The daemon evicts until the low watermark is reached, not the
		// high: it wakes again at the next allocation.
		replaceIn(t, filepath.Join(dir, "kernel", "daemon.go"),
			"\tfor k.available() < k.target() {\n", "\tfor k.available() < min(k.cfg.PoolLow, k.target()) {\n")
	})
	requireFails(t, gradeStudent(t, "daemon", dir), map[string]string{
		"TestKitDaemonWakesBelowTheLowWatermarkAndFillsThePoolToTheHigh": `^toyvm/kernel/kit_daemon_test\.go:\d+ Not equal: expected: \d+ from \d+ available to the high watermark \d+$`,
		"TestKitDaemonReclaimsAPageFromThePoolWithoutIO":                 `^toyvm/kernel/kit_daemon_test\.go:\d+ Not equal: expected: \d+ and filled the pool to the high watermark$`,
		"TestKitDaemonSampleProgramsRunIn64K":                            `^toyvm/kernel/kit_daemon_run_test\.go:\d+ "0" is not positive linear\.s: pages were reclaimed from the pool$`,
		"TestKitDaemonKeepsTheAvailableFramesBetweenTheWatermarks": `^toyvm/kernel/kit_daemon_run_test\.go:\d+ Not equal: expected: 4 up to the high watermark, no further: ` +
			`linear\.s with the watermarks 2 and 4: the frames available at each fault: map\[2:\d+ 3:\d+\]$`,
	})
}

func TestBadStudentForkWhoSharesWithoutWriteProtectingFailsWithTheWrite(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the tree")
	}
	dir := writtenTree(t, "fork", dfForkFiles, func(dir string) {
		// The pages are shared, but the parent's entries keep W.
		replaceIn(t, filepath.Join(dir, "kernel", "fork.go"), "\t\to.Share(i, pg)\n\t\tk.writeProtect(pg)\n", "\t\to.Share(i, pg)\n")
	})
	const at = `^toyvm/kernel/kit_fork_test\.go:\d+ `
	const runAt = `^toyvm/kernel/kit_fork_run_test\.go:\d+ `
	requireFails(t, gradeStudent(t, "fork", dir), map[string]string{
		"TestKitForkSharesEveryPrivatePageCopyOnWrite":         at + `Should be false but loses W, so that its next write faults: frame 0x[0-9a-f]+ V P W U A D$`,
		"TestKitForkTheFirstWriteCopiesAndTheLastHolderReuses": at + `Not equal: expected: "writable again \(no other sharer\)" the parent writes a page no longer shared: no copy$`,
		"TestKitForkParentAndChildSeeTheirOwnWrites":           runAt + `Not equal: expected: "A\\nP\\n" the child does not see its parent's store after the fork, at precise$`,
		"TestKitForkCountsCopiesReusesAndSharedHits":           runAt + `Not equal: expected: 4 the parent's writes once the child has exited, at precise$`,
	})
}

func TestBadStudentForkWhoseCopyKeepsTheOldMappingFailsWithTheReverseMap(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the tree")
	}
	dir := writtenTree(t, "fork", dfForkFiles, func(dir string) {
		// The copy is mapped over the old page's entry, but the old
		// frame's reverse map keeps it: a share the old page never loses.
		replaceIn(t, filepath.Join(dir, "kernel", "cow.go"),
			"\tif m, ok := k.mappingOf(p.Space, old, va); ok {\n\t\tk.unmapPage(m, old, false)\n\t}\n", "")
	})
	// --check names the frame, the page, the entry that no longer maps
	// it, and what the entry should be.
	const rmap = `frames and page tables: frame 0x[0-9a-f]+ holds (data|heap) page \d+( \(held by \d+ objects\))?, mapped by pid \d+ at 0x[0-9a-f]{8}, ` +
		`but that entry is frame 0x[0-9a-f]+ V P W U A [D-], want frame 0x[0-9a-f]+ V P`
	const part = `^toyvm/kernel/kit_fork_test\.go:\d+ Received unexpected error: ` + rmap + ` after the (write fault|store) at 0x[0-9a-f]{8}$`
	const run = `^toyvm/kernel/kit_fork_run_test\.go:\d+ Should not be: 125 \w+\.s: a broken invariant: toyvm: --check: after instruction \d+: ` + rmap + `$`
	requireFails(t, gradeStudent(t, "fork", dir), map[string]string{
		"TestKitForkTheFirstWriteCopiesAndTheLastHolderReuses": part,
		"TestKitForkAKernelWriteIntoASharedPageCopiesItFirst":  part,
		"TestKitForkLeavesNothingBehindWhicheverExitsFirst":    part,
		"TestKitForkSampleProgramsUnderEveryBackupLevel":       run,
		"TestKitForkParentAndChildSeeTheirOwnWrites":           run,
		"TestKitForkCountsCopiesReusesAndSharedHits":           run,
		"TestKitForkAReadIntoASharedBufferBreaksTheSharing":    run,
		"TestKitForkATreeOfWritersUnderEveryBackupLevel":       run,
	})
}
