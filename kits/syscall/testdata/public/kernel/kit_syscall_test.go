package kernel

// The public tests of the syscall kit (kits/syscall/README.md): mincore,
// system call 22, from its line in the table to a user program.

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"toyvm/asm"
)

// kitMincoreNames names the calls the tests use.
const kitMincoreNames = `
        .equ    EXIT, 1
        .equ    MMAP, 12
        .equ    MINCORE, 22
`

// kitMapFour maps 4 pages of anonymous memory, readable and writable,
// at r7, then runs main, which leaves the exit status in r1.
func kitMapFour(main string) string {
	return kitMincoreNames + `
start:  mov     #MMAP, r0
        clr     r1
        mov     #16384, r2
        mov     #3, r3
        mov     #6, r4
        sys
        mov     r0, r7
` + main + `
        mov     #EXIT, r0
        sys
        .data
vec:    .space  64
`
}

// kitRun runs src checked, with allocations tracked, and returns its
// exit status, failing the test if anything leaked.
func kitRun(t *testing.T, src string, cfg Config) int {
	t.Helper()
	cfg.Check, cfg.TrackAllocations = true, true
	_, errs, status, k := runProgram(t, src, cfg)
	require.NotEqual(t, StatusCheckFailed, status, errs)
	require.NoError(t, k.Leaks())
	return status
}

func TestKitSyscallMincoreIsNumber22InTheTable(t *testing.T) {
	var found *SyscallInfo
	for _, s := range Syscalls() {
		if s.Nr == 22 {
			found = &s
		}
	}
	require.NotNil(t, found, "no system call 22")
	assert.Equal(t, SyscallInfo{Nr: 22, Name: "mincore", Args: []string{"*addr", "len", "*vec"}}, *found)
}

func TestKitSyscallMincoreReportsWhichPagesArePresent(t *testing.T) {
	src := kitMapFour(`
        mov     #1, (r7)                ; touch pages 0 and 2
        mov     #1, 8192(r7)
        mov     #MINCORE, r0
        mov     r7, r1
        mov     #16384, r2
        mov     #vec, r3
        sys
        tst     r0
        bne     out                     ; an error: its status
        clr     r1                      ; the vector as the bits of a number
        mov     #vec, r2
        mov     #4, r3
bits:   add     r1, r1
        movb    (r2)+, r4
        add     r4, r1
        dec     r3
        bne     bits
        br      done
out:    mov     r0, r1
done:`)
	assert.Equal(t, 0b1010, kitRun(t, src, testConfig()), "pages 0 and 2 present, 1 and 3 not")
}

func TestKitSyscallMincoreChecksItsArguments(t *testing.T) {
	cases := []struct {
		name, addr, n, vec string
		want               int32
	}{
		{"an address not on a page boundary", "r8", "#4096", "#vec", EINVAL},
		{"a range with no region", "#0x50000000", "#4096", "#vec", ENOMEM},
		{"a range running past the mapping", "r7", "#20480", "#vec", ENOMEM},
		{"a range reaching the kernel's half", "#0x7ffff000", "#8192", "#vec", ENOMEM},
		{"a vector in the kernel's half", "r7", "#4096", "#0x80000000", EFAULT},
		{"a vector in the read-only text", "r7", "#4096", "#start", EFAULT},
		{"a vector where nothing is mapped", "r7", "#4096", "#0x50000000", EFAULT},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			src := kitMapFour(`
        mov     r7, r8
        inc     r8                      ; r8: not on a page boundary
        mov     #MINCORE, r0
        mov     ` + c.addr + `, r1
        mov     ` + c.n + `, r2
        mov     ` + c.vec + `, r3
        sys
        mov     r0, r1`)
			assert.Equal(t, int(c.want)&0xff, kitRun(t, src, testConfig()))
		})
	}
}

func TestKitSyscallMincoreWritesNothingForAnEmptyRange(t *testing.T) {
	src := kitMapFour(`
        movb    #7, vec
        mov     #MINCORE, r0
        mov     r7, r1
        clr     r2
        mov     #vec, r3
        sys
        movb    vec, r1                 ; still 7
        add     r0, r1                  ; + the result, 0`)
	assert.Equal(t, 7, kitRun(t, src, testConfig()))
}

func TestKitSyscallTheLibraryNamesIt(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "programs", "lib", "sys.inc"))
	require.NoError(t, err)
	assert.Regexp(t, `(?m)^\s+\.equ\s+SYS_MINCORE, 22\b`, string(b))
}

func TestKitSyscallTheUserProgramPrintsTheVector(t *testing.T) {
	path := filepath.Join("..", "programs", "mincore.s")
	img, err := asm.LoadFile(path)
	require.NoError(t, err, "programs/mincore.s: the user program of the assignment")
	cfg := testConfig()
	cfg.Check, cfg.TrackAllocations, cfg.Root = true, true, filepath.Dir(path)
	out, errs, status, k := runImage(t, img, cfg)
	assert.Equal(t, 0, status, errs)
	assert.Equal(t, "resident: 1010\nunmapped: -12\n", out)
	assert.NoError(t, k.Leaks())
}
