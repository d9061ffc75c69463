package main

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"

	"toyvm/kernel/policy"
)

// vmDemos are the virtual-memory demos of programs/, each with the
// smallest memory it is meant to run in: enough for it to page heavily,
// never enough to hold it. parallel.s runs three processes, whose page
// tables alone take 9 of the 16 frames of 64K. fork.s, cow.s and shm.s
// share pages between a parent and its children: in 64K the daemon
// evicts pages that two processes map, and they come back, from swap or
// from the pool, into one frame that both map again.
var vmDemos = []struct{ prog, mem string }{
	{"programs/linear.s", "64K"},
	{"programs/shuffle.s", "64K"},
	{"programs/recursion.s", "64K"},
	{"programs/stackoverflow.s", "64K"},
	{"programs/sbrk.s", "64K"},
	{"programs/sbrkbad.s", "64K"},
	{"programs/parallel.s", "128K"},
	{"programs/fork.s", "64K"},
	{"programs/cow.s", "64K"},
	{"programs/shm.s", "64K"},
}

// Every choice of the kernel that must not change what a program prints.
var (
	vmPolicies = policy.Names()
	vmLevels   = []string{"precise", "log", "decode"}
	vmLayouts  = []string{"static", "dynamic"}
)

// TestVMDemosPrintTheSameUnderSmallMemoryWithEveryPolicyHelpLevelAndSwapLayout
// runs each demo in small memory under every replacement policy, help
// level and swap layout, with --check: no invariant breaks, and the
// output, errors and exit status are those of the default run (the
// .out, .err and .exit files beside the program).
func TestVMDemosPrintTheSameUnderSmallMemoryWithEveryPolicyHelpLevelAndSwapLayout(t *testing.T) {
	t.Chdir("../..")
	for _, d := range vmDemos {
		want := expected(t, d.prog)
		for _, flags := range vmVariants(d.mem) {
			t.Run(strings.TrimPrefix(d.prog, "programs/")+" "+strings.Join(flags, " "), func(t *testing.T) {
				got := toyvm(t, append(append([]string{"run"}, flags...), d.prog)...)
				assert.Equal(t, want, got)
			})
		}
	}
}

// vmVariants returns the flags of every combination of policy, help level
// and swap layout at memory size mem, with --check.
func vmVariants(mem string) [][]string {
	var all [][]string
	for _, p := range vmPolicies {
		for _, l := range vmLevels {
			for _, s := range vmLayouts {
				all = append(all, []string{"--mem", mem, "--check", "--policy", p,
					"--backup", l, "--swap", s, "--seed", fmt.Sprint(len(all) + 1)})
			}
		}
	}
	return all
}

// TestAnInstructionWhosePagesCannotFitTogetherIsKilledNotLeftSpinning
// runs fourteen.s, one instruction needing 14 pages at once, in 64K,
// where fewer frames are left: under every policy and help level the
// kernel sees the faults make no progress and kills the process with
// 137, instead of restarting the instruction for ever. In 96K the same
// program completes.
func TestAnInstructionWhosePagesCannotFitTogetherIsKilledNotLeftSpinning(t *testing.T) {
	t.Chdir("../..")
	want := expected(t, "programs/fourteen.s")
	for _, p := range vmPolicies {
		for _, l := range vmLevels {
			flags := []string{"--check", "--policy", p, "--backup", l, "programs/fourteen.s"}
			r := toyvm(t, append([]string{"run", "--mem", "64K"}, flags...)...)
			assert.Equal(t, 137, r.status, "%s %s", p, l)
			assert.Regexp(t, `^toyvm: process 1 \(programs/fourteen.s\) killed: out of memory: one instruction's pages`+
				` do not fit together \(256 faults without progress\) at 0x[0-9a-f]{8}, pc 0x00002ffe \(exit status 137\)\n$`, r.stderr)
			assert.Equal(t, want, toyvm(t, append([]string{"run", "--mem", "96K"}, flags...)...), "%s %s", p, l)
		}
	}
}
