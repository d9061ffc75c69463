package kits

import (
	"bytes"
	"errors"
	"fmt"
	"go/ast"
	"go/format"
	"go/parser"
	"go/token"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
)

// Export writes to dst a complete, buildable copy of the tree at src for
// the kit: the kit's regions stubbed or cut, every marker line dropped,
// the files the kit removes left out, the other kits and every kit's
// hidden tests left out, and the kit's public tests put in their
// packages. dst must not exist, or be an empty folder: nothing is ever
// written over. It returns the regions it replaced, or an error (a
// region left open, a file it cannot read or write).
func (k *Kit) Export(src, dst string) ([]Region, error) {
	if err := emptyFolder(dst); err != nil {
		return nil, err
	}
	files, err := treeFiles(src)
	if err != nil {
		return nil, err
	}
	var regions []Region
	for _, f := range files {
		if !k.exports(f) {
			continue
		}
		rs, err := k.exportFile(src, dst, f)
		if err != nil {
			return nil, err
		}
		regions = append(regions, rs...)
	}
	return regions, k.writePublicTests(dst)
}

// emptyFolder makes dst, which must not exist or be an empty folder.
func emptyFolder(dst string) error {
	entries, err := os.ReadDir(dst)
	switch {
	case errors.Is(err, os.ErrNotExist):
		return os.MkdirAll(dst, 0o755)
	case err != nil:
		return err
	case len(entries) > 0:
		return fmt.Errorf("%s is not empty: a kit is exported into a new folder", dst)
	}
	return nil
}

// treeFiles returns the files of the tree at src, relative to it, with
// slashes: those git tracks or would (untracked, not ignored) when src
// is a git checkout, else every file but those under .git.
func treeFiles(src string) ([]string, error) {
	cmd := exec.Command("git", "ls-files", "--cached", "--others", "--exclude-standard", "-z")
	cmd.Dir = src
	if out, err := cmd.Output(); err == nil {
		var files []string
		for _, f := range strings.Split(strings.TrimRight(string(out), "\x00"), "\x00") {
			if _, err := os.Stat(filepath.Join(src, f)); err == nil && f != "" {
				files = append(files, f) // tracked files deleted in the work tree are not copied
			}
		}
		return files, nil
	}
	return walkFiles(src)
}

// walkFiles returns every regular file under src but those under .git.
func walkFiles(src string) ([]string, error) {
	var files []string
	err := filepath.WalkDir(src, func(p string, d os.DirEntry, err error) error {
		switch {
		case err != nil:
			return err
		case d.IsDir() && d.Name() == ".git":
			return filepath.SkipDir
		case d.Type().IsRegular():
			rel, err := filepath.Rel(src, p)
			files = append(files, filepath.ToSlash(rel))
			return err
		}
		return nil
	})
	return files, err
}

// exports reports whether file goes into the kit's tree: not another
// kit's, not a hidden test, not a file the kit removes.
func (k *Kit) exports(file string) bool {
	if rest, ok := strings.CutPrefix(file, "kits/"); ok && strings.Contains(rest, "/") {
		kit, inside, _ := strings.Cut(rest, "/")
		if kit != k.Name || strings.HasPrefix(inside, "testdata/hidden/") {
			return false
		}
	}
	return !slices.Contains(k.Remove, file)
}

// exportFile copies one file from src to dst, with the kit's regions
// replaced, and returns them.
func (k *Kit) exportFile(src, dst, file string) ([]Region, error) {
	from := filepath.Join(src, filepath.FromSlash(file))
	info, err := os.Stat(from)
	if err != nil {
		return nil, err
	}
	b, err := os.ReadFile(from)
	if err != nil {
		return nil, err
	}
	var regions []Region
	if marked(file) {
		if b, regions, err = k.replaceRegions(file, b); err != nil {
			return nil, err
		}
	}
	to := filepath.Join(dst, filepath.FromSlash(file))
	if err := os.MkdirAll(filepath.Dir(to), 0o755); err != nil {
		return nil, err
	}
	return regions, os.WriteFile(to, b, info.Mode().Perm())
}

