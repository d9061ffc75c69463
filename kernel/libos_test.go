package kernel

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"toyvm/mmu"
)

// libosNames names the system calls and codes of the library-OS tests.
const libosNames = `
        .equ    EXIT, 1
        .equ    WRITE, 2
        .equ    FORK, 8
        .equ    WAIT, 7
        .equ    ENTRY, 32
        .equ    SELFPAGE, 33
        .equ    ALLOC, 34
        .equ    INSTALL, 35
        .equ    FREE, 36
        .equ    RETURN, 37
`

// zeroFillLibOS registers handler, whose stack is the 4 KiB before
// hstack, makes a 4-page self-paged range (its address in r7) and jumps
// to main. handler serves a fault with a new zeroed frame.
const zeroFillLibOS = libosNames + `
start:  mov     #ENTRY, r0
        mov     #handler, r1
        mov     #hstack, r2
        sys
        mov     #SELFPAGE, r0
        clr     r1
        mov     #16384, r2
        mov     #3, r3
        sys
        mov     r0, r7
        br      main
handler: mov    r1, r8
        mov     #ALLOC, r0
        sys
        mov     r0, r2
        mov     r8, r1
        mov     #3, r3
        mov     #INSTALL, r0
        sys
        mov     #RETURN, r0
        sys
`

// libosData is the handler's stack, after the code.
const libosData = `
        .data
        .space  4096
hstack:
`

// libosProgram returns a program with the zero-fill library OS running
// main.
func libosProgram(main string) string { return zeroFillLibOS + main + libosData }

func TestAFaultInASelfPagedRangeIsUpcalledAndItsHandlerInstallsAFrame(t *testing.T) {
	src := libosProgram(`
main:   mov     #7, (r7)                ; page 0: a write faults
        mov     4096(r7), r1            ; page 1: a read, zeros
        add     (r7), r1                ; 7
        mov     #35, 8192(r7)           ; page 2
        add     8192(r7), r1            ; 42
        mov     #EXIT, r0
        sys
`)
	for _, v := range machineVariants() {
		t.Run(v.name, func(t *testing.T) {
			cfg := v.cfg
			cfg.Check = true
			_, errs, status, k := runProgram(t, src, cfg)
			require.Equal(t, 42, status, errs)
			s := k.Stats()
			assert.Equal(t, uint64(3), s.Upcalls)
			assert.Equal(t, uint64(3), s.Installs)
			assert.Equal(t, uint64(3), s.FramesGranted)
			assert.NoError(t, k.Leaks(), "the frames the library OS held are freed at exit")
		})
	}
}

// machineVariant is a machine configuration a test runs under.
type machineVariant struct {
	name string
	cfg  Config
}

// machineVariants returns the defaults and the variants every program
// must agree under: software TLB refill and dirty bits, a tiny tagged
// TLB, each help level for instruction backup, and 64K of memory.
func machineVariants() []machineVariant {
	sw, asid, log, decode, small := testConfig(), testConfig(), testConfig(), testConfig(), testConfig()
	sw.SoftwareRefill, sw.SoftwareDirty = true, true
	asid.ASID, asid.TLBSize = true, 4
	log.Backup, decode.Backup = 1, 2
	small.MemBytes = 64 << 10
	small.PoolLow, small.PoolHigh = DefaultPool(16)
	return []machineVariant{{"defaults", testConfig()}, {"sw refill and dirty", sw}, {"asid tlb 4", asid},
		{"backup log", log}, {"backup decode", decode}, {"64K", small}}
}

// capabilityResult runs main under the zero-fill library OS and returns
// its exit status, which main sets to a system call's result.
func capabilityResult(t *testing.T, main string) (int, string) {
	t.Helper()
	cfg := testConfig()
	cfg.Check = true
	_, errs, status, _ := runProgram(t, libosProgram(main), cfg)
	return status, errs
}

