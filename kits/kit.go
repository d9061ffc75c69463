package kits

import (
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"
	"time"
)

// files holds every kit's manifest, assignment text and public tests, as
// the reference tree has them: the grader trusts these copies, not a
// student's.
//
//go:embed */kit.json */README.md */testdata/public
var files embed.FS

// Kit is one assignment: what kits/NAME/kit.json says.
type Kit struct {
	Name  string `json:"name"`
	Title string `json:"title"`
	// Timeout bounds each graded test (a Go duration, "60s"): a
	// student's infinite loop costs one test, not the run.
	Timeout string `json:"timeout"`
	// Remove lists files of the reference tree the kit leaves out of the
	// student's tree altogether (a sample program the student writes).
	Remove []string `json:"remove,omitempty"`
	Tests  []Test   `json:"tests"`
}

// Test is one graded test: the package it is in, its name, its points,
// and whether it is hidden (kept in kits/NAME/testdata/hidden, out of
// the student's tree; the grader runs it when given those tests).
type Test struct {
	Package string `json:"package"`
	Name    string `json:"name"`
	Points  int    `json:"points"`
	Hidden  bool   `json:"hidden,omitempty"`
}

// Names returns the names of the kits, in order.
func Names() []string {
	entries, err := fs.ReadDir(files, ".")
	if err != nil {
		panic("kits.Names: " + err.Error())
	}
	var names []string
	for _, e := range entries {
		if e.IsDir() {
			names = append(names, e.Name())
		}
	}
	return names
}

// Load returns the kit called name, or an error naming the kits there
// are, or what is wrong with its manifest.
func Load(name string) (*Kit, error) {
	if !slices.Contains(Names(), name) {
		return nil, fmt.Errorf("no kit %q (kits: %s)", name, strings.Join(Names(), ", "))
	}
	b, err := files.ReadFile(name + "/kit.json")
	if err != nil {
		return nil, err
	}
	var k Kit
	if err := json.Unmarshal(b, &k); err != nil {
		return nil, fmt.Errorf("kits/%s/kit.json: %w", name, err)
	}
	return &k, k.check(name)
}

// check reports what is wrong with a manifest.
func (k *Kit) check(name string) error {
	if _, err := k.TimeLimit(); err != nil {
		return err
	}
	switch {
	case k.Name != name:
		return fmt.Errorf("kits/%s/kit.json names the kit %q", name, k.Name)
	case len(k.Tests) == 0:
		return fmt.Errorf("kits/%s/kit.json lists no test", name)
	}
	for _, t := range k.Tests {
		if t.Points <= 0 || !strings.HasPrefix(t.Package, "./") || !strings.HasPrefix(t.Name, "Test") {
			return fmt.Errorf("kits/%s/kit.json: bad test %+v", name, t)
		}
	}
	return nil
}

// TimeLimit returns the time each test may take.
func (k *Kit) TimeLimit() (time.Duration, error) {
	d, err := time.ParseDuration(k.Timeout)
	if err != nil || d <= 0 {
		return 0, fmt.Errorf("kits/%s/kit.json: bad timeout %q", k.Name, k.Timeout)
	}
	return d, nil
}

// Points returns the points of the kit's tests: all, or the public ones.
func (k *Kit) Points(hidden bool) int {
	n := 0
	for _, t := range k.Tests {
		if hidden || !t.Hidden {
			n += t.Points
		}
	}
	return n
}

// README returns the kit's assignment text.
func (k *Kit) README() string {
	b, err := files.ReadFile(k.Name + "/README.md")
	if err != nil {
		panic("kits.README: " + err.Error())
	}
	return string(b)
}

// PublicTests returns the kit's public test files: their paths in the
// tree (the package's folder and the file's name) and their contents.
func (k *Kit) PublicTests() map[string][]byte {
	root := path.Join(k.Name, "testdata", "public")
	out := map[string][]byte{}
	err := fs.WalkDir(files, root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := files.ReadFile(p)
		out[strings.TrimPrefix(p, root+"/")] = b
		return err
	})
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		panic("kits.PublicTests: " + err.Error())
	}
	return out
}
