package main

import (
	"bytes"
	"fmt"
	"io"
	"path/filepath"
	"time"

	"toyvm/asm"
	"toyvm/kernel"
)

// guestRun is what one run of a program in toyvm gave.
type guestRun struct {
	out          string        // what it printed on standard output
	instructions uint64        // the instructions it ran
	elapsed      time.Duration // assembly, the kernel's boot and the run
}

// runGuest assembles the program at path and runs it in a kernel with
// toyvm run's defaults (16M of memory, the default MMU and TLB), its
// paths resolving in its folder, read-only, as toyvm run's do. It
// returns what the run printed, its instructions and the time it took;
// or an error if the program cannot be assembled or started, or exits
// with a status other than 0.
func runGuest(path string) (guestRun, error) {
	var out, errs bytes.Buffer
	start := time.Now()
	img, err := asm.LoadFile(path)
	if err != nil {
		return guestRun{}, err
	}
	k, err := kernel.New(guestConfig(path, &out, &errs))
	if err != nil {
		return guestRun{}, err
	}
	defer k.Close()
	status, err := k.Run(img, []string{path})
	elapsed := time.Since(start)
	if err != nil {
		return guestRun{}, err
	}
	if status != 0 {
		return guestRun{}, fmt.Errorf("%s exited with status %d: %s", path, status, errs.String())
	}
	return guestRun{out.String(), k.Stats().Instructions, elapsed}, nil
}

// guestConfig returns the configuration of `toyvm run --mem 16M path`,
// writing the guest's output to stdout and stderr.
func guestConfig(path string, stdout, stderr io.Writer) kernel.Config {
	cfg := kernel.DefaultConfig()
	cfg.MemBytes = 16 << 20
	cfg.Root, cfg.RootReadOnly = filepath.Dir(path), true
	cfg.Assembler = asm.AssembleFS
	cfg.Stdout, cfg.Stderr = stdout, stderr
	return cfg
}
