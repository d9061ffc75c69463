package grade

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"toyvm/kits"
)

// Options says what to grade: the kit, the student's tree, the folder of
// hidden tests ("" for none: the public tests alone), and the time each
// test may take (0: the kit's).
type Options struct {
	Kit     *kits.Kit
	Tree    string
	Hidden  string
	Timeout time.Duration
}

// Result is the outcome of one graded test.
type Result struct {
	Test    kits.Test
	Passed  bool
	Why     string // the first line that says why it failed ("" if it passed)
	Output  string // what it printed
	Elapsed time.Duration
}

// Score returns the points the test earned.
func (r Result) Score() int {
	if r.Passed {
		return r.Test.Points
	}
	return 0
}

// Report is a graded tree: each test's result, in the kit's order.
type Report struct {
	Kit     string
	Results []Result
	Elapsed time.Duration
}

// Run grades the tree: it copies it to a work folder, puts the kit's
// public tests (and the hidden ones, if given) over it, compiles the
// tests of each package once and runs each graded test alone, within
// the kit's time limit. A tree that does not build, a test that does not
// compile, panics or runs out of time fails that test, with the reason;
// Run returns an error only when it cannot grade at all (no tree, no Go
// toolchain, a work folder it cannot write).
func Run(opts Options) (*Report, error) {
	start := time.Now()
	limit, err := opts.Kit.TimeLimit()
	if err != nil {
		return nil, err
	}
	if opts.Timeout > 0 {
		limit = opts.Timeout
	}
	if _, err := exec.LookPath("go"); err != nil {
		return nil, errors.New("the go command is needed to build the tree: none is on the PATH")
	}
	work, err := os.MkdirTemp("", "toyvm-grade-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(work)
	if err := prepare(opts, work); err != nil {
		return nil, err
	}
	g := &grader{work: work, limit: limit, binaries: map[string]compiled{}}
	rep := &Report{Kit: opts.Kit.Name}
	for _, t := range opts.Kit.Tests {
		if t.Hidden && opts.Hidden == "" {
			continue
		}
		rep.Results = append(rep.Results, g.run(t))
	}
	rep.Elapsed = time.Since(start)
	return rep, nil
}

// prepare copies the tree to work and puts the kit's tests over it.
func prepare(opts Options, work string) error {
	if info, err := os.Stat(filepath.Join(opts.Tree, "go.mod")); err != nil || info.IsDir() {
		return fmt.Errorf("%s is not a toyvm tree: it has no go.mod", opts.Tree)
	}
	if err := copyTree(opts.Tree, work); err != nil {
		return err
	}
	for file, b := range opts.Kit.PublicTests() {
		if err := writeFile(filepath.Join(work, filepath.FromSlash(file)), b); err != nil {
			return err
		}
	}
	if opts.Hidden == "" {
		return nil
	}
	return copyTree(opts.Hidden, work)
}

// copyTree copies every regular file under src (but .git) to the same
// place under dst.
func copyTree(src, dst string) error {
	return filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		switch {
		case err != nil:
			return err
		case d.IsDir() && d.Name() == ".git":
			return filepath.SkipDir
		case !d.Type().IsRegular():
			return nil
		}
		rel, err := filepath.Rel(src, p)
		if err != nil {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return writeFile(filepath.Join(dst, rel), b)
	})
}

// writeFile writes b to path, making its folder.
func writeFile(path string, b []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	return os.WriteFile(path, b, 0o644)
}

// grader runs the tests of one work tree.
type grader struct {
	work     string
	limit    time.Duration
	binaries map[string]compiled // by package
}

// compiled is a package's test binary, or why it could not be built.
type compiled struct {
	path, why, output string
}

// run runs one test alone and returns its result.
func (g *grader) run(t kits.Test) Result {
	start := time.Now()
	bin := g.compile(t.Package)
	if bin.why != "" {
		return Result{Test: t, Why: bin.why, Output: bin.output, Elapsed: time.Since(start)}
	}
	ctx, cancel := context.WithTimeout(context.Background(), g.limit)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin.path, "-test.run", "^"+t.Name+"$", "-test.count", "1", "-test.v")
	cmd.Dir = filepath.Join(g.work, filepath.FromSlash(t.Package))
	cmd.WaitDelay = time.Second
	out, err := cmd.CombinedOutput()
	r := Result{Test: t, Output: string(out), Elapsed: time.Since(start)}
	switch {
	case ctx.Err() != nil:
		r.Why = fmt.Sprintf("out of time: still running after %s (an endless loop?)", g.limit)
	case err == nil && strings.Contains(r.Output, "--- PASS: "+t.Name):
		r.Passed = true
	case err == nil:
		r.Why = "the test is not in the tree: " + t.Name + " did not run"
	default:
		r.Why = firstFailure(r.Output)
	}
	return r
}

// compile builds the test binary of pkg once, and returns it or why it
// could not be built.
func (g *grader) compile(pkg string) compiled {
	if c, ok := g.binaries[pkg]; ok {
		return c
	}
	path := filepath.Join(g.work, ".grade", strings.NewReplacer("/", "_", ".", "_").Replace(pkg)+".test")
	cmd := exec.Command("go", "test", "-c", "-trimpath", "-o", path, pkg)
	cmd.Dir = g.work
	out, err := cmd.CombinedOutput()
	c := compiled{path: path}
	if err != nil {
		c.why, c.output = "does not build: "+firstBuildError(string(out)), string(out)
	}
	g.binaries[pkg] = c
	return c
}
