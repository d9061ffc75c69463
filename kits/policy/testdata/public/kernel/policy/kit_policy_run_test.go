package policy_test

// The policy kit's end-to-end test: sample programs run under each
// policy in memory small enough that they evict all the time, with the
// kernel's invariants checked after every kernel entry (--check) and
// nothing left behind when they exit (the leak check).

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"toyvm/asm"
	"toyvm/kernel"
)

// kitRun runs programs/NAME under policy with mem bytes of memory and
// returns what it printed and its exit status, failing the test if the
// kernel found a broken invariant or something leaked.
func kitRun(t *testing.T, name, policy string, mem uint64) (string, int) {
	t.Helper()
	path := filepath.Join("..", "..", "programs", name)
	img, err := asm.LoadFile(path)
	require.NoError(t, err)
	var out, errs bytes.Buffer
	cfg := kernel.DefaultConfig()
	cfg.MemBytes, cfg.Policy, cfg.Check, cfg.TrackAllocations = mem, policy, true, true
	cfg.PoolLow, cfg.PoolHigh = kernel.DefaultPool(int(mem / 4096))
	cfg.Root, cfg.Assembler = filepath.Dir(path), asm.AssembleFS
	cfg.Stdout, cfg.Stderr = &out, &errs
	k, err := kernel.New(cfg)
	require.NoError(t, err)
	defer k.Close()
	status, err := k.Run(img, []string{path})
	require.NoError(t, err)
	require.NotEqual(t, kernel.StatusCheckFailed, status, "a broken invariant: %s", errs.String())
	require.NoError(t, k.Leaks(), "after %s ran under %s", name, policy)
	return out.String(), status
}

func TestKitPolicyProgramsRunUnderEachPolicyInTinyMemory(t *testing.T) {
	for _, policy := range []string{"clock", "lru"} {
		for _, name := range []string{"linear.s", "sort.s", "fork.s", "cow.s"} {
			want, err := os.ReadFile(filepath.Join("..", "..", "programs", strings.TrimSuffix(name, ".s")+".out"))
			require.NoError(t, err)
			got, status := kitRun(t, name, policy, 64<<10)
			assert.Equal(t, 0, status, "%s under %s", name, policy)
			assert.Equal(t, string(want), got, "%s under %s", name, policy)
		}
	}
}
