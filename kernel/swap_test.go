package kernel

import (
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// swappingConfig is a machine small enough that sweepPages swaps.
func swappingConfig() Config {
	cfg := testConfig()
	cfg.MemBytes = 128 << 10
	cfg.PoolLow, cfg.PoolHigh = DefaultPool(32)
	return cfg
}

func TestASwapFileKeepsTheSwappedPagesAfterTheRun(t *testing.T) {
	cfg := swappingConfig()
	cfg.SwapSize, cfg.SwapFile = 1<<20, filepath.Join(t.TempDir(), "swap")
	_, _, status, k := runProgram(t, sweepPages, cfg)
	require.NoError(t, k.Close())
	assert.Equal(t, 192, status)
	data, err := os.ReadFile(cfg.SwapFile)
	require.NoError(t, err)
	assert.Len(t, data, 1<<20, "the file has the swap area's size")
	assert.NotEqual(t, make([]byte, 1<<20), data, "written-back pages are in it")
	assert.NotZero(t, k.Stats().SwapOuts)
}

func TestASwapFileNeverWritesOverAFileThatExists(t *testing.T) {
	cfg := swappingConfig()
	cfg.SwapFile = filepath.Join(t.TempDir(), "notes.txt")
	require.NoError(t, os.WriteFile(cfg.SwapFile, []byte("my notes"), 0o644))
	cfg.Stdout, cfg.Stderr = os.Stdout, os.Stderr
	_, err := New(cfg)
	assert.ErrorContains(t, err, "notes.txt exists: toyvm does not write over a file it did not create")
	data, err := os.ReadFile(cfg.SwapFile)
	require.NoError(t, err)
	assert.Equal(t, "my notes", string(data))
}

func TestAHugeSwapAreaTakesNoHostMemoryUntilUsed(t *testing.T) {
	cfg := testConfig()
	cfg.SwapSize = 64 << 30
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	k, _, _ := newKernel(t, cfg)
	runtime.ReadMemStats(&after)
	defer k.Close()
	assert.Equal(t, 16<<20, k.SwapArea().Slots())
	assert.Less(t, after.TotalAlloc-before.TotalAlloc, uint64(8<<20), "a bit a slot, and a 1M machine")
}
