package asm

import (
	"fmt"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"toyvm/image"
	"toyvm/isa"
)

func TestEveryOperandModeAssemblesToItsSpecifier(t *testing.T) {
	cases := []struct {
		src  string
		want []byte
	}{
		{"mov r1, r2", []byte{0x10, 0x01, 0x02}},
		{"mov (r3), sp", []byte{0x10, 0x13, 0x0f}},
		{"mov (r4)+, fp", []byte{0x10, 0x24, 0x0e}},
		{"mov -(sp), r0", []byte{0x10, 0x3f, 0x00}},
		{"mov @(r5)+, r15", []byte{0x10, 0x45, 0x0f}},
		{"mov -4(fp), r1", []byte{0x10, 0x5e, 0xfc, 0xff, 0xff, 0xff, 0x01}},
		{"mov 0x10(r2), r1", []byte{0x10, 0x52, 0x10, 0, 0, 0, 0x01}},
		{"mov #5, r1", []byte{0x10, 0x60, 5, 0, 0, 0, 0x01}},
		{"mov #-1, r1", []byte{0x10, 0x60, 0xff, 0xff, 0xff, 0xff, 0x01}},
		{"mov @0x2000, r1", []byte{0x10, 0x70, 0, 0x20, 0, 0, 0x01}},
		{"MOV R1, SP", []byte{0x10, 0x01, 0x0f}},
		{"movb #'A', (r1)", []byte{0x11, 0x60, 'A', 0, 0, 0, 0x11}},
		{"add3 r1, #2, 8(r3)", []byte{0x20, 0x01, 0x60, 2, 0, 0, 0, 0x53, 8, 0, 0, 0}},
		{"movc r1, r2, r3", []byte{0x24, 0x01, 0x02, 0x03}},
		{"jmp (r1)", []byte{0x38, 0x11}},
		{"call @0x1000", []byte{0x39, 0x70, 0, 0x10, 0, 0}},
		{"push #0x9E3779B1", []byte{0x36, 0x60, 0xb1, 0x79, 0x37, 0x9e}},
		{"pop r7", []byte{0x37, 0x07}},
		{"halt", []byte{0x00}},
		{"sys", []byte{0x02}},
		{"ret", []byte{0x03}},
		{"br 0x1000", []byte{0x40, 0xfd, 0xff}},
		{"beq 0x1003", []byte{0x41, 0, 0}},
	}
	for _, c := range cases {
		assert.Equal(t, c.want, text(mustAssemble(t, c.src)), c.src)
	}
}

func TestLabelsResolveAsAbsoluteDisplacementImmediateAndBranch(t *testing.T) {
	img := mustAssemble(t, `
start:	mov msg, r1        ; absolute
	mov #msg+4, r2      ; immediate with arithmetic
	mov msg-0x2000(r3), r4
loop:	br loop
	bne start
	.data
msg:	.word 7
`)
	assert.Equal(t, []byte{
		0x10, 0x70, 0x00, 0x20, 0, 0, 0x01,
		0x10, 0x60, 0x04, 0x20, 0, 0, 0x02,
		0x10, 0x53, 0, 0, 0, 0, 0x04,
		0x40, 0xfd, 0xff,
		0x42, 0xe5, 0xff,
	}, text(img))
	assert.Equal(t, uint32(0x2000), img.Segments[1].Addr)
}

func TestDirectivesEmitExactBytes(t *testing.T) {
	img := mustAssemble(t, `
	.equ N, 3
	.equ M, N+2
	.data
a:	.word 0x9E3779B1, -1, a, N, M
	.byte 1, -1, 255, 'z', '\n', '\t', '\0', '\\', '\'', 0b101
	.ascii "hi\"\n"
	.asciz "xy"
	.align 4
	.space 3
	.byte 0x7f
	.space 8
`)
	data := img.Segments[1]
	assert.Equal(t, []byte{
		0xb1, 0x79, 0x37, 0x9e, 0xff, 0xff, 0xff, 0xff, 0x00, 0x20, 0, 0, 3, 0, 0, 0, 5, 0, 0, 0,
		1, 0xff, 0xff, 'z', '\n', '\t', 0, '\\', '\'', 5,
		'h', 'i', '"', '\n', 'x', 'y', 0,
		0, 0, 0, // .align 4 from offset 37
		0, 0, 0, 0x7f,
	}, data.Data)
	assert.Equal(t, uint32(len(data.Data)+8), data.Size, "the trailing .space is not stored")
	assert.Equal(t, image.PermR|image.PermW, data.Perm)
}

