package isa_test

import (
	"bufio"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"toyvm/isa"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

const goldenPath = "testdata/roundtrip.golden"

// sample returns an operand in mode m for operand position k, with a
// register and extension word that differ by position. Modes 6 and 7
// name no register, and the assembler writes 0 in that nibble.
func sample(m isa.Mode, k int) isa.Operand {
	regs := []isa.Reg{1, isa.FP, isa.SP}
	exts := map[isa.Mode][]uint32{
		isa.ModeDisp: {uint32(0xfffffffc), 0x20, 0x12345678},
		isa.ModeImm:  {5, 0xffffffff, 0x9e3779b1},
		isa.ModeAbs:  {0x2000, 0x7ffffffc, 0x1004},
	}
	o := isa.Operand{Mode: m, Reg: regs[k]}
	if m == isa.ModeImm || m == isa.ModeAbs {
		o.Reg = 0
	}
	if m.HasExt() {
		o.Ext = exts[m][k]
	}
	return o
}

// defaultMode is the first mode a role allows: what the other operands
// use while one operand runs through its modes.
func defaultMode(r isa.Role) isa.Mode {
	for m := isa.Mode(0); m <= isa.ModeAbs; m++ {
		if r.Allows(m) {
			return m
		}
	}
	panic("isa_test.defaultMode: role allows no mode")
}

// everyInst returns, for every opcode, an instruction for every mode
// allowed in each operand position (the others at their default mode),
// and a few displacements for each branch.
func everyInst() []isa.Inst {
	var out []isa.Inst
	for i := range isa.Ops {
		op := &isa.Ops[i]
		if op.IsBranch() {
			for _, d := range []int16{0, -3, 0x7fff, -0x8000} {
				out = append(out, isa.Inst{Op: op, Disp: d})
			}
			continue
		}
		out = append(out, modesOf(op)...)
	}
	return out
}

// modesOf returns op's instructions, one per allowed mode per position.
func modesOf(op *isa.Op) []isa.Inst {
	if len(op.Operands) == 0 {
		return []isa.Inst{{Op: op}}
	}
	var out []isa.Inst
	for k, role := range op.Operands {
		for m := isa.Mode(0); m <= isa.ModeAbs; m++ {
			if !role.Allows(m) || (k > 0 && m == defaultMode(role)) {
				continue
			}
			in := isa.Inst{Op: op}
			for j, r := range op.Operands {
				in.Args[j] = sample(defaultMode(r), j)
			}
			in.Args[k] = sample(m, k)
			out = append(out, in)
		}
	}
	return out
}

// goldenLine is "hex bytes<TAB>text" ("10 01 02<TAB>mov r1, r2"), the text for an instruction at
// isa.TextBase with no names.
func goldenLine(t *testing.T, in *isa.Inst) string {
	b, err := isa.Encode(nil, in)
	require.NoError(t, err, in.Op.Name)
	return fmt.Sprintf("% x\t%s", b, in.Text(isa.TextBase, nil))
}

func TestEveryOpcodeAndModeRoundTripsThroughTheGoldenFile(t *testing.T) {
	var sb strings.Builder
	for _, in := range everyInst() {
		sb.WriteString(goldenLine(t, &in) + "\n")
	}
	if *update {
		require.NoError(t, os.WriteFile(goldenPath, []byte(sb.String()), 0o644))
	}
	want, err := os.ReadFile(goldenPath)
	require.NoError(t, err)
	assert.Equal(t, string(want), sb.String(), "run go test ./isa -update after changing the table")
}

func TestDecodeGivesBackWhatEncodeWrote(t *testing.T) {
	for _, in := range everyInst() {
		b, err := isa.Encode(nil, &in)
		require.NoError(t, err)
		got, n, err := isa.Decode(b)
		require.NoError(t, err, "%x", b)
		assert.Equal(t, uint32(len(b)), n)
		assert.Equal(t, in.Len(), n)
		assert.Equal(t, in, got, "%x", b)
	}
}

func TestGoldenLinesDecodeToTheirText(t *testing.T) {
	for _, l := range readGolden(t) {
		in, n, err := isa.Decode(l.bytes)
		require.NoError(t, err, l.text)
		assert.Equal(t, uint32(len(l.bytes)), n)
		assert.Equal(t, l.text, in.Text(isa.TextBase, nil))
	}
}

type golden struct {
	bytes []byte
	text  string
}

func readGolden(t *testing.T) []golden {
	f, err := os.Open(filepath.FromSlash(goldenPath))
	require.NoError(t, err)
	defer f.Close()
	var out []golden
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		hexText, text, ok := strings.Cut(sc.Text(), "\t")
		require.True(t, ok, sc.Text())
		b, err := hex.DecodeString(strings.ReplaceAll(hexText, " ", ""))
		require.NoError(t, err)
		out = append(out, golden{b, text})
	}
	require.NoError(t, sc.Err())
	require.NotEmpty(t, out)
	return out
}

