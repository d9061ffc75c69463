package policy_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestKitPolicyHiddenManyProcessesUnderTheSharedPool(t *testing.T) {
	for _, policy := range []string{"clock", "lru"} {
		got, status := kitRun(t, "parallel.s", policy, 128<<10)
		assert.Equal(t, 0, status, policy)
		assert.NotEmpty(t, got, policy)
	}
}