func TestACapabilityIsCheckedBeforeEveryUse(t *testing.T) {
	cases := []struct {
		name string
		main string
		want int32
	}{
		{"forged: no such frame", `
main:   mov     #INSTALL, r0
        mov     r7, r1
        mov     #0x000fffff, r2         ; frame 0xfffff: past memory
        mov     #3, r3
        sys`, EINVAL},
		{"forged: a frame no capability holds", `
main:   mov     #INSTALL, r0
        mov     r7, r1
        mov     #0x00100003, r2         ; generation 1 of frame 3, a page table's
        mov     #3, r3
        sys`, EINVAL},
		{"stale: freed", `
main:   mov     #ALLOC, r0
        sys
        mov     r0, r9
        mov     #FREE, r0
        mov     r9, r1
        sys
        mov     #INSTALL, r0
        mov     r7, r1
        mov     r9, r2
        mov     #3, r3
        sys`, ESTALE},
		{"stale: freed twice", `
main:   mov     #ALLOC, r0
        sys
        mov     r0, r9
        mov     #FREE, r0
        mov     r9, r1
        sys
        mov     #FREE, r0
        mov     r9, r1
        sys`, ESTALE},
		{"the high bit set", `
main:   mov     #FREE, r0
        mov     #0x80100005, r1
        sys`, EINVAL},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			status, errs := capabilityResult(t, c.main+`
        mov     r0, r1
        mov     #EXIT, r0
        sys
`)
			assert.Equal(t, int(c.want)&0xff, status, errs)
		})
	}
}

func TestAnotherProcesssCapabilityIsRefusedWithEACCES(t *testing.T) {
	status, errs := capabilityResult(t, `
main:   mov     #ALLOC, r0              ; the parent's frame
        sys
        mov     r0, r9
        mov     #FORK, r0
        sys
        tst     r0
        bne     parent
        mov     #ENTRY, r0              ; the child: a library OS of its own,
        mov     #handler, r1
        mov     #hstack, r2
        sys
        mov     #SELFPAGE, r0           ; a range of its own,
        clr     r1
        mov     #4096, r2
        mov     #3, r3
        sys
        mov     r0, r1                  ; and the parent's token
        mov     r9, r2
        mov     #3, r3
        mov     #INSTALL, r0
        sys
        mov     r0, r1
        mov     #EXIT, r0
        sys
parent: mov     #WAIT, r0
        mov     #-1, r1
        sys
        mov     #EXIT, r0               ; the child's status
        sys
`)
	assert.Equal(t, int(EACCES)&0xff, status, errs)
}

func TestInstallChecksTheAddressAndTheProtection(t *testing.T) {
	cases := []struct {
		name, addr, prot string
		readOnly         bool
		want             int32
	}{
		{"outside every self-paged range", "#0x2000", "#3", false, EFAULT},
		{"in the stack", "#0x7ffff000", "#3", false, EFAULT},
		{"no protection", "r7", "#0", false, EINVAL},
		{"unknown protection bits", "r7", "#7", false, EINVAL},
		{"writable in a read-only range", "r7", "#3", true, EACCES},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			main := `
main:   mov     #ALLOC, r0
        sys
        mov     r0, r2
        mov     ` + c.addr + `, r1
        mov     ` + c.prot + `, r3
        mov     #INSTALL, r0
        sys
        mov     r0, r1
        mov     #EXIT, r0
        sys
`
			if c.readOnly { // a read-only range of its own, in r7
				main = `
main:   mov     #SELFPAGE, r0
        clr     r1
        mov     #4096, r2
        mov     #1, r3
        sys
        mov     r0, r7
        br      try` + strings.Replace(main, "\nmain:", "\ntry:", 1)
			}
			status, errs := capabilityResult(t, main)
			assert.Equal(t, int(c.want)&0xff, status, errs)
		})
	}
}

