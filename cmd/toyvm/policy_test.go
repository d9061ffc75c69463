package main

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"

	"toyvm/kernel/policy"
)

func TestPolicyPrintsOnlyTheHitsAndMissesOfTheBookExamples(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--policy", "fifo", "--frames", "3", "--refs", "1,2,3,4,1,2,5,1,2,3,4,5"}, "hits=3 misses=9\n"},
		{[]string{"--policy", "fifo", "--frames", "4", "--refs", "1,2,3,4,1,2,5,1,2,3,4,5"}, "hits=2 misses=10\n"},
		{[]string{"--policy", "opt", "--frames", "3", "--refs", "0,1,2,0,1,3,0,3,1,2,1"}, "hits=6 misses=5\n"},
		{[]string{"--policy", "fifo", "--frames", "3", "--refs", "0,1,2,0,1,3,0,3,1,2,1"}, "hits=4 misses=7\n"},
		{[]string{"--policy=lru", "--frames=3", "--refs=0, 1, 2, 0, 1, 3, 0, 3, 1, 2, 1"}, "hits=6 misses=5\n"},
		{[]string{"--policy", "esc", "--frames", "2", "--refs", "1w,2,3,1w"}, "hits=1 misses=3\n"},
	} {
		r := toyvm(t, append([]string{"policy"}, c.args...)...)
		assert.Equal(t, exitOK, r.status, "%q: %s", c.args, r.stderr)
		assert.Equal(t, c.want, r.stdout, "%q", c.args)
		assert.Empty(t, r.stderr, "%q", c.args)
	}
}

func TestPolicyKnowsEveryKernelPolicyAndOPT(t *testing.T) {
	for _, name := range policy.SimulatedNames() {
		r := toyvm(t, "policy", "--policy", name, "--frames", "2", "--refs", "1,2,1,3w,1,2")
		assert.Equal(t, exitOK, r.status, "%s: %s", name, r.stderr)
		assert.Regexp(t, `^hits=\d+ misses=\d+\n$`, r.stdout, name)
	}
}

func TestPolicyVerbosePrintsEachReferenceOnStandardError(t *testing.T) {
	r := toyvm(t, "policy", "--policy", "fifo", "--frames", "1", "--refs", "1w,1,2", "-v")
	assert.Equal(t, exitOK, r.status)
	assert.Equal(t, "hits=1 misses=2\n", r.stdout)
	lines := strings.Split(strings.TrimSuffix(r.stderr, "\n"), "\n")
	if assert.Len(t, lines, 3) {
		assert.Regexp(t, `^\s+1\s+1w\s+miss\s+hits=0 misses=1$`, lines[0])
		assert.Regexp(t, `^\s+2\s+1\s+hit\s+hits=1 misses=1$`, lines[1])
		assert.Regexp(t, `^\s+3\s+2\s+miss, evict 1 \(dirty\)\s+hits=1 misses=2$`, lines[2])
	}
}

func TestPolicyRandomRepeatsForASeed(t *testing.T) {
	args := []string{"policy", "--policy", "random", "--frames", "3", "--refs", "1,2,3,4,1,2,5,1,2,3,4,5,1,3,5,2,4", "--seed", "7"}
	assert.Equal(t, toyvm(t, args...), toyvm(t, args...))
}

func TestPolicyBadInputIsAnErrorOfUseNamingTheProblem(t *testing.T) {
	ok := []string{"--policy", "lru", "--frames", "3", "--refs", "1,2"}
	with := func(flag, value string) []string {
		args := append([]string{"policy"}, ok...)
		for i := range args {
			if args[i] == flag {
				args[i+1] = value
			}
		}
		return args
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{with("--policy", "no-such-policy"), `unknown replacement policy "no-such-policy" (known: ` + strings.Join(policy.SimulatedNames(), ", ") + ")"},
		{with("--frames", "0"), "at least 1 frame is needed, not 0"},
		{[]string{"policy", "--policy", "lru", "--frames=-4", "--refs", "1"}, "at least 1 frame is needed, not -4"},
		{with("--frames", "many"), "--frames"},
		{with("--refs", ""), "--refs: the reference string is empty"},
		{with("--refs", " "), "--refs: the reference string is empty"},
		{with("--refs", "1,2,"), "--refs: item 3: empty"},
		{with("--refs", "1,,2"), "--refs: item 2: empty"},
		{with("--refs", "1,2,x"), `--refs: item 3: "x" is not a page number`},
		{with("--refs", "1,-2"), `--refs: item 2: "-2" is not a page number`},
		{with("--refs", "1,2r"), `--refs: item 2: "2r" is not a page number`},
		{with("--refs", "w"), `--refs: item 1: "w" is not a page number`},
		{with("--refs", "4294967296"), `--refs: item 1: "4294967296" is not a page number`},
		{[]string{"policy", "--frames", "3", "--refs", "1"}, "missing flags: --policy"},
		{[]string{"policy", "--policy", "lru", "--refs", "1"}, "missing flags: --frames"},
		{[]string{"policy", "--policy", "lru", "--frames", "3"}, "missing flags: --refs"},
	} {
		assertUsageError(t, toyvm(t, c.args...), c.want, c.args)
	}
}

func TestPolicyHelpNamesEveryPolicyAndFlag(t *testing.T) {
	r := toyvm(t, "policy", "--help")
	assert.Equal(t, exitOK, r.status)
	for _, name := range policy.SimulatedNames() {
		assert.Contains(t, r.stdout, name)
	}
	for _, flag := range []string{"--policy", "--frames", "--refs", "--seed", "--verbose"} {
		assert.Contains(t, r.stdout, flag)
	}
}
