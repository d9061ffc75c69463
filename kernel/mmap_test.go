package kernel

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"toyvm/isa"
)

// The mmap tests follow the Pintos checklist: read, write, close, unmap,
// overlap, twice, exit, shuffle, clean, inherit, remove, zero, bad-fd,
// misalign, null, over-code, over-data, over-stack.

// mmapCall is mmap(addr, len, prot, flags, fd, offset) as a script step.
func mmapCall(addr, n, prot, flags, fd, off string) step {
	return call(SysMmap, addr, n, prot, flags, fd, off)
}

// mapConfig is a file configuration with --check on.
func mapConfig(t *testing.T) (Config, string) {
	cfg, dir := fileConfig(t)
	cfg.Check = true
	return cfg, dir
}

// Flags and protections, as script operands.
const (
	rdOnly, rdWr       = "#1", "#3"
	shared, private    = "#1", "#2"
	anonPriv, anonShrd = "#6", "#5"
)

func TestMmapReadsAFilesPagesOnDemand(t *testing.T) {
	cfg, dir := mapConfig(t)
	putFile(t, dir, "in.txt", "mapped bytes\n")
	out, res := runScript(t, cfg, []step{
		call(SysOpen, "#in", "#0"),
		mmapCall("#0", "#13", rdOnly, private, "res0", "#0"),
		call(SysWrite, "#1", "res1", "#13"),
	}, fileData)
	assert.Equal(t, "mapped bytes\n", out)
	assert.Equal(t, int32(isa.MmapBase), res[1], "placed at the bottom of the mapping area (null: 0 lets the kernel choose)")
}

func TestAMappingOutlivesTheCloseOfItsDescriptor(t *testing.T) {
	cfg, dir := mapConfig(t)
	putFile(t, dir, "in.txt", "still here\n")
	out, res := runScript(t, cfg, []step{
		call(SysOpen, "#in", "#0"),
		mmapCall("#0", "#11", rdOnly, shared, "res0", "#0"),
		call(SysClose, "res0"),
		call(SysWrite, "#1", "res1", "#11"),
	}, fileData)
	assert.Equal(t, int32(0), res[2])
	assert.Equal(t, "still here\n", out)
}

func TestTheSameFileMappedTwiceShowsTheSameBytesTwice(t *testing.T) {
	cfg, dir := mapConfig(t)
	putFile(t, dir, "in.txt", "twice\n")
	out, res := runScript(t, cfg, []step{
		call(SysOpen, "#in", "#0"),
		mmapCall("#0", "#6", rdOnly, shared, "res0", "#0"),
		mmapCall("#0", "#6", rdOnly, private, "res0", "#0"),
		call(SysWrite, "#1", "res1", "#6"),
		call(SysWrite, "#1", "res2", "#6"),
	}, fileData)
	assert.NotEqual(t, res[1], res[2])
	assert.Equal(t, "twice\ntwice\n", out)
}

func TestMisusesOfMmapReturnTheirErrors(t *testing.T) {
	cfg, dir := mapConfig(t)
	putFile(t, dir, "in.txt", "data")
	_, res := runScript(t, cfg, []step{
		call(SysOpen, "#in", "#0"),                                         // fd 3, read-only
		mmapCall("#0", "#0", rdOnly, private, "res0", "#0"),                // zero length
		mmapCall("#0", "#4096", rdOnly, private, "#99", "#0"),              // bad fd
		mmapCall("#0", "#4096", rdOnly, private, "#1", "#0"),               // not a file
		mmapCall("#0x40000001", "#4096", rdOnly, anonPriv, "#0", "#0"),     // misaligned address
		mmapCall("#0", "#4096", rdOnly, private, "res0", "#100"),           // misaligned offset
		mmapCall("#0x1000", "#4096", rdOnly, anonPriv, "#0", "#0"),         // over code
		mmapCall("#0x2000", "#4096", rdOnly, anonPriv, "#0", "#0"),         // over data
		mmapCall("#0x7fff0000", "#4096", rdOnly, anonPriv, "#0", "#0"),     // over the stack
		mmapCall("#0x7fe00000", "#0x200000", rdOnly, anonPriv, "#0", "#0"), // reaching 0x80000000
		mmapCall("#0", "#4096", rdWr, shared, "res0", "#0"),                // a shared write mapping of a read-only fd
		mmapCall("#0", "#4096", rdWr, private, "res0", "#0"),               // a private one is fine
		mmapCall("res11", "#4096", rdOnly, anonPriv, "#0", "#0"),           // overlap
		mmapCall("#0", "#4096", "#0", anonPriv, "#0", "#0"),                // no prot
		mmapCall("#0", "#4096", rdOnly, "#3", "#0", "#0"),                  // shared and private
		mmapCall("#0", "#4096", rdOnly, "#4", "#0", "#0"),                  // neither
	}, fileData)
	assert.Equal(t, []int32{3, EINVAL, EBADF, EBADF, EINVAL, EINVAL, EINVAL, EINVAL, EINVAL, EINVAL,
		EACCES, isa.MmapBase, EEXIST, EINVAL, EINVAL, EINVAL}, res)
}