// marked reports whether a file may hold markers: Go and assembly.
func marked(file string) bool {
	switch path.Ext(file) {
	case ".go", ".s", ".inc":
		return true
	}
	return false
}

// replaceRegions strips the kit's regions from a file and, for Go code
// that lost a region, drops the imports nothing uses any more.
func (k *Kit) replaceRegions(file string, b []byte) ([]byte, []Region, error) {
	if !bytes.Contains(b, []byte(" kit:")) {
		return b, nil, nil
	}
	out, regions, err := strip(file, string(b), k.Name)
	if err != nil || len(regions) == 0 || path.Ext(file) != ".go" {
		return []byte(out), regions, err
	}
	pruned, err := pruneImports(file, out)
	return pruned, regions, err
}

// pruneImports drops the imports of Go source src that nothing in it
// uses (a stub may have replaced their last use), and formats it.
func pruneImports(file, src string) ([]byte, error) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, file, src, parser.ParseComments)
	if err != nil {
		return nil, fmt.Errorf("the export of %s does not parse: %w", file, err)
	}
	used := usedNames(f)
	for _, spec := range slices.Clone(f.Imports) {
		if name := importName(spec); name != "_" && name != "." && !used[name] {
			p, _ := strconv.Unquote(spec.Path.Value)
			deleteImport(f, p)
		}
	}
	var out bytes.Buffer
	err = format.Node(&out, fset, f)
	return out.Bytes(), err
}

// usedNames returns the names used as the X of a selector x.Y.
func usedNames(f *ast.File) map[string]bool {
	used := map[string]bool{}
	ast.Inspect(f, func(n ast.Node) bool {
		if sel, ok := n.(*ast.SelectorExpr); ok {
			if id, ok := sel.X.(*ast.Ident); ok {
				used[id.Name] = true
			}
		}
		return true
	})
	return used
}

// importName returns the name an import is known by in the file: its
// own name, or its path's last element (the one before a /vN).
func importName(spec *ast.ImportSpec) string {
	if spec.Name != nil {
		return spec.Name.Name
	}
	p, _ := strconv.Unquote(spec.Path.Value)
	parts := strings.Split(p, "/")
	last := parts[len(parts)-1]
	if len(parts) > 1 && len(last) > 1 && last[0] == 'v' && strings.Trim(last[1:], "0123456789") == "" {
		last = parts[len(parts)-2]
	}
	return last
}

// deleteImport removes the import of path p from f.
func deleteImport(f *ast.File, p string) {
	for _, decl := range f.Decls {
		gen, ok := decl.(*ast.GenDecl)
		if !ok || gen.Tok != token.IMPORT {
			continue
		}
		gen.Specs = slices.DeleteFunc(gen.Specs, func(s ast.Spec) bool {
			return s.(*ast.ImportSpec).Path.Value == strconv.Quote(p)
		})
	}
	f.Imports = slices.DeleteFunc(f.Imports, func(s *ast.ImportSpec) bool { return s.Path.Value == strconv.Quote(p) })
}

// writePublicTests puts the kit's public tests in their packages in dst.
func (k *Kit) writePublicTests(dst string) error {
	for file, b := range k.PublicTests() {
		to := filepath.Join(dst, filepath.FromSlash(file))
		if err := os.MkdirAll(filepath.Dir(to), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(to, b, 0o644); err != nil {
			return err
		}
	}
	return nil
}

// Regions returns the kit's regions in the tree at src, without
// exporting it.
func (k *Kit) Regions(src string) ([]Region, error) {
	files, err := treeFiles(src)
	if err != nil {
		return nil, err
	}
	var regions []Region
	for _, f := range files {
		if !marked(f) {
			continue
		}
		b, err := os.ReadFile(filepath.Join(src, filepath.FromSlash(f)))
		if err != nil {
			return nil, err
		}
		if _, rs, err := k.replaceRegions(f, b); err != nil {
			return nil, err
		} else {
			regions = append(regions, rs...)
		}
	}
	return regions, nil
}
