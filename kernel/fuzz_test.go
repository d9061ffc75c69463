package kernel

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The system-call fuzzer: each input is a script of up to 32 system calls
// with arguments drawn from a menu of good and hostile values (wild
// pointers, the kernel's half of the address space, buffers that cross
// pages, paths that climb out of the root or through a link, lengths of
// -1 and 2^31-1). The script is a program that the first process runs,
// and that spawn runs again in children. Whatever the calls, the run
// must end (within --max-steps), break no invariant (--check), and touch
// no host file outside its root.

// fuzzPatience is how much host time a run of 20,000 instructions may
// take before the fuzzer calls it a hang.
const fuzzPatience = 20 * time.Second

// fuzzArgs is the menu an argument byte picks from (modulo its length).
var fuzzArgs = []string{
	"#0", "#1", "#2", "#3", "#4", "#-1", "#0x7fffffff", "#0x80000000",
	"#0xfffffff0", "#buf", "#buf+4090", "#self", "#out", "#up", "#link", "#abs",
	"#argv", "#start", "#4096", "#0x40000000", "#0x7ffff000", "#100", "#-4096", "#8",
	"#buf+8192", "#0x100009",
}

// fuzzProgram turns the fuzzer's bytes into a program: four bytes a call
// (its number modulo 44, so unknown numbers too, and three arguments).
func fuzzProgram(data []byte) string {
	var b strings.Builder
	b.WriteString("start:\n")
	for i := 0; i+4 <= len(data) && i < 4*32; i += 4 {
		fmt.Fprintf(&b, "        mov     #%d, r0\n", data[i]%44)
		for j := 1; j <= 3; j++ {
			fmt.Fprintf(&b, "        mov     %s, r%d\n", fuzzArgs[int(data[i+j])%len(fuzzArgs)], j)
		}
		b.WriteString("        sys\n")
	}
	b.WriteString(`        mov     #1, r0
        clr     r1
        sys
        .data
self:   .asciz  "f.s"
out:    .asciz  "out.txt"
up:     .asciz  "../outside/secret"
link:   .asciz  "link"
abs:    .asciz  "/etc/passwd"
        .align  4
argv:   .word   out, self, 0
        .align  4096
buf:    .space  8192
`)
	return b.String()
}

// fuzzTree makes a root folder and, beside it, a folder with a secret
// file that the root's "link" points at; it returns both.
func fuzzTree(t *testing.T) (root, outside string) {
	dir := t.TempDir()
	root, outside = filepath.Join(dir, "root"), filepath.Join(dir, "outside")
	require.NoError(t, os.Mkdir(root, 0o755))
	require.NoError(t, os.Mkdir(outside, 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(outside, "secret"), []byte("secret"), 0o644))
	require.NoError(t, os.Symlink(filepath.Join(outside, "secret"), filepath.Join(root, "link")))
	return root, outside
}

func FuzzSystemCalls(f *testing.F) {
	f.Add([]byte{4, 12, 0, 0, 3, 9, 9, 22, 2, 1, 9, 21})                                              // open(self), read, write
	f.Add([]byte{6, 11, 16, 0, 7, 5, 0, 0, 11, 6, 0, 0})                                              // spawn(self, argv), wait(-1), sbrk(2^31-1)
	f.Add([]byte{4, 12, 1, 0, 2, 3, 9, 20, 5, 3, 0, 0})                                               // open(out, write), write(3, buf, 2^31-1), close
	f.Add([]byte{4, 13, 0, 0, 4, 14, 2, 0, 4, 15, 1, 0})                                              // open(up), open(link, rw), open(abs, write)
	f.Add([]byte{2, 1, 7, 4, 3, 0, 8, 5, 18, 6, 0, 0, 19, 0, 0})                                      // write(1, 0x80000000, ...), read(0, 0xfffffff0), sleep
	f.Add([]byte{32, 17, 24, 0, 33, 0, 18, 3, 34, 0, 0, 0, 35, 19, 25, 3, 36, 25, 0, 0, 37, 0, 0, 0}) // a library OS's calls
	f.Add([]byte{40, 4, 0, 0, 12, 0, 18, 1, 41, 3, 9, 0, 42, 3, 1, 9, 8, 0, 0, 0})                    // a pager's calls
	f.Fuzz(func(t *testing.T, data []byte) {
		root, outside := fuzzTree(t)
		src := fuzzProgram(data)
		require.NoError(t, os.WriteFile(filepath.Join(root, "f.s"), []byte(src), 0o644))
		cfg := testConfig()
		cfg.MemBytes, cfg.Root, cfg.Check, cfg.MaxSteps = 256<<10, root, true, 20_000
		cfg.PoolLow, cfg.PoolHigh = DefaultPool(64)
		cfg.FileQuota = FileQuota{Bytes: 64 << 10, Files: 4}
		cfg.Quantum, cfg.DiskLatency = 1000, 1000
		k, _, errb := newKernel(t, cfg)
		defer k.Close()
		slow := time.AfterFunc(fuzzPatience, func() { k.Interrupt(HostInterrupt{Name: "the fuzzer", Status: 200}) })
		status, err := k.Run(assemble(t, src), []string{"f.s"})
		slow.Stop()
		require.NoError(t, err)
		require.NotEqual(t, 200, status, "%d instructions took more than %v of host time", cfg.MaxSteps, fuzzPatience)
		require.NoError(t, k.Check(), errb.String())
		assert.NotEqual(t, StatusCheckFailed, status)
		secret, err := os.ReadFile(filepath.Join(outside, "secret"))
		require.NoError(t, err)
		assert.Equal(t, "secret", string(secret))
		entries, err := os.ReadDir(filepath.Dir(root))
		require.NoError(t, err)
		assert.Len(t, entries, 2, "nothing new beside the root")
	})
}
