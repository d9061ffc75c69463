// Command bench measures how fast toyvm runs a program that does real
// work, against the same work done natively: the sieve of Eratosthenes
// below 2,000,000, three times over.
//
// It runs programs/bench/sieve.s in toyvm's kernel, in this process, on
// the machine of `toyvm run --mem 16M` (the default MMU and TLB), timing
// the assembly, the kernel's boot and the run together; then its twin in
// Go (sieve.go), the same algorithm on a byte array. It checks that both
// print the same counts, and prints the instructions the guest ran,
// toyvm's speed in millions of instructions a second (MIPS), and how
// many times longer toyvm took than Go. From the repository's root:
//
//	go run ./bench
//	go test ./bench -run '^$' -bench Sieve     # ns/inst, over several runs
package main

import (
	"bytes"
	"flag"
	"fmt"
	"io"
	"os"
	"time"
)

func main() {
	prog := flag.String("prog", "programs/bench/sieve.s", "the guest program, the twin of bench/sieve.go")
	flag.Parse()
	if err := compare(*prog, os.Stdout); err != nil {
		fmt.Fprintf(os.Stderr, "bench: %v (run it from the repository's root)\n", err)
		os.Exit(1)
	}
}

// compare runs the guest program prog in toyvm and the native sieve,
// and writes their figures to w. It returns an error if the guest
// cannot be run, or prints other than the native sieve does.
func compare(prog string, w io.Writer) error {
	guest, err := runGuest(prog)
	if err != nil {
		return err
	}
	var out bytes.Buffer
	start := time.Now()
	nativeSieve(&out)
	native := time.Since(start)
	if guest.out != out.String() {
		return fmt.Errorf("%s printed %q, the Go sieve %q", prog, guest.out, out.String())
	}
	report(w, prog, guest, native)
	return nil
}

// report writes the figures of a guest run and of its native twin.
func report(w io.Writer, prog string, guest guestRun, native time.Duration) {
	mips := float64(guest.instructions) / guest.elapsed.Seconds() / 1e6
	fmt.Fprintf(w, "toyvm   %-24s %11d instructions  %8.3fs  %6.1f MIPS (assembly and boot included)\n",
		prog, guest.instructions, guest.elapsed.Seconds(), mips)
	fmt.Fprintf(w, "native  %-24s %11s               %8.3fs\n", "bench/sieve.go", "", native.Seconds())
	fmt.Fprintf(w, "toyvm/native: %.0fx\n", guest.elapsed.Seconds()/native.Seconds())
}