func TestMunmapOfTheMiddleOfAMappingSplitsIt(t *testing.T) {
	src := `
start:  mov     #12, r0         ; mmap(0, 3 pages, rw, private|anonymous)
        clr     r1
        mov     #12288, r2
        mov     #3, r3
        mov     #6, r4
        sys
        mov     r0, r7
        mov     #11, (r7)       ; one word in each page
        mov     #22, 4096(r7)
        mov     #33, 8192(r7)
        mov     #13, r0         ; munmap the middle page
        mov     r7, r1
        add     #4096, r1
        mov     #4096, r2
        sys
        mov     (r7), r1        ; the first and last pages are still there
        add     8192(r7), r1
        tst     mid
        beq     done
        add     4096(r7), r1    ; and this kills
done:   mov     #1, r0
        sys
        .data
mid:    .word   0
`
	cfg := testConfig()
	cfg.Check = true
	_, errs, status, k := runProgram(t, src, cfg)
	assert.Equal(t, 44, status)
	assert.Empty(t, errs)
	require.NoError(t, k.Leaks())
	_, errs, status, k = runProgram(t, replace(src, "mid:    .word   0", "mid:    .word   1"), cfg)
	assert.Equal(t, StatusSegfault, status, "the unmapped page kills")
	assert.Contains(t, errs, fmt.Sprintf("INVALID fault (read, user mode) at 0x%08x", isa.MmapBase+4096))
	require.NoError(t, k.Leaks())
}

// replace returns s with old replaced by new once, failing loudly if old
// is not in s.
func replace(s, old, new string) string {
	i := indexOf(s, old)
	if i < 0 {
		panic("replace: " + old + " not found")
	}
	return s[:i] + new + s[i+len(old):]
}

func indexOf(s, sub string) int {
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i:i+len(sub)] == sub {
			return i
		}
	}
	return -1
}

// storeAndReread maps in.txt shared and writable, stores "hi" at its
// start, unmaps it (when UNMAP is 1) or exits, and otherwise reads the
// file again through a new descriptor and prints what it holds.
const storeAndReread = `
        .equ    UNMAP, 1
start:  mov     #4, r0          ; open("in.txt", read-write)
        mov     #in, r1
        mov     #2, r2
        sys
        mov     r0, r5
        mov     #12, r0         ; mmap(0, 8, rw, shared, fd, 0)
        clr     r1
        mov     #8, r2
        mov     #3, r3
        mov     #1, r4
        clr     r6
        sys
        mov     r0, r7
        movb    #'h', (r7)      ; store "hi" at its start
        movb    #'i', 1(r7)
        cmp     #UNMAP, #1
        bne     quit
        mov     #13, r0         ; munmap(addr, 8)
        mov     r7, r1
        mov     #8, r2
        sys
        mov     #4, r0          ; read the file again through a new fd
        mov     #in, r1
        clr     r2
        sys
        mov     r0, r1
        mov     #3, r0
        mov     #buf, r2
        mov     #8, r3
        sys
        mov     #2, r0
        mov     #1, r1
        mov     #buf, r2
        mov     #8, r3
        sys
quit:   mov     #1, r0
        clr     r1
        sys
        .data
in:     .asciz  "in.txt"
buf:    .space  8
`

