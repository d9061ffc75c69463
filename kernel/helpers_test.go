package kernel

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/require"

	"toyvm/asm"
	"toyvm/cpu"
	"toyvm/image"
	"toyvm/isa"
	"toyvm/mmu"
)

// testConfig is a small machine for the tests: the defaults with 1 MiB
// of memory. Stdout and Stderr are set by newKernel.
func testConfig() Config {
	cfg := DefaultConfig()
	cfg.MemBytes = 1 << 20
	cfg.PoolLow, cfg.PoolHigh = DefaultPool(int(cfg.MemBytes / mmu.PageSize))
	return cfg
}

// assemble assembles a test program, failing the test on any error.
func assemble(t *testing.T, src string) *image.Image {
	t.Helper()
	img, err := asm.Assemble("test.s", []byte(src))
	require.NoError(t, err, "the test program does not assemble")
	return img
}

// newKernel builds a machine for cfg whose output goes to the returned
// buffers.
func newKernel(t *testing.T, cfg Config) (k *Kernel, stdout, stderr *bytes.Buffer) {
	t.Helper()
	stdout, stderr = new(bytes.Buffer), new(bytes.Buffer)
	cfg.Stdout, cfg.Stderr = stdout, stderr
	if cfg.Assembler == nil {
		cfg.Assembler = asm.AssembleFS
	}
	k, err := New(cfg)
	require.NoError(t, err)
	return k, stdout, stderr
}

// runProgram assembles src and runs it as the first process, with argv
// {"test.s"}, to the end. It returns what the run printed, the first
// process's exit status, and the kernel to inspect afterwards.
func runProgram(t *testing.T, src string, cfg Config) (stdout, stderr string, status int, k *Kernel) {
	t.Helper()
	return runImage(t, assemble(t, src), cfg)
}

// runImage runs img as the first process, with argv {"test.s"}, to the
// end. It returns what the run printed, the first process's exit status,
// and the kernel to inspect afterwards.
func runImage(t *testing.T, img *image.Image, cfg Config) (stdout, stderr string, status int, k *Kernel) {
	t.Helper()
	k, out, errb := newKernel(t, cfg)
	status, err := k.Run(img, []string{"test.s"})
	require.NoError(t, err)
	return out.String(), errb.String(), status, k
}

// spawn creates a process for src with the arguments argv without
// running it.
func spawn(t *testing.T, k *Kernel, src string, argv ...string) *Process {
	t.Helper()
	p, err := k.Spawn(assemble(t, src), append([]string{"test.s"}, argv...))
	require.NoError(t, err)
	return p
}

// firstProcess returns process 1, which keeps its registers of the
// moment it exited (the exit system call's trap saved them).
func firstProcess(t *testing.T, k *Kernel) *Process {
	t.Helper()
	require.NotEmpty(t, k.procs)
	return k.procs[0]
}

// inSyscall puts k's CPU as it is in the trap of a SYS, for the tests
// that call system calls directly: a call that must wait takes back the
// count of its SYS (restartSyscall).
func inSyscall(k *Kernel) {
	k.CPU.Cause = cpu.FaultCause{Cause: isa.Syscall, User: true}
	k.CPU.Instructions = 1 << 20
}

// bootFree is how many frames a machine of cfg has free before any
// process exists: all but frame 0.
func bootFree(cfg Config) int { return int(cfg.MemBytes/mmu.PageSize) - 1 }

// present reports whether the page holding va is in memory for p.
func present(p *Process, va uint32) bool {
	return p.Space.PT.Lookup(mmu.VAddr(va)).PTE.Has(mmu.P)
}

// symbol returns the value of a label of img.
func symbol(t *testing.T, img *image.Image, name string) uint32 {
	t.Helper()
	for _, s := range img.Symbols {
		if s.Name == name {
			return s.Value
		}
	}
	t.Fatalf("no symbol %q", name)
	return 0
}

// exitProgram is the smallest program: exit(0).
const exitProgram = `
start:  mov     #1, r0
        clr     r1
        sys
`

// pages is n pages in bytes.
func pages(n int) uint32 { return uint32(n) * isa.PageSize }

// mmuAD is the accessed and dirty bits together.
func mmuAD() mmu.Bits { return mmu.A | mmu.D }
