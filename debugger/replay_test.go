package debugger

import (
	"bytes"
	"fmt"
	"io"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"toyvm/asm"
	"toyvm/kernel"
)

// replayCase is a program and machine to step back and forth in, from
// start instructions after boot.
type replayCase struct {
	name    string
	program string // a path from the package's folder
	start   uint64
	config  func(cfg *kernel.Config)
	stdin   string
}

// upcaseInput is the standard input of upcase.s: long enough for it to
// run more than 12,000 instructions.
var upcaseInput = strings.Repeat("the quick brown fox jumps over the lazy dog\n", 40)

var replayCases = []replayCase{
	{name: "fib", program: "../programs/fib.s", start: 100},
	{name: "linear-64K-swapping", program: "../programs/linear.s", start: 150_000,
		config: func(cfg *kernel.Config) {
			cfg.MemBytes, cfg.DiskLatency = 64<<10, 5000
			cfg.PoolLow, cfg.PoolHigh = kernel.DefaultPool(16)
		}},
	{name: "parallel", program: "../programs/parallel.s", start: 40_000},
	{name: "upcase-stdin", program: "testdata/upcase.s", start: 500, stdin: upcaseInput},
}

// session builds the case's session, its standard input read half a
// request at a time (so that the reads come in uneven chunks), and steps
// it to the case's start.
func (c replayCase) session(t *testing.T) (*Session, *bytes.Buffer) {
	t.Helper()
	img, err := asm.LoadFile(c.program)
	require.NoError(t, err)
	var out bytes.Buffer
	cfg := kernel.DefaultConfig()
	cfg.SwapSize = 4 << 20 // small, for quick digests
	cfg.Stdout, cfg.Stderr = &out, &out
	cfg.Stdin = iotest.HalfReader(strings.NewReader(c.stdin))
	cfg.Root = filepath.Dir(c.program) // where parallel.s finds itself to spawn
	if c.config != nil {
		c.config(&cfg)
	}
	s, err := New(cfg, img, []string{filepath.Base(c.program)}, &out)
	require.NoError(t, err)
	stepExactly(t, s, c.start)
	return s, &out
}

// stepExactly runs n instructions with the step command and checks that
// they all ran.
func stepExactly(t *testing.T, s *Session, n uint64) {
	t.Helper()
	before := s.Kernel().CPU.Instructions
	if n > 0 {
		s.Exec(fmt.Sprintf("step %d", n))
	}
	require.Equal(t, before+n, s.Kernel().CPU.Instructions, "the program ended before instruction %d", before+n)
}

// stepInPieces steps n instructions (fewer if the program ends) in three
// pieces and returns the state after each piece and how many ran.
func stepInPieces(s *Session, n uint64) ([]MachineState, uint64) {
	before := s.Kernel().CPU.Instructions
	var states []MachineState
	for _, piece := range []uint64{n / 3, n / 3, n - 2*(n/3)} {
		if piece > 0 {
			s.Exec(fmt.Sprintf("step %d", piece))
		}
		states = append(states, Digest(s.Kernel()))
	}
	return states, s.Kernel().CPU.Instructions - before
}

// requireSameState fails with the first difference unless want and got
// are equal.
func requireSameState(t *testing.T, want, got MachineState, msgAndArgs ...any) {
	t.Helper()
	if d := want.Diff(got); d != "" {
		require.FailNow(t, "the machine states differ: "+d, msgAndArgs...)
	}
	require.Equal(t, want, got, msgAndArgs...)
}

func TestStepsForwardThenBackRestoreTheWholeMachineAndReplayTheSameStates(t *testing.T) {
	for _, c := range replayCases {
		for _, n := range []uint64{1, 10, 1000, 12000} {
			t.Run(fmt.Sprintf("%s/%d", c.name, n), func(t *testing.T) {
				s, _ := c.session(t)
				start := Digest(s.Kernel())
				first, ran := stepInPieces(s, n)
				require.NoError(t, s.Backstep(ran))
				requireSameState(t, start, Digest(s.Kernel()), "after %d steps and %d back", ran, ran)

				again, ranAgain := stepInPieces(s, n)
				require.Equal(t, ran, ranAgain)
				for i := range first {
					requireSameState(t, first[i], again[i], "piece %d of the second run forward", i)
				}
			})
		}
	}
}

