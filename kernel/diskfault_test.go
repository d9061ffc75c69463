package kernel

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestAPageTheDiskCannotReadKillsItsProcessWith135(t *testing.T) {
	cfg := testConfig()
	cfg.DiskFaults, cfg.Check = 1, true
	_, errs, status, k := runProgram(t, exitProgram, cfg)
	assert.Equal(t, StatusBus, status)
	assert.Equal(t, "toyvm: process 1 (test.s) killed: page lost: the disk could not read it after 4 tries "+
		"(disk read image:text at 0: media error) at 0x00001000, pc 0x00001000 (exit status 135)\n", errs)
	s := k.Stats()
	assert.Equal(t, uint64(MaxDiskTries-1), s.DiskRetries)
	assert.Equal(t, uint64(1), s.DiskFailures)
	assert.Zero(t, k.Frames.Len()-1-k.Frames.FreeCount(), "every frame is free again")
}

func TestWriteBacksThatFailKeepTheirPagesAndTheRunLosesNothing(t *testing.T) {
	cfg := swappingConfig()
	cfg.Check, cfg.Trace = true, TraceDisk
	cfg.DiskFaults, cfg.Seed = 0.4, 1
	// one pass: pages are zero-filled, written to and evicted, never
	// read back (a page-in that failed would kill)
	onePass := strings.Replace(sweepPages, "#3, r3", "#1, r3", 1)
	out, errs, status, k := runProgram(t, onePass, cfg)
	assert.Equal(t, 64, status, "the same result as without faults")
	assert.Empty(t, out)
	assert.Regexp(t, `failed: write swap@\S+ tag \d+ \(disk write swap at \d+: media error\): given up after 4 tries`, errs)
	assert.NotZero(t, k.Stats().DiskFailures)
}

func TestAFileTheDiskCannotReadGivesEIO(t *testing.T) {
	cfg, dir := fileConfig(t)
	putFile(t, dir, "in.txt", "unreadable")
	cfg.Check = true
	k, out, _ := newKernel(t, cfg)
	img := assemble(t, scriptProgram([]step{
		call(SysGetpid),
		call(SysOpen, "#in", "#0"),
		call(SysRead, "res1", "#buf", "#100"),
	}, fileData))
	require.NoError(t, k.Boot(img, []string{"test.s"}))
	for k.CPU.Instructions < 3 { // getpid and its result stored: text and data are in
		k.CPU.Step()
	}
	k.Disk.SetFaults(1, 1)
	k.CPU.Run(1 << 20)
	assert.True(t, k.Done())
	assert.Equal(t, 0, k.status())
	assert.Equal(t, []byte{1, 0, 0, 0, 3, 0, 0, 0, EIO & 0xff, 0xff, 0xff, 0xff}, out.Bytes())
	assert.Equal(t, uint64(1), k.Stats().DiskFailures)
}
