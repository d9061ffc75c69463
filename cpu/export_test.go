package cpu

import "unsafe"

// SetUnbuffered turns off (true) or back on the CPU's copies of
// translations (the prefetch buffer and the data page caches), so that a
// test can run a program with every access translated through the MMU.
func SetUnbuffered(c *CPU, off bool) { c.unbuffered = off }

// RunFast runs up to budget instructions on the fast paths alone, as Run
// does between interrupts, and reports whether it ran them all: a test
// proves with it that an instruction shape really takes a fast path.
func RunFast(c *CPU, budget uint64) bool { return c.runFast(budget) }

// DecodedSize is the size in bytes of an entry of the decoded
// instruction cache.
const DecodedSize = unsafe.Sizeof(decoded{})
