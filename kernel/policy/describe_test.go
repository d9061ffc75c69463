package policy

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestDescribeGivesEachPolicysOrderFromTheNextVictim(t *testing.T) {
	fifo, lru := NewFIFO(), NewLRU()
	for _, p := range []Page{7, 8, 9} {
		fifo.Insert(p)
		lru.Insert(p)
	}
	lru.Touch(7)
	assert.Equal(t, map[Page]string{7: "queue 0", 8: "queue 1", 9: "queue 2"}, fifo.Describe())
	assert.Equal(t, map[Page]string{8: "recency 0", 9: "recency 1", 7: "recency 2"}, lru.Describe(),
		"7 was touched last")
}

func TestDescribeOfAClockCountsFromTheHand(t *testing.T) {
	c := NewClock()
	for _, p := range []Page{1, 2, 3} {
		c.Insert(p)
	}
	d := c.Describe()
	assert.Len(t, d, 3)
	assert.Contains(t, d, Page(1))
	for _, pol := range []Policy{NewFIFO(), NewLRU(), NewClock(), NewRandom(1), NewESC()} {
		_, ok := pol.(Describer)
		assert.True(t, ok, "%s describes its pages", pol.Name())
	}
}

func TestLRULearnsFromTouchesAndTheClocksReadTheirBits(t *testing.T) {
	for name, touches := range map[string]bool{"lru": true, "fifo": false, "clock": false, "esc": false} {
		r, err := Lookup(name)
		require.NoError(t, err)
		assert.Equal(t, touches, r.Touches, name)
	}
}