func TestAHandlerThatFaultsInItsOwnRangeIsKilledNotRecursed(t *testing.T) {
	src := libosNames + `
start:  mov     #ENTRY, r0
        mov     #handler, r1
        mov     #hstack, r2
        sys
        mov     #SELFPAGE, r0
        clr     r1
        mov     #8192, r2
        mov     #3, r3
        sys
        mov     r0, r7
        mov     (r7), r1                ; upcalls the handler, which
        mov     #EXIT, r0
        sys
handler: mov    4096(r7), r1            ; touches its own range
        mov     #RETURN, r0
        sys
` + libosData
	_, errs, status, k := runProgram(t, src, testConfig())
	assert.Equal(t, 139, status)
	assert.Regexp(t, `^toyvm: process 1 \(test.s\) killed: upcall failed: self-paged fault inside the library OS's own handler \(no nested upcalls\) at 0x40001000, pc 0x[0-9a-f]{8} \(exit status 139\)\n$`, errs)
	assert.Equal(t, uint64(1), k.Stats().Upcalls)
	assert.NoError(t, k.Leaks())
}

func TestAnUpcallWhoseStackCannotBeWrittenKills(t *testing.T) {
	for name, stack := range map[string]string{"unmapped": "#0x50000000", "the text": "#0x2000"} {
		t.Run(name, func(t *testing.T) {
			src := libosNames + `
start:  mov     #ENTRY, r0
        mov     #handler, r1
        mov     ` + stack + `, r2
        sys
        mov     #SELFPAGE, r0
        clr     r1
        mov     #4096, r2
        mov     #3, r3
        sys
        mov     (r0), r1
handler: mov    #EXIT, r0
        sys
`
			_, errs, status, k := runProgram(t, src, testConfig())
			assert.Equal(t, 139, status)
			assert.Contains(t, errs, "killed: upcall failed: the upcall's stack cannot be written (bad address)")
			assert.Zero(t, k.Stats().Upcalls)
		})
	}
}

func TestLibraryOSCallsRefuseWhatTheyCannotDo(t *testing.T) {
	cases := []struct {
		name, code string
		want       int32
	}{
		{"selfpage with no upcall entry", `
start:  mov     #SELFPAGE, r0
        clr     r1
        mov     #4096, r2
        mov     #3, r3
        sys`, EINVAL},
		{"frame_alloc with no upcall entry", `
start:  mov     #ALLOC, r0
        sys`, EINVAL},
		{"upcall_return outside an upcall", `
start:  mov     #RETURN, r0
        sys`, EINVAL},
		{"an unaligned stack", `
start:  mov     #ENTRY, r0
        mov     #start, r1
        mov     #0x3001, r2
        sys`, EINVAL},
		{"an entry outside user memory", `
start:  mov     #ENTRY, r0
        mov     #0x80000000, r1
        mov     #0x3000, r2
        sys`, EINVAL},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, errs, status, _ := runProgram(t, libosNames+c.code+`
        mov     r0, r1
        mov     #EXIT, r0
        sys
`, testConfig())
			assert.Equal(t, int(c.want)&0xff, status, errs)
		})
	}
}

func TestTheKernelsOwnAccessToAnUninstalledSelfPagedPageIsEFAULT(t *testing.T) {
	status, errs := capabilityResult(t, `
main:   mov     #WRITE, r0              ; write(1, the range, 10): not installed
        mov     #1, r1
        mov     r7, r2
        mov     #10, r3
        sys
        mov     r0, r1
        mov     #EXIT, r0
        sys
`)
	assert.Equal(t, int(EFAULT)&0xff, status, errs)
}

func TestAForkedChildHasNoSelfPagedRange(t *testing.T) {
	_, errs, status, k := runProgram(t, libosProgram(`
main:   mov     #1, (r7)                ; installed in the parent
        mov     #FORK, r0
        sys
        tst     r0
        bne     parent
        mov     (r7), r1                ; the child: no region there
        mov     #EXIT, r0
        sys
parent: mov     #WAIT, r0
        mov     #-1, r1
        sys
        mov     #EXIT, r0
        sys
`), testConfig())
	assert.Equal(t, 139, status, errs)
	assert.Contains(t, errs, "process 2 (test.s) killed: INVALID fault (read, user mode) at 0x40000000")
	assert.NoError(t, k.Leaks())
}

