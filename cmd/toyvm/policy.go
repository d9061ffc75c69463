package main

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"toyvm/kernel/policy"
)

// PolicyCmd is `toyvm policy`: it replays a page reference string through
// the kernel's own replacement policy code (package kernel/policy), or
// through Belady's optimal policy, and prints the hits and misses.
type PolicyCmd struct {
	Policy  string `required:"" placeholder:"NAME" help:"Replacement policy: fifo, clock, lru, random, esc or opt."`
	Frames  int    `required:"" placeholder:"N" help:"Frames of memory, at least 1; memory starts empty."`
	Refs    string `required:"" placeholder:"LIST" help:"Page reference string: comma-separated page numbers, a w suffix marking a write (1,2,3w,1)."`
	Seed    uint64 `default:"1" help:"Seed of the random policy's choices."`
	Verbose bool   `short:"v" help:"Print on standard error what happened at each reference."`
}

// Run simulates the reference string and prints "hits=H misses=M"; it
// returns an error of use for an unknown policy, too few frames or a
// malformed reference string.
func (c *PolicyCmd) Run(e env) error {
	refs, err := parseRefs(c.Refs)
	if err != nil {
		return fmt.Errorf("--refs: %w", err)
	}
	res, err := policy.Simulate(c.Policy, c.Frames, refs, c.Seed)
	if err != nil {
		return err
	}
	if c.Verbose {
		printSteps(e, res)
	}
	fmt.Fprintf(e.stdout, "hits=%d misses=%d\n", res.Hits, res.Misses)
	return nil
}

// printSteps prints one line per reference on standard error, with the
// counts so far, like the OSTEP simulator's -c output.
func printSteps(e env, res policy.Result) {
	hits, misses := 0, 0
	for i, s := range res.Steps {
		if s.Hit {
			hits++
		} else {
			misses++
		}
		fmt.Fprintf(e.stderr, "%4d  %-8v %-24v hits=%d misses=%d\n", i+1, s.Ref, s, hits, misses)
	}
}

// parseRefs parses a reference string such as "1,2,3w,1". It returns an
// error naming the position (from 1) of the first bad item, or saying
// that the string is empty.
func parseRefs(s string) ([]policy.Ref, error) {
	if strings.TrimSpace(s) == "" {
		return nil, errors.New("the reference string is empty")
	}
	items := strings.Split(s, ",")
	refs := make([]policy.Ref, len(items))
	for i, item := range items {
		r, err := parseRef(strings.TrimSpace(item))
		if err != nil {
			return nil, fmt.Errorf("item %d: %w", i+1, err)
		}
		refs[i] = r
	}
	return refs, nil
}

// parseRef parses one item: a page number, with a "w" suffix for a
// write. It returns an error quoting a malformed item.
func parseRef(item string) (policy.Ref, error) {
	if item == "" {
		return policy.Ref{}, errors.New("empty (two commas in a row, or one at an end?)")
	}
	digits, write := strings.CutSuffix(item, "w")
	n, err := strconv.ParseUint(digits, 10, 32)
	if err != nil {
		return policy.Ref{}, fmt.Errorf("%q is not a page number (0 to %d), with an optional w suffix", item, uint32(1<<32-1))
	}
	return policy.Ref{Page: uint32(n), Write: write}, nil
}
