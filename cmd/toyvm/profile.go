package main

import (
	"errors"
	"fmt"
	"os"
	"runtime"
	"runtime/pprof"
)

// profiler writes the host profiles of a run that --cpuprofile and
// --memprofile ask for, in runtime/pprof's format (go tool pprof reads
// them): a CPU profile of the run, and a heap profile taken at its end.
type profiler struct {
	cpu, mem *os.File // nil when the flag is not given
}

// startProfiles creates the files of the profiles asked for (a path ""
// asks for none) and starts the CPU profile. It refuses a path that is
// the program itself. On failure it creates nothing more, closes what it
// opened and returns an error naming the flag.
func startProfiles(cpuPath, memPath, program string) (*profiler, error) {
	var p profiler
	var err error
	if p.cpu, err = createProfile("--cpuprofile", cpuPath, program); err != nil {
		return nil, err
	}
	if p.mem, err = createProfile("--memprofile", memPath, program); err != nil {
		p.close()
		return nil, err
	}
	if p.cpu != nil {
		if err := pprof.StartCPUProfile(p.cpu); err != nil {
			p.close()
			return nil, fmt.Errorf("--cpuprofile: %w", err)
		}
	}
	return &p, nil
}

// createProfile creates the file at path for the profile of flag, or
// returns nil if path is "". It returns an error naming flag if the file
// cannot be created or is the program.
func createProfile(flag, path, program string) (*os.File, error) {
	if path == "" {
		return nil, nil
	}
	if isSameFile(path, program) {
		return nil, fmt.Errorf("%s: %s is the program: refusing to write a profile over it", flag, path)
	}
	f, err := os.Create(path)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", flag, err)
	}
	return f, nil
}

// isSameFile reports whether the paths a and b name one existing file.
func isSameFile(a, b string) bool {
	fa, errA := os.Stat(a)
	fb, errB := os.Stat(b)
	return errA == nil && errB == nil && os.SameFile(fa, fb)
}

// stop ends the CPU profile, writes the heap profile and closes both
// files. It returns the errors of writing or closing them, each naming
// its flag (nil if there are none).
func (p *profiler) stop() error {
	var errs []error
	if p.cpu != nil {
		pprof.StopCPUProfile()
		errs = append(errs, flagError("--cpuprofile", p.cpu.Close()))
	}
	if p.mem != nil {
		runtime.GC() // the heap profile shows the heap as of the last GC
		errs = append(errs, flagError("--memprofile", pprof.WriteHeapProfile(p.mem)),
			flagError("--memprofile", p.mem.Close()))
	}
	return errors.Join(errs...)
}

// close closes the profiles' files without writing them.
func (p *profiler) close() {
	for _, f := range []*os.File{p.cpu, p.mem} {
		if f != nil {
			f.Close()
		}
	}
}

// flagError returns err prefixed with the flag it concerns, or nil if err
// is nil.
func flagError(flag string, err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("%s: %w", flag, err)
}