// hoarder is a library OS that holds a frame for each of 4 pages, then
// uses 32 pages of ordinary memory: under 64K of memory the paging
// daemon runs, and asks the library OS for a frame back. With polite set
// its handler frees the frame the kernel names, else it ignores the
// request, and the kernel revokes the frame.
func hoarder(polite bool) string {
	revoke := "" // ignore the request
	if polite {
		revoke = `
        mov     #FREE, r0               ; give back the frame named in r1
        sys`
	}
	return libosNames + `
start:  mov     #ENTRY, r0
        mov     #handler, r1
        mov     #hstack, r2
        sys
        mov     #SELFPAGE, r0
        clr     r1
        mov     #16384, r2
        mov     #3, r3
        sys
        mov     r0, r7
        mov     #4, r6
own:    mov     #1, (r7)                ; 4 frames of its own
        add     #4096, r7
        dec     r6
        bne     own
        mov     #2, r5                  ; twice: the second time, from swap
pass:   mov     #array, r7
        mov     #32, r6
plain:  mov     #1, (r7)                ; 32 pages of ordinary memory
        add     #4096, r7
        dec     r6
        bne     plain
        dec     r5
        bne     pass
        clr     r1
        mov     #EXIT, r0
        sys
handler: cmp    r2, #3
        beq     revoke
        mov     r1, r8
        mov     #ALLOC, r0
        sys
        mov     r0, r2
        mov     r8, r1
        mov     #3, r3
        mov     #INSTALL, r0
        sys
        mov     #RETURN, r0
        sys
revoke:` + revoke + `
        mov     #RETURN, r0
        sys
` + libosData + `
array:  .space  131072
`
}

func TestMemoryPressureTakesFramesBackFromALibraryOS(t *testing.T) {
	for _, polite := range []bool{true, false} {
		t.Run(fmt.Sprintf("polite %v", polite), func(t *testing.T) {
			cfg := testConfig()
			cfg.MemBytes, cfg.Check = 64<<10, true
			cfg.PoolLow, cfg.PoolHigh = DefaultPool(16)
			_, errs, status, k := runProgram(t, hoarder(polite), cfg)
			require.Equal(t, 0, status, errs)
			s := k.Stats()
			assert.Positive(t, s.RevokeRequests)
			if polite {
				assert.Positive(t, s.FramesGivenBack)
				assert.Zero(t, s.FramesRevoked)
			} else {
				assert.Zero(t, s.FramesGivenBack)
				assert.Positive(t, s.FramesRevoked)
			}
			assert.NoError(t, k.Leaks())
		})
	}
}

func TestUnderSoftwareRefillAnInstallGoesStraightIntoTheTLB(t *testing.T) {
	src := libosProgram(`
main:   mov     #ALLOC, r0              ; install, with no fault
        sys
        mov     r0, r2
        mov     r7, r1
        mov     #3, r3
        mov     #INSTALL, r0
        sys
spin:   br      spin
`)
	for _, sw := range []bool{false, true} {
		cfg := testConfig()
		cfg.SoftwareRefill, cfg.MaxSteps = sw, 200
		_, _, status, k := runProgram(t, src, cfg)
		require.Equal(t, StatusMaxSteps, status)
		var entry *mmu.TLBEntry
		for _, e := range k.MMU.TLBEntries() {
			if e.Valid && e.VPN == 0x40000 {
				entry = &e
			}
		}
		if !sw {
			assert.Nil(t, entry, "the hardware walks the table at the first touch")
			continue
		}
		require.NotNil(t, entry, "the kernel wrote the entry at the install")
		assert.True(t, entry.W && entry.D && entry.U)
		assert.Equal(t, k.Frames.Get(entry.Frame).State.String(), "owned")
	}
}
