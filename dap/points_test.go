package dap

import (
	"strings"
	"testing"

	godap "github.com/google/go-dap"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestAConditionUsesTheDebuggersExpressions(t *testing.T) {
	c := newClient(t)
	c.launch("fib.s", nil)
	c.breakAt("fib.s", map[string]any{"line": fibLoop, "condition": "r6 > 100 && r8 % 2 == 0"})
	c.do("configurationDone", nil)
	c.stopped()
	assert.Equal(t, "0x00000090", c.registers()["r6"].Value) // 144, with 8 left
	c.disconnect()
}

func TestHitConditionsCountTheHitsWhoseConditionHolds(t *testing.T) {
	for cond, want := range map[string][]string{
		"3":    {"0x00000001", "0x00000002"}, // from the third on: F(2), F(3)
		">= 3": {"0x00000001", "0x00000002"}, // the same
		"== 2": {"0x00000001"},               // the second alone
		"% 5":  {"0x00000003", "0x00000022"}, // every fifth: F(4), F(9)
		"> 18": {"0x00000a18", "0x00001055"}, // F(18), F(19)
	} {
		t.Run(cond, func(t *testing.T) {
			c := newClient(t)
			c.launch("fib.s", nil)
			bps := c.breakAt("fib.s", map[string]any{"line": fibLoop, "hitCondition": cond})
			require.True(t, bps[0].Verified, bps[0].Message)
			c.do("configurationDone", nil)
			for _, r6 := range want {
				c.stopped()
				assert.Equal(t, r6, c.registers()["r6"].Value)
				c.do("continue", nil)
			}
			if cond != "== 2" && cond != "> 18" {
				return // stops to come
			}
			c.event("exited")
			c.disconnect()
		})
	}
}

func TestABadHitConditionIsNotSet(t *testing.T) {
	c := newClient(t)
	c.launch("fib.s", nil)
	bps := c.breakAt("fib.s", map[string]any{"line": fibLoop, "hitCondition": "often"})
	assert.False(t, bps[0].Verified)
	assert.Contains(t, bps[0].Message, `bad hit condition "often"`)
	c.disconnect()
}

func TestAConditionThatCannotBeEvaluatedStopsAndSaysWhy(t *testing.T) {
	c := newClient(t)
	c.launch("fib.s", nil)
	bps := c.breakAt("fib.s", map[string]any{"line": fibLoop, "condition": "nowhere > 1"})
	c.do("configurationDone", nil)
	st := c.stopped()
	assert.Equal(t, "breakpoint", st.Reason)
	assert.Equal(t, []int{bps[0].Id}, st.HitBreakpointIds)
	assert.Contains(t, st.Description, "error in the condition of breakpoint")
	c.disconnect()
}

func TestALogPointSaysItsMessageAndGoesOn(t *testing.T) {
	c := newClient(t)
	c.launch("fib.s", nil)
	c.breakAt("fib.s", map[string]any{"line": fibLoop, "logMessage": "F = {r6}, {20 - r8} done{nowhere}", "hitCondition": "> 18"})
	c.do("configurationDone", nil)
	c.event("exited")
	out := c.output.String()
	assert.Contains(t, out, "F = 2584, 18 done{nowhere: ")
	assert.Contains(t, out, "F = 4181, 19 done")
	assert.Equal(t, 2, strings.Count(out, "F = "))
	c.disconnect()
}

func TestALineWithNoCodeMovesToTheNextAndAFileNotOfTheProgramIsRefused(t *testing.T) {
	c := newClient(t)
	c.launch("fib.s", nil)
	bps := c.breakAt("fib.s", map[string]any{"line": 1}, map[string]any{"line": 500})
	assert.True(t, bps[0].Verified)
	assert.Equal(t, 12, bps[0].Line, "the first instruction: start")
	assert.False(t, bps[1].Verified)
	assert.Contains(t, bps[1].Message, "no code at or after line 500")
	r := c.do("setBreakpoints", map[string]any{"source": map[string]any{"path": program(t, "hello.s")},
		"breakpoints": []map[string]any{{"line": 3}}}).(*godap.SetBreakpointsResponse)
	assert.False(t, r.Body.Breakpoints[0].Verified)
	assert.Contains(t, r.Body.Breakpoints[0].Message, "not a source file of the program")
	c.disconnect()
}

func TestABreakpointSetAgainKeepsItsNumberAndItsHits(t *testing.T) {
	c := newClient(t)
	c.launch("fib.s", nil)
	first := c.breakAt("fib.s", map[string]any{"line": fibLoop, "hitCondition": "% 2"})
	c.do("configurationDone", nil)
	c.stopped()
	assert.Equal(t, "0x00000001", c.registers()["r6"].Value) // hit 2: F(1)
	again := c.breakAt("fib.s", map[string]any{"line": fibLoop, "hitCondition": "% 2"}, map[string]any{"line": fibStore})
	assert.Equal(t, first[0].Id, again[0].Id)
	assert.NotEqual(t, first[0].Id, again[1].Id)
	for range 2 { // at the store after hits 2 and 3 (passed over) of the loop
		c.do("continue", nil)
		assert.Equal(t, []int{again[1].Id}, c.stopped().HitBreakpointIds)
	}
	c.do("continue", nil)
	assert.Equal(t, []int{again[0].Id}, c.stopped().HitBreakpointIds)
	assert.Equal(t, "0x00000002", c.registers()["r6"].Value) // hit 4: F(3)
	c.disconnect()
}

func TestReverseContinueJudgesTheBreakpointsAsTheyWereThen(t *testing.T) {
	c := newClient(t)
	c.launch("fib.s", nil)
	bps := c.breakAt("fib.s", map[string]any{"line": fibLoop, "hitCondition": "% 3"})
	c.do("configurationDone", nil)
	c.stopped() // hit 3: F(2)
	c.do("continue", nil)
	c.stopped() // hit 6: F(5)
	assert.Equal(t, "0x00000005", c.registers()["r6"].Value)
	c.do("reverseContinue", nil)
	st := c.stopped()
	assert.Equal(t, []int{bps[0].Id}, st.HitBreakpointIds)
	assert.Equal(t, "0x00000001", c.registers()["r6"].Value, "back at hit 3")
	c.do("continue", nil)
	c.stopped()
	assert.Equal(t, "0x00000005", c.registers()["r6"].Value, "the hits counted from hit 3 on")
	c.do("reverseContinue", nil)
	c.stopped()
	c.do("reverseContinue", nil)
	assert.Equal(t, "entry", c.stopped().Reason)
	assert.Equal(t, "start", c.top().Name)
	c.disconnect()
}

func TestFunctionAndInstructionBreakpoints(t *testing.T) {
	c := newClient(t)
	c.launch("fib.s", nil)
	r := c.do("setFunctionBreakpoints", map[string]any{"breakpoints": []map[string]any{{"name": "putnl"}, {"name": "nowhere"}}}).(*godap.SetFunctionBreakpointsResponse)
	fn := r.Body.Breakpoints
	require.True(t, fn[0].Verified)
	assert.True(t, strings.HasSuffix(fn[0].Source.Name, "io.s"))
	assert.False(t, fn[1].Verified)
	loop := c.evaluate("loop", "watch")
	ref := loop[:10]
	ir := c.do("setInstructionBreakpoints", map[string]any{"breakpoints": []map[string]any{{"instructionReference": ref, "offset": 3}}}).(*godap.SetInstructionBreakpointsResponse)
	in := ir.Body.Breakpoints
	require.True(t, in[0].Verified, in[0].Message)
	assert.Equal(t, fibCall, in[0].Line)
	c.do("configurationDone", nil)
	assert.Equal(t, []int{in[0].Id}, c.stopped().HitBreakpointIds)
	c.do("continue", nil)
	assert.Equal(t, []int{fn[0].Id}, c.stopped().HitBreakpointIds)
	assert.Equal(t, "putnl", c.top().Name)
	c.disconnect()
}

func TestABreakpointTheConsoleDeletedIsSetAgain(t *testing.T) {
	c := newClient(t)
	c.launch("fib.s", map[string]any{"stopOnEntry": true})
	c.do("configurationDone", nil)
	c.stopped()
	c.breakAt("fib.s", map[string]any{"line": fibLoop})
	c.evaluate("delete", "repl")
	bps := c.breakAt("fib.s", map[string]any{"line": fibLoop}, map[string]any{"line": fibStore})
	c.do("continue", nil)
	assert.Equal(t, []int{bps[0].Id}, c.stopped().HitBreakpointIds)
	c.disconnect()
}

func TestLinesMayCountFromZero(t *testing.T) {
	c := newClient(t)
	c.do("initialize", map[string]any{"adapterID": "toyvm", "linesStartAt1": false})
	c.do("launch", map[string]any{"program": program(t, "fib.s")})
	c.event("initialized")
	bps := c.breakAt("fib.s", map[string]any{"line": fibLoop - 1})
	assert.Equal(t, fibLoop-1, bps[0].Line)
	c.do("configurationDone", nil)
	c.stopped()
	assert.Equal(t, fibLoop-1, c.top().Line)
	c.disconnect()
}

func TestParseHitCondition(t *testing.T) {
	for text, want := range map[string]hitCondition{
		"": {}, "4": {">=", 4}, " >= 4 ": {">=", 4}, ">4": {">", 4}, "==0": {"==", 0},
		"< 3": {"<", 3}, "<=3": {"<=", 3}, "%2": {"%", 2},
	} {
		got, err := parseHitCondition(text)
		require.NoError(t, err, text)
		assert.Equal(t, want, got, text)
	}
	for _, bad := range []string{"x", "% 0", "-1", ">= ", "=> 2", "1.5", "99999999999999999999"} {
		_, err := parseHitCondition(bad)
		assert.Error(t, err, bad)
	}
	assert.True(t, hitCondition{}.accepts(1))
	assert.False(t, hitCondition{"%", 3}.accepts(4))
	assert.True(t, hitCondition{"%", 3}.accepts(6))
}
