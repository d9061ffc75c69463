package grade

import (
	"fmt"
	"path/filepath"
	"testing"
)

// Students of the backup and tlbrefill kits (kits/backup/README.md,
// kits/tlbrefill/README.md) who wrote every function as the reference
// does but one, wrong in a way that looks plausible and does not crash
// at once: the grader must fail exactly the tests it breaks, each with a
// first line that says what went wrong, and pass the others.

// The files of the tlbrefill kit's regions.
var tlbFiles = []string{"kernel/fault.go", "kernel/sched.go"}

func TestBadStudentTLBRefillWhoEntersACleanPageWithWLosesItsWrites(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the tree")
	}
	dir := writtenTree(t, "tlbrefill", tlbFiles, func(dir string) {
		// The entry is written as the page-table entry is, W and all:
		// a write to a clean page no longer traps, and the page is
		// never marked dirty.
		replaceIn(t, filepath.Join(dir, "kernel", "fault.go"),
			"\tif !pte.Has(mmu.D) {\n\t\tpte = pte.Without(mmu.W)\n\t}\n\tk.MMU.InsertTLB(va, pte)", "\tk.MMU.InsertTLB(va, pte)")
	})
	results := gradeStudent(t, "tlbrefill", dir)
	lost := `^toyvm/kernel/kit_tlbrefill_test\.go:\d+ a write was lost: page \d+ of 24 \(%s\), read, then written, then evicted, came back without what was written: was it dirty when it was evicted\?$`
	requireFails(t, results, map[string]string{
		"TestKitTLBRefillSetsTheAccessedAndDirtyBits":       `^toyvm/kernel/kit_tlbrefill_test\.go:\d+ Not equal: expected: true page z, read then written \(0x00004000\): the dirty bit of its page-table entry frame 0x[0-9a-f]+ V P W U A -$`,
		"TestKitTLBRefillEntersACleanPageWithoutW":          `^toyvm/kernel/kit_tlbrefill_test\.go:\d+ Not equal: expected: false page x, writable but only read: W in its TLB entry valid asid 0x000 vpn 0x00002 frame 0x[0-9a-f]+ W U -$`,
		"TestKitTLBRefillPagesInOnAMissInTinyMemory":        fmt.Sprintf(lost, `under --tlb-refill sw in 64K`),
		"TestKitTLBRefillPagesAsTheHardwareWalkerDoes":      `^toyvm/kernel/kit_tlbrefill_test\.go:\d+ wrong output: \w+\.s under --tlb-refill sw in 64K prints ".*" on line \d+, where the defaults print ".*"$`,
		"TestKitTLBRefillProcessesShareTinyMemoryWithASIDs": fmt.Sprintf(lost, `pid \d of 3 --asid --tlb-refill sw in 64K`),
	})
}

func TestBadStudentTLBRefillWhoseSwitchIgnoresTheASIDFailsWithTheEntry(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the tree")
	}
	dir := writtenTree(t, "tlbrefill", tlbFiles, func(dir string) {
		// cr3 without the ASID: every entry is tagged 0, whichever
		// process it was made for.
		replaceIn(t, filepath.Join(dir, "kernel", "sched.go"),
			"\tk.MMU.SetCR3(p.Space.CR3())\n", "\tk.MMU.SetCR3(p.Space.PT.CR3())\n")
	})
	results := gradeStudent(t, "tlbrefill", dir)
	check := `^toyvm/kernel/kit_tlbrefill_test\.go:\d+ Received unexpected error: after instruction \d+: TLB: entry \d+ \(valid asid 0x000 vpn 0x[0-9a-f]+ frame 0x[0-9a-f]+ [-W] U [-D]\) belongs to no live process the kernel's invariants, checked after every kernel entry \(--check\)$`
	requireFails(t, results, map[string]string{
		"TestKitTLBRefillForkAndCopyOnWrite":                 check,
		"TestKitTLBRefillASIDsKeepTheEntriesAcrossSwitches":  check,
		"TestKitTLBRefillInvalidateDropsOnlyThatSpacesEntry": check,
		"TestKitTLBRefillProcessesShareTinyMemoryWithASIDs":  check,
	})
}

// The file of the backup kit's regions.
var backupFiles = []string{"kernel/backup.go"}

func TestBadStudentBackupWhoForgetsTheStackStepFailsWithTheEffects(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the tree")
	}
	dir := writtenTree(t, "backup", backupFiles, func(dir string) {
		// The operands' steps, but not the implicit stack operand's.
		replaceIn(t, filepath.Join(dir, "kernel", "backup.go"),
			"\treturn stackEffects(c, op, out), nil\n", "\treturn out, nil\n")
	})
	results := gradeStudent(t, "backup", dir)
	status := `^toyvm/kernel/kit_backup_run_test\.go:\d+ a different exit status: \w+\.s exits with 1\d\d under --backup decode, with 0 under precise: toyvm: process \d+ \(\w+\.s\) killed: .*$`
	requireFails(t, results, map[string]string{
		"TestKitBackupUndoesTheStackOperand":                                 `^toyvm/kernel/kit_backup_test\.go:\d+ elements differ push \(r1\)\+ at 0x1000 with page 0x7000 not present: NOT_PRESENT user write at 0x00007ffc, saved pc 0x00001002: the side effects applied are \(r1, \+4\), \(sp, -4\), decodeEffects found \(r1, \+4\)$`,
		"TestKitBackupProgramsRunAsUnderPrecise":                             status,
		"TestKitBackupAProgramThatFaultsInTheMiddleOfEveryKindOfInstruction": status,
	})
}

func TestBadStudentBackupWhoCountsAnOperandWhoseExtensionWasNotFetchedFailsWithTheEffects(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the tree")
	}
	dir := writtenTree(t, "backup", backupFiles, func(dir string) {
		// Only the specifier byte is checked: an operand whose
		// extension lies past the saved pc is taken to have run.
		replaceIn(t, filepath.Join(dir, "kernel", "backup.go"),
			"if !role.Allows(o.Mode) || !d.fetched(o.Len()-1) {", "if !role.Allows(o.Mode) {")
	})
	results := gradeStudent(t, "backup", dir)
	requireFails(t, results, map[string]string{
		"TestKitBackupStopsAtTheFirstOperandNotFetched": `^toyvm/kernel/kit_backup_test\.go:\d+ Received unexpected error: kernel\.Backup: cannot read the instruction byte at 0x00002004 sub3 0x21212121\(r1\), \(r2\)\+, -\(r3\) at 0x1ffe with page 0x2000 not present$`,
	})
}
