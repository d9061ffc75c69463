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
	spawn(t, k, exitProgram)
	assert.True(t, k.canAdmit(), "a second process still leaves each 4 user frames")
	spawn(t, k, exitProgram)
	assert.False(t, k.canAdmit(), "a third would leave them too few: they would only thrash")
}

func TestSpawnInALoopStopsAtTheProcessTableLimitUnderDefaultMemory(t *testing.T) {
	k, _, _ := newKernel(t, DefaultConfig())
	for range MaxProcesses {
		spawn(t, k, exitProgram)
	}
	assert.True(t, k.canAdmit(), "memory is not what runs out first")
	assert.Len(t, k.procs, MaxProcesses, "the table's limit is: spawn returns EAGAIN there")
}
