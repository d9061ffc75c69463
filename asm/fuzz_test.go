package asm

import (
	"os"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/stretchr/testify/require"

	"toyvm/image"
)

// seedSources returns the test programs and every line of isa's golden
// file: real programs, each small, for the fuzzers to start from.
func seedSources(f *testing.F) []string {
	var out []string
	for _, name := range []string{"testdata/sample.s", "testdata/errors.s"} {
		b, err := os.ReadFile(name)
		require.NoError(f, err)
		out = append(out, string(b))
	}
	golden, err := os.ReadFile("../isa/testdata/roundtrip.golden")
	require.NoError(f, err)
	for _, l := range strings.Split(string(golden), "\n") {
		if _, src, ok := strings.Cut(l, "\t"); ok {
			out = append(out, src)
		}
	}
	return out
}

// FuzzAssemble assembles main.s, which may include lib/inc.s (which may
// include main.s back, or itself, or a file that is missing), from a file
// system in memory: whatever the two hold, the assembler returns an
// image that marshals and loads, or errors, and never panics.
func FuzzAssemble(f *testing.F) {
	for _, s := range seedSources(f) {
		f.Add(s, "")
	}
	f.Add(".equ a, b\n.equ b, a+a\n.space a\n", "")
	f.Add("x: .ascii \"\\", "")
	f.Add("start: call sub\n.include \"lib/inc.s\"\n.data\nd: .word sub\n", ".equ N, 4\nsub: mov #N, r1\n.data\n.space N\nret\n")
	f.Add(".include \"lib/inc.s\"\nx: nop\n", ".include \"../main.s\"\nx: nop\n")
	f.Add(".include \"lib/inc.s\"\n.include \"lib/inc.s\"\n", ".include \"missing.s\"\n.include \"inc.s\"\nmvo\n")
	f.Fuzz(func(t *testing.T, main, lib string) {
		fsys := fstest.MapFS{"main.s": {Data: []byte(main)}, "lib/inc.s": {Data: []byte(lib)}}
		img, err := AssembleFS(fsys, "main.s")
		if err != nil {
			require.Nil(t, img)
			require.NotEmpty(t, err.Error())
			return
		}
		b, err := img.MarshalBinary()
		require.NoError(t, err)
		_, err = image.Load(b)
		require.NoError(t, err)
		for _, l := range img.Lines {
			require.Contains(t, []string{"main.s", "lib/inc.s"}, l.File)
		}
		_ = Disassemble(img)
	})
}