func TestUnknownOpcodesAreIllegal(t *testing.T) {
	for c := 0; c < 256; c++ {
		if isa.Lookup(isa.Opcode(c)) != nil {
			continue
		}
		_, n, err := isa.Decode([]byte{byte(c), 0, 0, 0, 0, 0, 0})
		assert.ErrorIs(t, err, isa.ErrIllegal, "opcode 0x%02x", c)
		assert.Equal(t, uint32(1), n)
		assert.Equal(t, fmt.Sprintf("op(0x%02x)", c), isa.Opcode(c).String())
	}
}

func TestModesEightToFifteenAreIllegalInEveryOperand(t *testing.T) {
	for i := range isa.Ops {
		op := &isa.Ops[i]
		if op.IsBranch() {
			continue
		}
		for k := range op.Operands {
			for m := 8; m < 16; m++ {
				b := []byte{byte(op.Code)}
				for j := 0; j < k; j++ {
					b = append(b, byte(j+1)) // rN: legal in every role but Target, which is alone
				}
				b = append(b, byte(m<<4|1), 0, 0, 0, 0)
				_, _, err := isa.Decode(b)
				assert.ErrorIs(t, err, isa.ErrIllegal, "%s operand %d mode %d", op.Name, k+1, m)
			}
		}
	}
}

func TestOperandsTheirRoleForbidsAreIllegal(t *testing.T) {
	cases := map[string][]byte{
		"mov r1, #5":        {byte(isa.MOV), 0x01, 0x60, 5, 0, 0, 0},
		"add #1, #2":        {byte(isa.ADD), 0x60, 1, 0, 0, 0, 0x60, 2, 0, 0, 0},
		"clr #0":            {byte(isa.CLR), 0x60, 0, 0, 0, 0},
		"pop #0":            {byte(isa.POP), 0x60, 0, 0, 0, 0},
		"add3 r1, r2, #3":   {byte(isa.ADD3), 0x01, 0x02, 0x60, 3, 0, 0, 0},
		"jmp r1":            {byte(isa.JMP), 0x01},
		"call #0x1000":      {byte(isa.CALL), 0x60, 0, 0x10, 0, 0},
		"movc (r1), r2, r3": {byte(isa.MOVC), 0x11, 0x02, 0x03},
		"movc r1, r2, #3":   {byte(isa.MOVC), 0x01, 0x02, 0x60, 3, 0, 0, 0},
	}
	for name, b := range cases {
		_, _, err := isa.Decode(b)
		assert.ErrorIs(t, err, isa.ErrIllegal, name)
	}
}

func TestEncodeRefusesWhatDecodeRefuses(t *testing.T) {
	mov := isa.Lookup(isa.MOV)
	in := isa.Inst{Op: mov, Args: [3]isa.Operand{{Mode: isa.ModeReg, Reg: 1}, {Mode: isa.ModeImm, Ext: 5}}}
	out, err := isa.Encode([]byte{0xaa}, &in)
	assert.ErrorIs(t, err, isa.ErrIllegal)
	assert.Equal(t, []byte{0xaa}, out)
	_, err = isa.Encode(nil, &isa.Inst{})
	assert.ErrorIs(t, err, isa.ErrIllegal)
}

func TestEveryProperPrefixIsTruncated(t *testing.T) {
	for _, l := range readGolden(t) {
		for n := 0; n < len(l.bytes); n++ {
			_, got, err := isa.Decode(l.bytes[:n])
			assert.ErrorIs(t, err, isa.ErrTruncated, "%s cut to %d bytes", l.text, n)
			assert.LessOrEqual(t, got, uint32(n))
		}
	}
}

func FuzzDecode(f *testing.F) {
	for _, in := range everyInst() {
		b, _ := isa.Encode(nil, &in)
		f.Add(b)
	}
	f.Add([]byte{0xff})
	f.Add([]byte{byte(isa.MOV), 0x85})
	f.Fuzz(func(t *testing.T, b []byte) {
		in, n, err := isa.Decode(b)
		require.LessOrEqual(t, n, uint32(len(b)))
		if err != nil {
			require.True(t, errors.Is(err, isa.ErrIllegal) || errors.Is(err, isa.ErrTruncated), "%v", err)
			return
		}
		require.Equal(t, n, in.Len())
		out, err := isa.Encode(nil, &in)
		require.NoError(t, err)
		require.Equal(t, b[:n], out)
		_ = in.Text(0, nil)
	})
}
