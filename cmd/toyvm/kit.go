package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"toyvm/grade"
	"toyvm/kits"
)

// KitCmd is `toyvm kit`: the course kits, and a student's tree for one.
type KitCmd struct {
	List   KitListCmd   `cmd:"" help:"List the kits: each assignment and its points."`
	Show   KitShowCmd   `cmd:"" help:"Show a kit: its tests and points, and the regions of the tree it removes."`
	Export KitExportCmd `cmd:"" help:"Write a student's tree for a kit: the reference regions replaced by stubs, the hidden tests left out."`
}

// KitListCmd is `toyvm kit list`.
type KitListCmd struct{}

// Run prints each kit's name, title and points.
func (c *KitListCmd) Run(e env) error {
	for _, name := range kits.Names() {
		k, err := kits.Load(name)
		if err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "%-10s %s (%d points, %d of them hidden)\n", k.Name, k.Title, k.Points(true), k.Points(true)-k.Points(false))
	}
	return nil
}

// KitShowCmd is `toyvm kit show NAME`.
type KitShowCmd struct {
	Name string `arg:"" help:"The kit."`
	Src  string `type:"existingdir" placeholder:"DIR" help:"The reference tree (default: the toyvm tree that holds the current folder)."`
}

// Run prints the kit's tests with their points, and its regions.
func (c *KitShowCmd) Run(e env) error {
	k, src, err := kitAndTree(c.Name, c.Src)
	if err != nil {
		return err
	}
	regions, err := k.Regions(src)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "%s: %s\ntests:\n", k.Name, k.Title)
	for _, t := range k.Tests {
		hidden := ""
		if t.Hidden {
			hidden = " (hidden)"
		}
		fmt.Fprintf(e.stdout, "  %3d  %s %s%s\n", t.Points, t.Package, t.Name, hidden)
	}
	fmt.Fprintln(e.stdout, "regions the export replaces:")
	for _, r := range regions {
		fmt.Fprintf(e.stdout, "  %s\n", r)
	}
	for _, f := range k.Remove {
		fmt.Fprintf(e.stdout, "  %s (left out)\n", f)
	}
	return nil
}

// KitExportCmd is `toyvm kit export NAME DIR`.
type KitExportCmd struct {
	Name string `arg:"" help:"The kit."`
	Dir  string `arg:"" help:"The new folder to write the student's tree to: it must not exist, or be empty."`
	Src  string `type:"existingdir" placeholder:"DIR" help:"The reference tree (default: the toyvm tree that holds the current folder)."`
}

// Run writes the student's tree and says what it replaced.
func (c *KitExportCmd) Run(e env) error {
	k, src, err := kitAndTree(c.Name, c.Src)
	if err != nil {
		return err
	}
	if abs, _ := filepath.Abs(c.Dir); strings.HasPrefix(abs+string(filepath.Separator), src+string(filepath.Separator)) {
		return fmt.Errorf("%s is inside the reference tree %s: export the kit elsewhere", c.Dir, src)
	}
	regions, err := k.Export(src, c.Dir)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "%s: the %s kit, %d regions to write (kits/%s/README.md says what to do)\n", c.Dir, k.Name, len(regions), k.Name)
	return nil
}

// sourceTree returns the reference tree: dir if given, else the toyvm
// tree that holds the current folder (the folder with toyvm's go.mod).
func sourceTree(dir string) (string, error) {
	if dir != "" {
		return filepath.Abs(dir)
	}
	wd, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for d := wd; ; d = filepath.Dir(d) {
		if b, err := os.ReadFile(filepath.Join(d, "go.mod")); err == nil && strings.HasPrefix(string(b), "module toyvm\n") {
			return d, nil
		}
		if filepath.Dir(d) == d {
			return "", errors.New("the current folder is not in a toyvm tree: give it with --src DIR")
		}
	}
}

// GradeCmd is `toyvm grade NAME [DIR]`.
type GradeCmd struct {
	Name   string `arg:"" help:"The kit."`
	Dir    string `arg:"" optional:"" type:"existingdir" help:"The student's tree (default: the current folder)."`
	Hidden string `type:"existingdir" placeholder:"DIR" help:"The kit's hidden tests, laid out as the tree is (the reference tree's kits/NAME/testdata/hidden)."`
	JSON   string `name:"json" placeholder:"FILE" help:"Write the results as Gradescope's results.json to FILE."`
}

// Run grades the tree, prints the table and writes results.json if
// asked. It exits 0 whatever the score: an error of use (no such kit,
// no tree) exits 2.
func (c *GradeCmd) Run(e env) error {
	k, err := kits.Load(c.Name)
	if err != nil {
		return err
	}
	if c.Dir == "" {
		c.Dir = "."
	}
	rep, err := grade.Run(grade.Options{Kit: k, Tree: c.Dir, Hidden: c.Hidden})
	if err != nil {
		return err
	}
	if err := rep.WriteTable(e.stdout); err != nil {
		return err
	}
	if c.JSON == "" {
		return nil
	}
	return writeAtomically(c.JSON, func(w io.Writer) error { return rep.WriteGradescope(w, true) })
}

// kitAndTree returns the kit called name and the reference tree (src, or
// the toyvm tree that holds the current folder), or the error of either.
func kitAndTree(name, src string) (*kits.Kit, string, error) {
	k, err := kits.Load(name)
	if err != nil {
		return nil, "", err
	}
	tree, err := sourceTree(src)
	return k, tree, err
}