func TestStoresToASharedMappingReachTheFileAtMunmap(t *testing.T) {
	cfg, dir := mapConfig(t)
	putFile(t, dir, "in.txt", "xxxxxxxx")
	out, errs, status, k := runProgram(t, storeAndReread, cfg)
	require.Empty(t, errs)
	assert.Equal(t, 0, status)
	assert.Equal(t, "hixxxxxx", out, "read() sees the stores once munmap wrote them back")
	got, err := os.ReadFile(filepath.Join(dir, "in.txt"))
	require.NoError(t, err)
	assert.Equal(t, "hixxxxxx", string(got))
	assert.Equal(t, uint64(1), k.Stats().FileWritebacks)
	require.NoError(t, k.Leaks())
}

func TestStoresToASharedMappingReachTheFileAtExit(t *testing.T) {
	cfg, dir := mapConfig(t)
	putFile(t, dir, "in.txt", "xxxxxxxx")
	_, errs, status, k := runProgram(t, replace(storeAndReread, ".equ    UNMAP, 1", ".equ    UNMAP, 0"), cfg)
	require.Empty(t, errs)
	assert.Equal(t, 0, status)
	got, err := os.ReadFile(filepath.Join(dir, "in.txt"))
	require.NoError(t, err)
	assert.Equal(t, "hixxxxxx", string(got))
	require.NoError(t, k.Leaks())
}

func TestACleanSharedMappingIsNeverWrittenBack(t *testing.T) {
	cfg, dir := mapConfig(t)
	putFile(t, dir, "in.txt", "clean")
	old := time.Now().Add(-time.Hour)
	require.NoError(t, os.Chtimes(filepath.Join(dir, "in.txt"), old, old))
	out, _ := runScript(t, cfg, []step{
		call(SysOpen, "#in", "#2"),
		mmapCall("#0", "#5", rdWr, shared, "res0", "#0"),
		call(SysWrite, "#1", "res1", "#5"),
		call(SysMunmap, "res1", "#5"),
	}, fileData)
	assert.Equal(t, "clean", out)
	fi, err := os.Stat(filepath.Join(dir, "in.txt"))
	require.NoError(t, err)
	assert.Equal(t, old.Unix(), fi.ModTime().Unix(), "never written")
}

// inheritance maps one page of anonymous memory (FLAGS: shared or
// private), stores 1 in it, forks; the child stores 2 and exits; the
// parent, having waited, exits with what it sees.
const inheritance = `
        .equ    FLAGS, 5
start:  mov     #12, r0
        clr     r1
        mov     #4096, r2
        mov     #3, r3
        mov     #FLAGS, r4
        sys
        mov     r0, r7
        mov     #1, (r7)
        mov     #8, r0
        sys
        tst     r0
        beq     child
        mov     r0, r1
        mov     #7, r0
        sys
        mov     (r7), r1
        mov     #1, r0
        sys
child:  mov     #2, (r7)
        mov     #1, r0
        clr     r1
        sys
`

func TestAForkedChildInheritsItsParentsMappingsSharedOrCopied(t *testing.T) {
	cfg := testConfig()
	cfg.Check = true
	_, errs, status, k := runProgram(t, inheritance, cfg)
	assert.Empty(t, errs)
	assert.Equal(t, 2, status, "shared: the parent sees the child's store")
	require.NoError(t, k.Leaks())
	_, errs, status, k = runProgram(t, replace(inheritance, ".equ    FLAGS, 5", ".equ    FLAGS, 6"), cfg)
	assert.Empty(t, errs)
	assert.Equal(t, 1, status, "private: the child's store went to its own copy")
	require.NoError(t, k.Leaks())
}

// shuffle maps 64 pages of big.bin shared and writable, stores into the
// first word of each page its number times 3, in a scrambled order
// (i*37 mod 64), unmaps them, and exits with the sum it read back before
// unmapping, mod 256.
const shuffle = `
        .equ    PAGES, 64
start:  mov     #4, r0
        mov     #big, r1
        mov     #2, r2
        sys
        mov     r0, r5
        mov     #12, r0
        clr     r1
        mov     #262144, r2
        mov     #3, r3
        mov     #1, r4
        clr     r6
        sys
        mov     r0, r7
        clr     r2              ; i
store:  mov     r2, r3          ; page = i*37 mod 64
        mul     #37, r3
        and     #63, r3
        mov     r3, r4          ; its address
        shl     #12, r4
        add     r7, r4
        mul     #3, r3
        mov     r3, (r4)
        inc     r2
        cmp     r2, #PAGES
        bne     store
        clr     r1              ; read them all back
        mov     r7, r4
        mov     #PAGES, r2
sum:    add     (r4), r1
        add     #4096, r4
        dec     r2
        bne     sum
        mov     r1, r6
        mov     #13, r0
        mov     r7, r1
        mov     #262144, r2
        sys
        mov     r6, r1
        mov     #1, r0
        sys
        .data
big:    .asciz  "big.bin"
`

