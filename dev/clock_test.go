package dev

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"toyvm/isa"
)

func TestClockStartsAtZeroWithNothingPending(t *testing.T) {
	var c Clock
	assert.Equal(t, uint64(0), c.Now())
	assert.Equal(t, Never, c.Next())
	_, ok := c.PopDue()
	assert.False(t, ok)
}

func TestAdvanceToNeverMovesTheClockBack(t *testing.T) {
	c := NewClock()
	c.Advance(100)
	c.AdvanceTo(50)
	assert.Equal(t, uint64(100), c.Now())
	c.AdvanceTo(150)
	assert.Equal(t, uint64(150), c.Now())
}

func TestEventsArePoppedInDeadlineOrderThenSchedulingOrder(t *testing.T) {
	c := NewClock()
	c.Schedule(30, Event{Cause: isa.Disk, Tag: 1})
	c.Schedule(10, Event{Cause: isa.Timer, Tag: 2})
	c.Schedule(30, Event{Cause: isa.Disk, Tag: 3})
	c.Schedule(20, Event{Cause: isa.Disk, Tag: 4})
	assert.Equal(t, uint64(10), c.Next())

	c.Advance(100)
	var tags []uint32
	for {
		ev, ok := c.PopDue()
		if !ok {
			break
		}
		tags = append(tags, ev.Tag)
	}
	assert.Equal(t, []uint32{2, 4, 1, 3}, tags)
}

func TestEventIsNotDueBeforeItsDeadline(t *testing.T) {
	c := NewClock()
	c.Schedule(10, Event{Cause: isa.Timer})
	c.Advance(9)
	_, ok := c.PopDue()
	require.False(t, ok)
	c.Advance(1)
	ev, ok := c.PopDue()
	require.True(t, ok)
	assert.Equal(t, Event{At: 10, Cause: isa.Timer}, ev)
	assert.Equal(t, Never, c.Next())
}

func TestCancelRemovesOnlyTheMatchingEvent(t *testing.T) {
	c := NewClock()
	c.Schedule(10, Event{Cause: isa.Timer, Tag: 1})
	c.Schedule(20, Event{Cause: isa.Disk, Tag: 1})
	assert.True(t, c.Cancel(isa.Timer, 1))
	assert.False(t, c.Cancel(isa.Timer, 1))
	assert.Equal(t, []Event{{At: 20, Cause: isa.Disk, Tag: 1}}, c.Pending())
}

func TestEventStringNamesCauseDeadlineAndTag(t *testing.T) {
	assert.Equal(t, "TIMER@1000 tag 3", Event{At: 1000, Cause: isa.Timer, Tag: 3}.String())
}

func TestAfterAndTimesSaturateAtMaxTimeInsteadOfWrapping(t *testing.T) {
	assert.Equal(t, uint64(30), After(10, 20))
	assert.Equal(t, MaxTime, After(MaxTime-1, 1))
	assert.Equal(t, MaxTime, After(1, ^uint64(0)))
	assert.Equal(t, MaxTime, After(^uint64(0), 1))
	assert.Equal(t, uint64(600), Times(20, 30))
	assert.Equal(t, uint64(0), Times(0, ^uint64(0)))
	assert.Equal(t, MaxTime, Times(1<<31, 1_000_000_000_000))
	assert.Equal(t, MaxTime, Times(^uint64(0), ^uint64(0)))
}

func TestEventsAndTheClockNeverGoPastMaxTime(t *testing.T) {
	c := NewClock()
	c.Schedule(^uint64(0), Event{Cause: isa.Disk, Tag: 1})
	assert.Equal(t, MaxTime, c.Next())
	c.Advance(MaxTime - 5)
	c.Advance(100)
	assert.Equal(t, MaxTime, c.Now())
	tm := NewTimer(c)
	tm.Arm(^uint64(0))
	assert.Equal(t, MaxTime, c.Pending()[1].At)
}