func TestNumbersAreKeptModulo32Bits(t *testing.T) {
	img := mustAssemble(t, ".word 4294967295, -2147483648, -4294967295, 0xFFFFFFFF+1, 0b11")
	assert.Equal(t, []byte{0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0x80, 1, 0, 0, 0, 0, 0, 0, 0, 3, 0, 0, 0}, text(img))
}

func TestLabelsAreCaseSensitiveAndEverythingElseIsNot(t *testing.T) {
	img := mustAssemble(t, "Loop: .TEXT\nloop: NOP\n\tBR Loop\n")
	assert.Equal(t, []byte{0x01, 0x40, 0xfc, 0xff}, text(img))
	assert.Contains(t, assembleErrors(t, "x: br X"), `t.s:1:7: undefined label "X"`)
}

func TestNamesMayContainDotsAndUnderscores(t *testing.T) {
	img := mustAssemble(t, ".L1_a.b: nop\n_x.y: br .L1_a.b\n")
	assert.Equal(t, []image.Symbol{{Name: ".L1_a.b", Value: 0x1000, Kind: image.SymLabel}, {Name: "_x.y", Value: 0x1001, Kind: image.SymLabel}}, img.Symbols)
}

func TestAByteOrderMarkAndCRLFLineEndsAreIgnored(t *testing.T) {
	img := mustAssemble(t, "\ufeffstart: nop\r\n\tbr start\r\n")
	assert.Equal(t, []byte{0x01, 0x40, 0xfc, 0xff}, text(img))
	assert.Contains(t, assembleErrors(t, "\ufeffmov r1"), "t.s:1:1: mov takes 2 operands")
}

func TestOnlyR0ToR15SpAndFpAreReservedNames(t *testing.T) {
	img := mustAssemble(t, "r16: nop\nR01: nop\n.equ r99, 8\nmov #r99, r16\nmov r15, R01\n")
	assert.Equal(t, []image.Symbol{{Name: "r16", Value: 0x1000, Kind: image.SymLabel}, {Name: "R01", Value: 0x1001, Kind: image.SymLabel}, {Name: "r99", Value: 8, Kind: image.SymEqu}}, img.Symbols)
	assert.Equal(t, []byte{0x01, 0x01, 0x10, 0x60, 8, 0, 0, 0, 0x70, 0x00, 0x10, 0, 0,
		0x10, 0x0f, 0x70, 0x01, 0x10, 0, 0}, text(img))
	assert.Contains(t, assembleErrors(t, "sp: nop"), `t.s:1:1: label "sp" is a register name`)
	assert.Contains(t, assembleErrors(t, "mov r16, r1"),
		`t.s:1:5: undefined label "r16" (the registers are r0-r15, sp and fp)`)
}

func TestEntryIsTheLabelStartElseTheStartOfText(t *testing.T) {
	assert.Equal(t, uint32(0x1001), mustAssemble(t, "nop\nstart: nop").Entry)
	assert.Equal(t, uint32(isa.TextBase), mustAssemble(t, "nop\nother: nop").Entry)
	assert.Contains(t, assembleErrors(t, ".data\nstart: .word 1"), "t.s:2:1: start must be a label in .text")
}

func TestDataStartsAtTheNextPageBoundaryAfterText(t *testing.T) {
	img := mustAssemble(t, ".space 4096\n.data\nd: .word 1")
	assert.Equal(t, uint32(0x2000), img.Segments[1].Addr)
	img = mustAssemble(t, ".space 4097\n.data\nd: .word 1")
	assert.Equal(t, uint32(0x3000), img.Segments[1].Addr)
	img = mustAssemble(t, ".data\nd: .word 1")
	assert.Equal(t, uint32(0x2000), img.Segments[1].Addr, "an empty text still has its page")
	assert.Equal(t, uint32(0), img.Segments[0].Size)
}

func TestBranchesReachExactlyTheSigned16BitRange(t *testing.T) {
	mustAssemble(t, "br far\n.space 32767\nfar: nop")
	mustAssemble(t, "back: .space 32765\nbr back")
	msg := assembleErrors(t, "br far\n.space 32768\nfar: nop")
	assert.Equal(t, "t.s:1:4: branch target far (0x9003) is out of range: 32768 bytes away, a branch reaches -32768..32767", msg)
	msg = assembleErrors(t, "back: .space 32766\nbr back")
	assert.Contains(t, msg, "t.s:2:4: branch target back (0x1000) is out of range: -32769 bytes away")
}

func TestEquMayUseLabelsAndLaterEqus(t *testing.T) {
	img := mustAssemble(t, ".equ A, B+1\n.equ B, here\nhere: .word A\n")
	assert.Equal(t, []byte{0x01, 0x10, 0, 0}, text(img))
	assert.Contains(t, assembleErrors(t, ".equ A, B\n.equ B, A\n.word A"), "depends on itself")
}

