package main

import (
	"fmt"
	"io"
)

// The sieve's size and repetitions, as in programs/bench/sieve.s.
const (
	sieveLimit  = 2_000_000 // the primes below this
	sievePasses = 3
)

// nativeSieve is the Go twin of programs/bench/sieve.s: it counts the
// primes below sieveLimit sievePasses times over one byte array, writing
// each count on its own line to w, as the guest prints them.
func nativeSieve(w io.Writer) {
	sieve := make([]byte, sieveLimit)
	for range sievePasses {
		fmt.Fprintln(w, countPrimes(sieve))
	}
}

// countPrimes clears sieve, a byte a number, and returns the number of
// primes below len(sieve) by the sieve of Eratosthenes: each number not
// crossed out is prime, and crosses out its multiples from its square.
func countPrimes(sieve []byte) int {
	clear(sieve)
	count := 0
	for i := 2; i < len(sieve); i++ {
		if sieve[i] != 0 {
			continue
		}
		count++
		for j := i * i; j < len(sieve); j += i {
			sieve[j] = 1
		}
	}
	return count
}
