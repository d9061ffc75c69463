package kits_test

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"toyvm/grade"
	"toyvm/kits"
)

// reference is the reference tree: the repository these tests run in.
const reference = "../"

func TestEveryKitExportsATreeThatBuildsAndFailsItsTestsWhichPassOnTheReference(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a tree for every kit")
	}
	for _, name := range kits.Names() {
		t.Run(name, func(t *testing.T) {
			k, err := kits.Load(name)
			require.NoError(t, err)
			dir := filepath.Join(t.TempDir(), "student")
			regions, err := k.Export(reference, dir)
			require.NoError(t, err)
			require.NotEmpty(t, regions, "a kit removes something")
			build := exec.Command("go", "build", "-trimpath", "./...")
			build.Dir = dir
			out, err := build.CombinedOutput()
			require.NoError(t, err, "the exported tree builds:\n%s", out)
			_, err = os.Stat(filepath.Join(dir, "kits", name, "testdata", "hidden"))
			assert.True(t, os.IsNotExist(err), "the hidden tests are not in the student's tree")

			stub, err := grade.Run(grade.Options{Kit: k, Tree: dir})
			require.NoError(t, err)
			for _, r := range stub.Results {
				assert.False(t, r.Passed, "%s passes on the stubs", r.Test.Name)
				assert.NotEmpty(t, r.Why, r.Test.Name)
			}
			ref, err := grade.Run(grade.Options{Kit: k, Tree: reference,
				Hidden: filepath.Join(reference, "kits", name, "testdata", "hidden")})
			require.NoError(t, err)
			require.Len(t, ref.Results, len(k.Tests))
			for _, r := range ref.Results {
				assert.True(t, r.Passed, "%s fails on the reference: %s\n%s", r.Test.Name, r.Why, r.Output)
			}
		})
	}
}

func TestEveryKitsManifestNamesTestsThatExist(t *testing.T) {
	for _, name := range kits.Names() {
		k, err := kits.Load(name)
		require.NoError(t, err)
		public := k.PublicTests()
		require.NotEmpty(t, public, name)
		assert.Positive(t, k.Points(false), name)
		assert.Contains(t, k.README(), "## How it is graded", name)
		for _, test := range k.Tests {
			found := false
			for file, b := range public {
				found = found || (!test.Hidden && filepath.Dir(file) == test.Package[2:] && containsFunc(b, test.Name))
			}
			if test.Hidden {
				found = hiddenHas(t, name, test)
			}
			assert.True(t, found, "%s: %s is in no test file of %s", name, test.Name, test.Package)
		}
	}
}

// containsFunc reports whether Go source b declares the test name.
func containsFunc(b []byte, name string) bool {
	return bytes.Contains(b, []byte("func "+name+"(t *testing.T)"))
}

// hiddenHas reports whether the kit's hidden tests declare test.
func hiddenHas(t *testing.T, kit string, test kits.Test) bool {
	dir := filepath.Join(reference, "kits", kit, "testdata", "hidden", filepath.FromSlash(test.Package[2:]))
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		require.NoError(t, err)
		if containsFunc(b, test.Name) {
			return true
		}
	}
	return false
}