func TestAMappingLargerThanMemoryIsWrittenBackAsItIsEvicted(t *testing.T) {
	cfg, dir := mapConfig(t)
	cfg.MemBytes = 128 << 10
	cfg.PoolLow, cfg.PoolHigh = DefaultPool(32)
	putFile(t, dir, "big.bin", string(make([]byte, 64*4096)))
	_, errs, status, k := runProgram(t, shuffle, cfg)
	require.Empty(t, errs)
	assert.Equal(t, 3*63*64/2%256, status)
	data, err := os.ReadFile(filepath.Join(dir, "big.bin"))
	require.NoError(t, err)
	for i := range 64 {
		assert.Equal(t, byte(3*i), data[i*4096], "page %d", i)
	}
	s := k.Stats()
	assert.GreaterOrEqual(t, s.FileWritebacks, uint64(64), "each page went back to the file, as it was evicted or at munmap")
	assert.Greater(t, s.Evictions, uint64(32), "memory holds half of them")
	require.NoError(t, k.Leaks())
}

func TestAMappingOutlivesTheRemovalOfItsFile(t *testing.T) {
	cfg, dir := mapConfig(t)
	putFile(t, dir, "in.txt", "gone but mapped\n")
	k, out, _ := newKernel(t, cfg)
	img := assemble(t, scriptProgram([]step{
		call(SysOpen, "#in", "#0"),
		mmapCall("#0", "#16", rdOnly, private, "res0", "#0"),
		call(SysGetpid),
		call(SysWrite, "#1", "res1", "#16"),
	}, fileData))
	require.NoError(t, k.Boot(img, []string{"test.s"}))
	for k.Stats().Syscalls < 3 {
		k.CPU.Step()
	}
	require.NoError(t, os.Remove(filepath.Join(dir, "in.txt")))
	k.CPU.Run(1 << 20)
	require.True(t, k.Done())
	assert.Contains(t, out.String(), "gone but mapped\n")
	require.NoError(t, k.Leaks())
}

func TestAMappingOfAnEmptyFileReadsZeros(t *testing.T) {
	cfg, dir := mapConfig(t)
	putFile(t, dir, "in.txt", "")
	out, res := runScript(t, cfg, []step{
		call(SysOpen, "#in", "#0"),
		mmapCall("#0", "#4", rdOnly, private, "res0", "#0"),
		call(SysWrite, "#1", "res1", "#4"),
	}, fileData)
	assert.Equal(t, int32(isa.MmapBase), res[1])
	assert.Equal(t, "\x00\x00\x00\x00", out)
}

// variantSets are the machine variants every sharing program must behave
// the same under: the defaults, a TLB refilled and dirty bits kept by
// software, and a tiny ASID-tagged TLB.
var variantSets = map[string]func(*Config){
	"defaults":                   func(*Config) {},
	"--tlb-refill sw --dirty sw": func(c *Config) { c.SoftwareRefill, c.SoftwareDirty = true, true },
	"--asid --tlb 4":             func(c *Config) { c.ASID, c.TLBSize = true, 4 },
}

func TestMappingsBehaveTheSameUnderEveryVariantSet(t *testing.T) {
	for name, change := range variantSets {
		cfg, dir := mapConfig(t)
		cfg.MemBytes = 128 << 10
		cfg.PoolLow, cfg.PoolHigh = DefaultPool(32)
		change(&cfg)
		putFile(t, dir, "big.bin", string(make([]byte, 64*4096)))
		putFile(t, dir, "in.txt", "xxxxxxxx")
		for prog, want := range map[string]int{shuffle: 3 * 63 * 64 / 2 % 256, inheritance: 2, storeAndReread: 0} {
			_, errs, status, k := runProgram(t, prog, cfg)
			assert.Empty(t, errs, name)
			assert.Equal(t, want, status, name)
			require.NoError(t, k.Leaks(), name)
		}
		got, err := os.ReadFile(filepath.Join(dir, "in.txt"))
		require.NoError(t, err)
		assert.Equal(t, "hixxxxxx", string(got), name)
	}
}
