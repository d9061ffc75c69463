package debugger

import (
	"io"
	"testing"

	"github.com/stretchr/testify/require"

	"toyvm/asm"
	"toyvm/kernel"
)

// spinLoop runs 3,000,000 instructions: a loop that adds and stores,
// with a label it never reaches on the same page (for a breakpoint that
// costs a check at every instruction), then exits.
const spinLoop = `
start:  mov     #1000000, r6
loop:   add     #3, r7
        mov     r7, word
        dec     r6
        bne     loop
        mov     #1, r0                  ; exit(0)
        clr     r1
        sys
never:  nop
        .data
word:   .word   0
other:  .word   0
`

// benchSession returns a session on spinLoop whose output is discarded,
// with the points set.
func benchSession(b *testing.B, points ...string) *Session {
	img, err := asm.Assemble("spin.s", []byte(spinLoop))
	require.NoError(b, err)
	cfg := kernel.DefaultConfig()
	cfg.Stdout, cfg.Stderr = io.Discard, io.Discard
	s, err := New(cfg, img, []string{"spin.s"}, io.Discard)
	require.NoError(b, err)
	execAll(s, points...)
	return s
}

// BenchmarkRunWithoutADebugger is toyvm run on spinLoop: the speed the
// debugger's continue is measured against.
func BenchmarkRunWithoutADebugger(b *testing.B) {
	img, err := asm.Assemble("spin.s", []byte(spinLoop))
	require.NoError(b, err)
	for range b.N {
		cfg := kernel.DefaultConfig()
		cfg.Stdout, cfg.Stderr = io.Discard, io.Discard
		k, err := kernel.New(cfg)
		require.NoError(b, err)
		_, err = k.Run(img, []string{"spin.s"})
		require.NoError(b, err)
		k.Close()
	}
}

func benchmarkContinue(b *testing.B, points ...string) {
	for range b.N {
		s := benchSession(b, points...)
		s.Exec("continue")
		require.True(b, s.k.Done())
	}
}

func BenchmarkContinueWithABreakpoint(b *testing.B) { benchmarkContinue(b, "break never") }

func BenchmarkContinueWithACatchpoint(b *testing.B) { benchmarkContinue(b, "catch swap") }

func BenchmarkContinueWithAWatchpointOnAnotherWord(b *testing.B) {
	benchmarkContinue(b, "watch other")
}

func BenchmarkContinueStepByStep(b *testing.B) {
	for range b.N {
		s := benchSession(b, "break never")
		s.slowOnly = true
		s.Exec("continue")
	}
}