func TestTheLongForwardRunOfLinearCrossesSwapping(t *testing.T) {
	s, _ := replayCases[1].session(t)
	before := s.Kernel().Stats()
	stepExactly(t, s, 12000)
	after := s.Kernel().Stats()
	assert.Greater(t, after.SwapOuts+after.SwapIns, before.SwapOuts+before.SwapIns,
		"the linear case must exercise swapping inside its window")
}

func TestTheParallelCaseRunsSeveralProcesses(t *testing.T) {
	s, _ := replayCases[2].session(t)
	assert.Greater(t, len(s.Kernel().Processes()), 1)
}

func TestBackstepPastTheStartIsAnErrorThatLeavesTheMachineAlone(t *testing.T) {
	s, _ := replayCases[0].session(t)
	before := Digest(s.Kernel())
	err := s.Backstep(101)
	require.Error(t, err)
	assert.Equal(t, "only 100 instructions have run", err.Error())
	requireSameState(t, before, Digest(s.Kernel()))
}

func TestBackstepZeroDoesNothing(t *testing.T) {
	s, _ := replayCases[0].session(t)
	k, before := s.Kernel(), Digest(s.Kernel())
	require.NoError(t, s.Backstep(0))
	assert.Same(t, k, s.Kernel(), "no replay either")
	requireSameState(t, before, Digest(s.Kernel()))
}

func TestBackstepToBootGivesTheStateOfBoot(t *testing.T) {
	s, _ := replayCases[3].session(t)
	fresh, _ := replayCase{program: "testdata/upcase.s", stdin: upcaseInput}.session(t)
	require.NoError(t, s.Backstep(s.Kernel().CPU.Instructions))
	requireSameState(t, Digest(fresh.Kernel()), Digest(s.Kernel()))
}

func TestBackstepFromTheEndOfTheProgramRunsItAgain(t *testing.T) {
	s, out := replayCases[0].session(t)
	s.Exec("continue")
	require.Contains(t, out.String(), "program exited with status 0")
	end := Digest(s.Kernel())
	require.NoError(t, s.Backstep(50))
	s.Exec("continue")
	requireSameState(t, end, Digest(s.Kernel()))
}

func TestOutputIsNotTakenBackAndGoesOnFromTheTarget(t *testing.T) {
	at100 := replayCases[3]
	at100.start = 100
	_, out100 := at100.session(t)
	printedBy100 := guestOutput(out100.String())

	s, out := replayCases[3].session(t)
	printed := out.String()
	require.NoError(t, s.Backstep(400))
	assert.Equal(t, printed, out.String(), "the replay prints nothing")
	s.Exec("continue")
	want := guestOutput(printed) + strings.TrimPrefix(strings.ToUpper(upcaseInput), printedBy100)
	assert.Equal(t, want, guestOutput(out.String()),
		"what was printed stays; from instruction 100 on, the guest prints again")
}

// guestOutput returns the transcript of an upcase.s session without the
// debugger's stop reports, which come in the middle of the guest's lines.
func guestOutput(transcript string) string {
	return regexp.MustCompile(`(=> |program exited)[^\n]*\n`).ReplaceAllString(transcript, "")
}

func TestTheGuestReadsTheSameInputAfterABackstep(t *testing.T) {
	var reads int
	c := replayCases[3]
	c.start = 0
	s, _ := c.session(t)
	s.rec.src = readCounter{r: strings.NewReader(upcaseInput), n: &reads}
	s.Exec("step 3000")
	first := Digest(s.Kernel())
	readsBefore := reads
	require.NoError(t, s.Backstep(3000))
	s.Exec("step 3000")
	assert.Equal(t, readsBefore, reads, "the second run reads the recording, not the real input")
	requireSameState(t, first, Digest(s.Kernel()))
}

// readCounter counts the Read calls of r.
type readCounter struct {
	r io.Reader
	n *int
}

func (c readCounter) Read(b []byte) (int, error) {
	*c.n++
	return c.r.Read(b)
}

func TestBreakpointsAndTraceSurviveABackstep(t *testing.T) {
	s, out := replayCases[0].session(t)
	s.Exec("break putint")
	s.Exec("trace fault on")
	trace := s.Kernel().TraceCategories()
	require.NoError(t, s.Backstep(50))
	assert.Equal(t, trace, s.Kernel().TraceCategories())
	out.Reset()
	s.Exec("continue")
	assert.Contains(t, out.String(), "breakpoint 1")
}

