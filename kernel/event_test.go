package kernel

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"toyvm/kernel/vm"
)

// testExtension is an extension made of registrations given by a test.
type testExtension struct {
	name string
	regs []Registration
}

func (x *testExtension) Name() string { return x.name }

func (x *testExtension) Install(k *Kernel) {
	for _, r := range x.regs {
		k.Register(r)
	}
}

// touchFourPages touches four pages of zeros of its data, then exits.
const touchFourPages = `
start:  mov     #buf, r1
        mov     #4, r2
loop:   mov     #1, (r1)
        add     #4096, r1
        dec     r2
        bne     loop
        clr     r1
        mov     #1, r0
        sys
        .data
buf:    .space  16384
`

func TestTheFirstHandlerWhoseGuardMatchesAndThatAcceptsServesTheFault(t *testing.T) {
	var calls []string
	handler := func(name string, accept bool) Handler {
		return HandlerFunc(func(k *Kernel, e *Event) (Result, bool) {
			calls = append(calls, name)
			if !accept {
				return Result{}, false
			}
			return k.ServePage(e.Proc, e.Region, e.Fault.Addr), true
		})
	}
	never := func(*Event) bool { return false }
	cfg := testConfig()
	cfg.Extensions = []Extension{&testExtension{name: "test", regs: []Registration{
		{Name: "second", Kinds: []EventKind{EvPageFault}, Order: 2, Handler: handler("second", true)},
		{Name: "guarded", Kinds: []EventKind{EvPageFault}, Order: 0, Guard: never, Handler: handler("guarded", true)},
		{Name: "declines", Kinds: []EventKind{EvPageFault}, Order: 1, Handler: handler("declines", false)},
	}}}
	_, _, status, k := runProgram(t, touchFourPages, cfg)
	require.Equal(t, 0, status)
	served := int(k.Stats().ExtensionServed)
	assert.Equal(t, 5, served, "the text and four pages of data (the stack is the kernel's: it copies argv)")
	assert.Len(t, calls, 2*served, "each fault: declined by one, served by the next; the guarded one never called")
	assert.Equal(t, []string{"declines", "second"}, calls[:2])
	for _, rec := range k.RecentFaults() {
		if !strings.HasPrefix(rec.How, "kernel copy") {
			assert.Regexp(t, `^second: `, rec.How, "the fault log names the handler")
		}
	}
}

func TestWithoutExtensionsTheVMSystemServesEveryFault(t *testing.T) {
	_, _, status, k := runProgram(t, touchFourPages, testConfig())
	require.Equal(t, 0, status)
	assert.Zero(t, k.Stats().ExtensionServed)
	for kind := EventKind(0); kind < numEventKinds; kind++ {
		assert.False(t, k.hooked(kind), "%s: only the VM system's handler", kind)
	}
}

func TestNotificationsReachEveryHandlerRegisteredForThem(t *testing.T) {
	seen := map[EventKind]int{}
	count := HandlerFunc(func(_ *Kernel, e *Event) (Result, bool) {
		seen[e.Kind]++
		return Result{}, false
	})
	cfg := testConfig()
	cfg.MemBytes = 64 << 10
	cfg.PoolLow, cfg.PoolHigh = DefaultPool(16)
	cfg.Extensions = []Extension{&testExtension{name: "count", regs: []Registration{
		{Name: "count", Kinds: []EventKind{EvEviction, EvWriteBack, EvExit, EvIdle}, Handler: count},
	}}}
	_, _, status, k := runProgram(t, touchPages, cfg)
	require.Equal(t, 139, status, "the stack overflows, after pushing pages out to swap")
	assert.Equal(t, 1, seen[EvExit])
	assert.Equal(t, int(k.Stats().Evictions), seen[EvEviction])
	assert.Positive(t, seen[EvWriteBack])
	assert.Positive(t, seen[EvIdle])
}

func TestCheckRunsAfterEveryExtensionsHandlerAndNamesIt(t *testing.T) {
	// A broken extension: it serves the fault by mapping nothing, and
	// leaves a frame allocated that no page holds.
	broken := HandlerFunc(func(k *Kernel, e *Event) (Result, bool) {
		frame, ok := k.Frames.Alloc(vm.FrameMapped, e.Proc.PID)
		require.True(t, ok)
		return served(ZeroFilled, e.Fault.Addr, frame), true
	})
	cfg := testConfig()
	cfg.Check = true
	cfg.Extensions = []Extension{&testExtension{name: "broken", regs: []Registration{
		{Name: "broken", Kinds: []EventKind{EvPageFault}, Handler: broken},
	}}}
	_, errs, status, _ := runProgram(t, touchFourPages, cfg)
	assert.Equal(t, StatusCheckFailed, status)
	assert.Contains(t, errs, "toyvm: --check: after the handler broken: ")
}

func TestEventKindsNameThemselves(t *testing.T) {
	assert.Equal(t, "page fault", EvPageFault.String())
	assert.Equal(t, "idle", EvIdle.String())
	assert.Equal(t, "event(42)", EventKind(42).String())
}
