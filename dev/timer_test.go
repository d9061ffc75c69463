package dev

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"toyvm/isa"
)

func TestArmedTimerFiresOneQuantumLater(t *testing.T) {
	c := NewClock()
	c.Advance(5)
	tm := NewTimer(c)
	tm.Arm(100)
	assert.True(t, tm.Armed())
	assert.Equal(t, uint64(105), c.Next())

	c.Advance(100)
	ev, ok := c.PopDue()
	require.True(t, ok)
	assert.Equal(t, isa.Timer, ev.Cause)
	assert.False(t, tm.Armed(), "the interrupt has been taken")
}

func TestRearmingReplacesThePendingInterrupt(t *testing.T) {
	c := NewClock()
	tm := NewTimer(c)
	tm.Arm(100)
	tm.Arm(50)
	require.Len(t, c.Pending(), 1)
	assert.Equal(t, uint64(50), c.Next())
}

func TestDisarmCancelsThePendingInterrupt(t *testing.T) {
	c := NewClock()
	tm := NewTimer(c)
	c.Schedule(70, Event{Cause: isa.Disk})
	tm.Arm(10)
	tm.Disarm()
	tm.Disarm()
	assert.False(t, tm.Armed())
	assert.Equal(t, uint64(70), c.Next())
}