func TestAnEditIsReplayedAtItsInstructionAndForgottenWhenUndone(t *testing.T) {
	s, _ := replayCases[0].session(t)
	setR9 := func(k *kernel.Kernel) error { k.CPU.R[9] = 0x1234; return nil }
	require.NoError(t, s.Edit(setR9))
	edited := Digest(s.Kernel())
	stepExactly(t, s, 20)
	require.NoError(t, s.Backstep(20))
	requireSameState(t, edited, Digest(s.Kernel()), "the edit made at this instruction is made again")

	require.NoError(t, s.Backstep(1))
	stepExactly(t, s, 1)
	assert.NotEqual(t, uint32(0x1234), s.Kernel().CPU.R[9], "a backstep before the edit undoes it")
}

func TestTheBackstepCommandReportsWhereItArrives(t *testing.T) {
	s, out := replayCases[0].session(t)
	out.Reset()
	s.Exec("backstep 1000")
	assert.Equal(t, "backstep: only 100 instructions have run\n", out.String())
	out.Reset()
	s.Exec("backstep 10")
	assert.Equal(t, uint64(90), s.Kernel().CPU.Instructions)
	assert.True(t, strings.HasPrefix(out.String(), "=> "), out.String())
}

func TestDiffNamesTheFirstDifference(t *testing.T) {
	s, _ := replayCases[0].session(t)
	a := Digest(s.Kernel())
	b := a
	b.CPU.R = a.CPU.R
	b.CPU.R[3]++
	assert.Equal(t, fmt.Sprintf("CPU.R[3]: %#x, then %#x", a.CPU.R[3], a.CPU.R[3]+1), a.Diff(b))
	c := a
	c.Frames = append([]FrameRecord(nil), a.Frames...)
	c.Frames[5].Locks = 7
	assert.Contains(t, a.Diff(c), "Frames[5].Locks: 0, then 7")
	assert.Empty(t, a.Diff(a))
}

func TestASetIsMadeAgainWhenABackstepReplaysPastIt(t *testing.T) {
	s, out := newSession(t, "fib.s")
	for _, cmd := range []string{"step 3", "set r9 = 0x1234", "step 2", "backstep 1"} {
		require.False(t, s.Exec(cmd), cmd)
	}
	out.Reset()
	s.Exec("regs")
	assert.Contains(t, out.String(), "r9  0x00001234", "the edit at instruction 3 was replayed")
}

func TestReverseContinueGoesBackToTheLastBreakpointHitOrWatchedChange(t *testing.T) {
	s, out := newSession(t, "fib.s")
	execAll(s, "watch fibs+12", "c", "b loop", "c", "c")
	now := s.k.CPU.Instructions
	out.Reset()
	execAll(s, "rc")
	assert.Contains(t, out.String(), "breakpoint 2\n=> 0x00001017 <loop>")
	assert.Less(t, s.k.CPU.Instructions, now)
	out.Reset()
	execAll(s, "rc")
	assert.Contains(t, out.String(), "a watched word changes in the next instruction\n=> 0x00001026 <loop+15>")
	out.Reset()
	execAll(s, "delete 1", "rc", "rc", "rc", "rc", "rc", "rc")
	assert.Contains(t, out.String(), "no breakpoint hit or watched change before now: back at the program's first instruction")
	assert.Zero(t, s.k.CPU.Instructions)
}

func TestReverseFinishAndReverseNextGoBackToTheCall(t *testing.T) {
	s, out := newSession(t, "recursion.s")
	execAll(s, "b chain+12", "c", "c")
	out.Reset()
	execAll(s, "reverse-finish")
	assert.Contains(t, out.String(), "=> 0x000010ab <chain+49> recursion.s:61 pid 1  call chain")
	execAll(s, "step 4")
	out.Reset()
	execAll(s, "rn")
	assert.Contains(t, out.String(), "=> 0x0000107f <chain+5>")
	execAll(s, "delete 1", "finish")
	out.Reset()
	execAll(s, "rn")
	assert.Contains(t, out.String(), "call chain", "back over the call that just returned")
}
