package cpu

// SetUnbuffered turns off (true) or back on the CPU's copies of
// translations (the prefetch buffer and the data page caches), so that a
// test can run a program with every access translated through the MMU.
func SetUnbuffered(c *CPU, off bool) { c.unbuffered = off }
