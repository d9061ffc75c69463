package debugger

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"toyvm/asm"
	"toyvm/kernel"
)

// fastCase is a program, its arguments, its memory, and the points a
// session sets before it continues again and again.
type fastCase struct {
	program string   // under programs/
	args    []string // after the program's path
	mem64K  bool
	points  []string
}

var fastCases = []fastCase{
	{program: "fib.s", points: []string{"b loop if r6 > 100", "tbreak putnl"}},
	{program: "fib.s", points: []string{"watch fibs+12", "b loop", "ignore 1 5"}},
	{program: "recursion.s", points: []string{"catch fault", "catch exit"}},
	{program: "hello.s", points: []string{"catch syscall write exit"}},
	{program: "parallel.s", mem64K: true, points: []string{"catch swap", "catch exit"}},
	{program: "parallel.s", mem64K: true, points: []string{"b wk_check", "catch fault"}},
	{program: "linear.s", mem64K: true, points: []string{"watch array+40000", "catch swap"}},
	{program: "cow.s", points: []string{"catch fault", "watch array+4"}},
	{program: "movc.s", points: []string{"watch dst+16"}},
	{program: "wild.s", points: []string{"catch syscall"}},
	{program: "bpt.s"},
	{program: "stackoverflow.s", points: []string{"catch fault"}},
	{program: "mapsum.s", args: []string{"-libos"}, points: []string{"catch fault", "catch syscall frame_install"}},
	{program: "pager/numpager.s", points: []string{"catch syscall pager_supply", "catch exit"}},
}

// transcript runs c's points and then continue, up to 40 times, in a
// session that runs fast or steps (slow), and returns what it printed.
func (c fastCase) transcript(t *testing.T, slow bool) string {
	path := filepath.Join("..", "programs", c.program)
	img, err := asm.LoadFile(path)
	require.NoError(t, err)
	var out bytes.Buffer
	cfg := kernel.DefaultConfig()
	cfg.Stdout, cfg.Stderr, cfg.Root = &out, &out, filepath.Join("..", "programs")
	if c.mem64K {
		cfg.MemBytes = 64 << 10
		cfg.PoolLow, cfg.PoolHigh = kernel.DefaultPool(16)
	}
	s, err := New(cfg, img, append([]string{c.program}, c.args...), &out)
	require.NoError(t, err)
	s.slowOnly = slow
	for _, line := range c.points {
		s.Exec(line)
	}
	for i := 0; i < 40 && !s.k.Done(); i++ {
		s.Exec("continue")
		s.Exec("info program")
	}
	s.Exec("stats")
	return out.String()
}

func TestContinueAtFullSpeedStopsWhereSteppingStops(t *testing.T) {
	for _, c := range fastCases {
		t.Run(strings.Join(append([]string{c.program}, c.points...), ","), func(t *testing.T) {
			fast, slow := c.transcript(t, false), c.transcript(t, true)
			assert.Equal(t, slow, fast)
		})
	}
}
