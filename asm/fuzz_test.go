package asm

import (
	"os"
	"strings"
	"testing"

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

func FuzzAssemble(f *testing.F) {
	for _, s := range seedSources(f) {
		f.Add(s)
	}
	f.Add(".equ a, b\n.equ b, a+a\n.space a\n")
	f.Add("x: .ascii \"\\")
	f.Fuzz(func(t *testing.T, src string) {
		img, err := Assemble("f.s", []byte(src))
		if err != nil {
			require.Nil(t, img)
			require.NotEmpty(t, err.Error())
			return
		}
		b, err := img.MarshalBinary()
		require.NoError(t, err)
		_, err = image.Load(b)
		require.NoError(t, err)
		_ = Disassemble(img)
	})
}
