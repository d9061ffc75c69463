package debugger

import (
	"bytes"
	"strings"
	"testing"
	"toyvm/kernel"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// session runs lines in a session on programs/NAME and returns what the
// last line printed, and the session.
func session(t *testing.T, name string, lines ...string) (string, *Session) {
	t.Helper()
	s, out := newSession(t, name)
	for _, l := range lines {
		out.Reset()
		s.Exec(l)
	}
	return out.String(), s
}

// transcript runs lines in a session on programs/NAME and returns all
// they printed.
func transcript(t *testing.T, name string, lines ...string) string {
	t.Helper()
	s, out := newSession(t, name)
	var all bytes.Buffer
	for _, l := range lines {
		out.Reset()
		s.Exec(l)
		all.Write(out.Bytes())
	}
	return all.String()
}

func TestDisasmShowsInstructionsAsLongAsTheISAsLongest(t *testing.T) {
	got, _ := session(t, "recursion.s", "disasm chain 10")
	assert.Contains(t, got, "<chain+29>      mul3 r1, #7, -32(fp)\n", "a 12-byte instruction")
	assert.NotContains(t, got, "truncated")
}

func TestFinishStopsWhenTheFunctionHasReturnedNotInItsEpilogue(t *testing.T) {
	got, s := session(t, "recursion.s", "break chain+12", "continue", "continue", "delete 1", "finish")
	assert.Contains(t, got, "=> 0x000010b1 <chain+55> recursion.s:62 pid 1  add #4, sp\n", "just after the recursive call returned")
	assert.Contains(t, got, "r0 = 0x")
	assert.Equal(t, uint32(0x10b1), s.k.CPU.PC)
}

func TestUntilAtARetStepsOutToTheCaller(t *testing.T) {
	got, _ := session(t, "fib.s", "break putnl+17", "continue", "delete 1", "until")
	assert.Contains(t, got, "=> 0x00001026 <loop+15> fib.s:19 pid 1  mov r6, (r10)+\n")
}

func TestNextOverACallAndUntilOverALoopStayInTheirFrame(t *testing.T) {
	got, _ := session(t, "fib.s", "break putnl+9", "continue", "delete 1", "next")
	assert.Contains(t, got, "<putnl+15>", "the call to putchar ran whole")
}

func TestRunStopsAtABreakpointOnTheFirstInstruction(t *testing.T) {
	got, _ := session(t, "fib.s", "step 5", "tbreak start", "run")
	assert.Equal(t, "starting ../programs/fib.s\ntbreakpoint 1\n=> 0x00001000 <start> fib.s:12 pid 1  clr r6\n", got)
}

func TestAFatalFaultStopsWithTheProcessAliveAndContinueKillsIt(t *testing.T) {
	got, s := session(t, "wild.s", "continue")
	assert.Contains(t, got, "fatal fault: cycle 40029: pid 1 INVALID write at 0x00000000, pc 0x0000101f: killed (INVALID fault (write, user mode) at 0x00000000)\n"+
		"the process is stopped before it is killed: continue or step kills it (exit status 139)\n=> 0x0000101f <start+31> wild.s:19 pid 1  mov #1, (r6)\n")
	ps, _ := session(t, "wild.s", "continue", "ps")
	assert.Contains(t, ps, "runnable", "the process is alive")
	out := transcript(t, "wild.s", "continue", "info faults", "continue")
	assert.Contains(t, out, "cycle 40029: pid 1 INVALID write at 0x00000000, pc 0x0000101f: killed")
	assert.Contains(t, out, "program exited with status 139\n")
	_ = s
}

func TestCommandsAndInfoTopicsTakeAnyUniquePrefix(t *testing.T) {
	regs, _ := session(t, "fib.s", "i r")
	assert.Contains(t, regs, "pc ")
	points, _ := session(t, "fib.s", "break loop", "info b")
	assert.Contains(t, points, "breakpoint")
	dis, _ := session(t, "fib.s", "disas start 1")
	assert.Contains(t, dis, "<start>")
	amb, _ := session(t, "fib.s", "t")
	assert.Equal(t, "ambiguous command \"t\": tbreak, tlb, trace\n", amb)
	ambInfo, _ := session(t, "fib.s", "info w")
	assert.Contains(t, ambInfo, "breakpoint", "watchpoints: the one topic starting with w")
}

func TestCompletionOffersTheWordsEachCommandTakes(t *testing.T) {
	s, _ := newSession(t, "fib.s")
	assert.Equal(t, []string{"info faults", "info frame"}, s.Complete("info f"))
	assert.Equal(t, []string{"catch syscall", "catch swap"}, s.Complete("catch s"))
	assert.Contains(t, s.Complete("trace f"), "trace faults")
	assert.Equal(t, []string{"break start"}, s.Complete("break sta"))
	assert.Contains(t, s.Complete("fin"), "finish")
}

func TestPsLinesItsColumnsUp(t *testing.T) {
	got, _ := session(t, "fib.s", "ps")
	lines := strings.Split(strings.TrimSuffix(got, "\n"), "\n")
	require.Len(t, lines, 2)
	assert.Equal(t, strings.Index(lines[0], "pid")+2, strings.Index(lines[1], "1"), "pid's last digit under its title's last letter:\n%s", got)
	assert.Equal(t, strings.Index(lines[0], "state"), strings.Index(lines[1], "runnable"))
}

func TestABackstepCanBeInterrupted(t *testing.T) {
	s, _ := newSession(t, "fib.s")
	s.Exec("step 100")
	before := s.k.CPU.Instructions
	s.Interrupt()
	err := s.Backstep(1)
	assert.ErrorIs(t, err, errInterrupted)
	assert.Equal(t, before, s.k.CPU.Instructions, "the machine is as it was")
}

func TestBreakAtALineSaysWhatIsWrongWithTheLocation(t *testing.T) {
	noFile, _ := session(t, "fib.s", "break :20")
	assert.Equal(t, "bad location \":20\": a line needs its file, as in fib.s:20 (the program's files: fib.s, lib/io.s)\n", noFile)
	missing, _ := session(t, "fib.s", "break foo.s:20")
	assert.Equal(t, "bad location \"foo.s:20\": no file foo.s in the program (its files: fib.s, lib/io.s)\n", missing)
}

func TestBacktraceFollowsTheFramePointerChain(t *testing.T) {
	got, _ := session(t, "recursion.s", "break ch_zero", "continue", "bt 4")
	lines := strings.Split(got, "\n")
	require.GreaterOrEqual(t, len(lines), 5, got)
	assert.Contains(t, lines[0], "#0  0x")
	assert.Contains(t, lines[0], "<ch_zero>")
	assert.Contains(t, lines[1], "#1  0x000010b1 <chain+55> recursion.s:62", "returns after its recursive call")
	assert.Contains(t, got, "(more frames follow)\n")
	all, _ := session(t, "recursion.s", "break ch_zero", "continue", "bt")
	assert.Contains(t, all, "(more than 256 frames: the rest is not shown)\n", "10000 deep")
	nested, _ := session(t, "../debugger/testdata/frames.s", "break inner+5", "continue", "bt")
	assert.Regexp(t, `^#0  0x[0-9a-f]{8} <inner\+5> frames\.s:\d+\n#1  0x[0-9a-f]{8} <middle\+\d+> frames\.s:\d+\n`+
		`#2  0x[0-9a-f]{8} <outer\+\d+> frames\.s:\d+\n#3  0x[0-9a-f]{8} <start\+\d+> frames\.s:\d+\n$`, nested, "down to start, where fp is 0")
	atEntry, _ := session(t, "recursion.s", "break chain", "continue", "bt 2")
	assert.Contains(t, atEntry, "#1  0x", "at the function's first instruction the return address is at sp")
	leaf, _ := session(t, "fib.s", "break putnl+9", "continue", "bt")
	assert.Contains(t, leaf, "(frame 0 keeps no frame pointer: its caller is not shown, frame 1 is its caller's caller)\n")
}

func TestABreakpointWithAConditionStopsOnlyWhenItHolds(t *testing.T) {
	got, s := session(t, "fib.s", "break loop if r6 > 100", "continue")
	assert.Contains(t, got, "breakpoint 1\n=> ")
	assert.Greater(t, int32(s.k.CPU.R[6]), int32(100))
	info, _ := session(t, "fib.s", "break loop if r6 > 100", "continue", "info breakpoints")
	assert.Contains(t, info, "1 breakpoint at 0x", "")
	assert.Contains(t, info, ", if r6 > 100, hit 13 times\n")
	bad, _ := session(t, "fib.s", "break loop if nosuch == 1")
	assert.Contains(t, bad, `bad expression "nosuch == 1": no label or register "nosuch"`)
}

func TestConditionEnableDisableAndIgnoreChangeWhatStops(t *testing.T) {
	got, s := session(t, "fib.s", "break loop", "ignore 1 5", "continue")
	assert.Contains(t, got, "breakpoint 1")
	assert.Equal(t, uint32(5), s.k.CPU.R[6], "the 6th time round: 0 1 1 2 3, then 5")
	_, s = session(t, "fib.s", "break loop", "condition 1 r6 == 21", "continue")
	assert.Equal(t, uint32(21), s.k.CPU.R[6])
	_, s = session(t, "fib.s", "break loop", "condition 1 r6 == 21", "condition 1", "continue")
	assert.Equal(t, uint32(0), s.k.CPU.R[6], "the condition is gone: the first time round")
	off, _ := session(t, "fib.s", "break loop", "disable", "continue")
	assert.Contains(t, off, "program exited with status 0")
	on, _ := session(t, "fib.s", "break loop", "disable 1", "enable", "continue")
	assert.Contains(t, on, "breakpoint 1")
	gone, _ := session(t, "fib.s", "break loop", "break start", "delete", "info breakpoints")
	assert.Contains(t, gone, "no breakpoints or watchpoints", "delete with no number deletes all (no terminal: no question)")
}

func TestPrintShowsExpressionsInEachFormatAndKeepsThem(t *testing.T) {
	out := transcript(t, "fib.s", "break loop if r6 == 13", "continue", "print r6", "print/x r6*2+1",
		"print $1 + 1", "print $", "print/c 65", "print/t 5", "print/o 8", "print/u -1", "print *fibs+4", "print 1/0", "print nosuch")
	assert.Contains(t, out, "$1 = 13\n$2 = 0x1b\n$3 = 14\n$4 = 14\n$5 = 65 'A'\n$6 = 101\n$7 = 010\n$8 = 4294967295\n$9 = 4\n")
	assert.Contains(t, out, `bad expression "1/0": division by zero`)
	assert.Contains(t, out, `bad expression "nosuch": no label or register "nosuch"`)
}

func TestDisplayShowsItsExpressionsAtEveryStop(t *testing.T) {
	out := transcript(t, "fib.s", "break loop", "display r6", "display/x r7", "continue", "continue", "undisplay 1", "continue", "info display")
	assert.Contains(t, out, "breakpoint 1\n=> 0x00001017 <loop> fib.s:16 pid 1  mov r6, r1\n1: r6 = 1\n2: r7 = 0x1\n")
	assert.Contains(t, out, "breakpoint 1\n=> 0x00001017 <loop> fib.s:16 pid 1  mov r6, r1\n2: r7 = 0x2\n2: r7 = 0x2\n", "display 1 is gone")
}

func TestXTakesACountAFormatAndASize(t *testing.T) {
	out := transcript(t, "hello.s", "step 6", "x/4xw msg", "x/s msg", "x/8xb msg", "x/3c msg", "x/2i start", "x/2d msg")
	assert.Contains(t, out, "0x00002000 <msg>: 0x6c6c6548 0x77202c6f 0x646c726f 0x0000000a  Hello, world....\n")
	assert.Contains(t, out, "0x00002000 <msg>: \"Hello, world\\n\"\n")
	assert.Contains(t, out, "0x00002000 <msg>: 0x48 0x65 0x6c 0x6c 0x6f 0x2c 0x20 0x77  Hello, w\n")
	assert.Contains(t, out, "0x00002000 <msg>: 72 'H' 101 'e' 108 'l'  Hel\n")
	assert.Contains(t, out, "<start>")
	assert.Contains(t, out, "0x00002000 <msg>: 1819043144 1998597231  Hello, w\n")
}

// fakeTerminal makes a session believe it talks to a terminal.
type fakeTerminal struct{}

func (fakeTerminal) Release() {}
func (fakeTerminal) Reclaim() {}

func TestAnEmptyLineAtATerminalRepeatsOrGoesOn(t *testing.T) {
	s, out := newSession(t, "fib.s")
	s.SetTerminal(fakeTerminal{})
	s.Exec("step")
	s.Exec("")
	assert.Equal(t, uint64(2), s.k.CPU.Instructions, "step, then step again")
	out.Reset()
	s.Exec("x/2xw fibs")
	s.Exec("")
	assert.Equal(t, "0x00002004 <fibs>: not-present not-present  ????????\n0x0000200c <fibs+8>: not-present not-present  ????????\n", out.String())
	out.Reset()
	s.Exec("disasm start 1")
	s.Exec("")
	assert.Contains(t, out.String(), "<start+2>")
	script, _ := newSession(t, "fib.s")
	script.Exec("step")
	script.Exec("")
	assert.Equal(t, uint64(1), script.k.CPU.Instructions, "a script's empty line does nothing")
}

func TestNextTakesACountAndStartStopsAtTheFirstInstruction(t *testing.T) {
	got, s := session(t, "fib.s", "break loop", "continue", "next 3")
	assert.Contains(t, got, "=> 0x00001026 <loop+15>")
	assert.Equal(t, uint32(0x1026), s.k.CPU.PC)
	start, _ := session(t, "fib.s", "step 40", "start")
	assert.Equal(t, "starting ../programs/fib.s\n=> 0x00001000 <start> fib.s:12 pid 1  clr r6\n", start)
}

func TestFrameUpDownSelectAFrameWhosePCAndFPExpressionsUse(t *testing.T) {
	s, out := newSession(t, "recursion.s")
	execAll(s, "b chain+12", "c", "c")
	out.Reset()
	execAll(s, "up", "p/x $pc", "info frame", "down", "p/x $pc")
	text := out.String()
	assert.Contains(t, text, "#1  0x000010b1 <chain+55>")
	assert.Contains(t, text, "$1 = 0x10b1")
	assert.Contains(t, text, "frame 1 at 0x000010b1 <chain+55>")
	assert.Contains(t, text, "called by frame 2 at 0x0000100e <start+14>")
	assert.Contains(t, text, "$2 = 0x1086")
	out.Reset()
	execAll(s, "down", "frame 7")
	assert.Contains(t, out.String(), "bottom (innermost) frame selected")
	assert.Contains(t, out.String(), "no frame 7: the backtrace has 3")
}

func TestPtAndXTakeAnotherProcessSoTheSameAddressShowsTwoFrames(t *testing.T) {
	s, out := newSessionWith(t, "parallel.s", func(*kernel.Config) {})
	execAll(s, "step 30000")
	out.Reset()
	execAll(s, "pt array", "pt array pid 2", "x array 1 pid 2", "x array 1 pid 9")
	text := out.String()
	assert.Contains(t, text, "(pid 1, cr3")
	assert.Contains(t, text, "(pid 2, cr3")
	assert.Contains(t, text, "without ASIDs the TLB holds the running process's only")
	assert.Contains(t, text, "no live process 9")
}

func TestCatchSyscallByNameStopsAtThoseCallsOnlyAndCatchSwapNamesPageAndSlot(t *testing.T) {
	s, out := newSession(t, "hello.s")
	execAll(s, "catch syscall exit", "c")
	assert.Contains(t, out.String(), "caught syscall: pid 1: exit(code=0)")
	assert.NotContains(t, out.String(), "caught syscall: pid 1: write")
	out.Reset()
	execAll(s, "catch syscall frob")
	assert.Contains(t, out.String(), `no system call "frob" (known: exit, write,`)
	assert.Equal(t, []string{"catch syscall write"}, s.Complete("catch syscall wr"))

	s, out = newSessionWith(t, "parallel.s", func(cfg *kernel.Config) {
		cfg.MemBytes = 64 << 10
		cfg.PoolLow, cfg.PoolHigh = kernel.DefaultPool(16)
	})
	execAll(s, "catch swap", "c")
	assert.Regexp(t, `caught swap: swap-out of data page \d+ from frame 0x[0-9a-f]+ to slot \d+`, out.String())
}