func TestSpaceAndAlignNeedConstants(t *testing.T) {
	mustAssemble(t, ".equ N, 4\n.equ M, N+N-4\n.space N")
	msg := assembleErrors(t, "x: .space x\n.align later\n.equ later, 4")
	assert.Equal(t, "t.s:1:11: the size of .space must be a constant: a number, or an .equ of numbers defined above\n"+
		"t.s:2:8: the alignment of .align must be a constant: a number, or an .equ of numbers defined above", msg)
	assert.Contains(t, assembleErrors(t, ".align 3"), "power of two")
}

func TestLineTableMapsEachInstructionAndDatumToItsSource(t *testing.T) {
	img := mustAssemble(t, "start:\tmov r1, r2\n  nop ; hi\n.data\n  .word 1\n")
	assert.Equal(t, []image.Line{
		{Addr: 0x1000, File: "t.s", Line: 1, Col: 8}, {Addr: 0x1003, File: "t.s", Line: 2, Col: 3}, {Addr: 0x2000, File: "t.s", Line: 4, Col: 3},
	}, img.Lines)
	l, ok := img.LineAt(0x1003)
	require.True(t, ok)
	assert.Equal(t, 2, l.Line)
}

func TestOneBadLineDoesNotStopTheOthers(t *testing.T) {
	msg := assembleErrors(t, "loop: mov r1,, r2\nbr loop\nmov 5, r1\n")
	assert.Equal(t, "t.s:1:14: two commas in a row: an operand is missing between them\n"+
		"t.s:3:5: bare number 5: write #5 for the value or @5 for the address", msg)
}

func TestASpaceLargerThanASectionIsAnError(t *testing.T) {
	assert.Contains(t, assembleErrors(t, ".space 0x20000000"), "t.s:1:8: .space 536870912 is larger than a section may be (256 MiB)")
}

func TestALineThatEndsTooSoonSaysSo(t *testing.T) {
	assert.Contains(t, assembleErrors(t, ".word 1,"), "t.s:1:9: a value is missing after the last comma")
	assert.Contains(t, assembleErrors(t, "mov #1, -(r1"), "t.s:1:13: missing ) after r1")
}

// equChain returns a source of n+1 .equ names, a0 = 0 and each a<i> =
// a<i-1> + 1, written from a0 up (forward) or from a<n> down, then a
// .word a<n>; with cycle, a0 is a<n> + 1 instead, and every name depends
// on itself.
func equChain(n int, forward, cycle bool) []byte {
	b := make([]byte, 0, 30*(n+2))
	for k := range n + 1 {
		i := k
		if !forward {
			i = n - k
		}
		switch {
		case i > 0:
			b = equLine(b, i, "a", i-1, "+1")
		case cycle:
			b = equLine(b, 0, "a", n, "+1")
		default:
			b = append(b, ".equ a0, 0\n"...)
		}
	}
	return fmt.Appendf(b, ".word a%d\n", n)
}

// equLine appends ".equ a<i>, <name><j><tail>" and a newline to b.
func equLine(b []byte, i int, name string, j int, tail string) []byte {
	b = strconv.AppendInt(append(b, ".equ a"...), int64(i), 10)
	b = strconv.AppendInt(append(append(b, ", "...), name...), int64(j), 10)
	return append(append(b, tail...), '\n')
}

// TestAMillionDeepEquChainIsWorkedOutWithoutRecursion assembles a
// chain of .equ names written from the last down, so that working out
// the last needs every other first: a million deep, on an explicit stack.
func TestAMillionDeepEquChainIsWorkedOutWithoutRecursion(t *testing.T) {
	const n = 1_000_000
	img, err := Assemble("chain.s", equChain(n, false, false))
	require.NoError(t, err)
	assert.Equal(t, []byte{0x40, 0x42, 0x0f, 0}, text(img), "a%d = %d", n, n)
}

func TestAnEquChainInOrderIsValuedLineByLineAndCanSizeASpace(t *testing.T) {
	img := mustAssemble(t, string(equChain(1000, true, false))+"\n.space a1000\nx: nop")
	assert.Equal(t, image.Symbol{Name: "x", Value: 0x1000 + 4 + 1000, Kind: image.SymLabel}, img.Symbols[len(img.Symbols)-1])
}

func TestAnEquCycleIsReportedOnceAtTheNameFirstMetAgain(t *testing.T) {
	_, err := Assemble("cycle.s", equChain(1000, false, true))
	assert.EqualError(t, err, "cycle.s:1:6: .equ a1000 depends on itself")
}
