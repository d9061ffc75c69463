package kernel

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestSpawnIsRefusedWhenMemoryCannotHoldOneMoreProcess(t *testing.T) {
	cfg := testConfig()
	cfg.MemBytes = 64 << 10
	cfg.PoolLow, cfg.PoolHigh = DefaultPool(16)
	k, _, _ := newKernel(t, cfg)
	for range 3 {
		assert.True(t, k.canAdmit(), "up to three processes still leave each 2 user frames")
		spawn(t, k, exitProgram)
	}
	assert.False(t, k.canAdmit(), "a fourth would leave them too few: they would only thrash")
}

func TestSpawnInALoopStopsAtTheProcessTableLimitUnderDefaultMemory(t *testing.T) {
	k, _, _ := newKernel(t, DefaultConfig())
	for range MaxProcesses {
		spawn(t, k, exitProgram)
	}
	assert.True(t, k.canAdmit(), "memory is not what runs out first")
	assert.Len(t, k.procs, MaxProcesses, "the table's limit is: spawn returns EAGAIN there")
}
