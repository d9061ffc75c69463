package asm

import (
	"fmt"
	"runtime"
	"strings"
	"testing"
)

// largeSource returns a generated program of about n lines that mixes
// what real sources hold: instructions of several operand shapes,
// branches, .word data, .equ names, comments and blank lines.
func largeSource(n int) []byte {
	var b strings.Builder
	b.WriteString("start:\n")
	for i := range n / 10 {
		fmt.Fprintf(&b, "\t.equ K%d, %d\n", i, i%100)
		fmt.Fprintf(&b, "l%d:\tmov #K%d, r1 ; load\n", i, i)
		b.WriteString("\tadd3 8(fp), (r2)+, -(sp)\n")
		b.WriteString("\n")
		fmt.Fprintf(&b, "\tbne l%d\n", i)
		b.WriteString("; a comment line\n")
		b.WriteString("\t.data\n")
		fmt.Fprintf(&b, "w%d:\t.word %d, l%d, K%d+4\n", i, i, i, i)
		b.WriteString("\t.text\n")
		b.WriteString("\tsys\n")
	}
	return []byte(b.String())
}

// BenchmarkAssembleLargeSource assembles 200,000 lines and reports the
// bytes allocated in all per byte of source (alloc-B/src-B) and the heap
// that pass 1 leaves for pass 2 per byte of source (live-B/src-B): both
// must stay a small constant, whatever the size of the program.
func BenchmarkAssembleLargeSource(b *testing.B) {
	src := largeSource(200_000)
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	var live uint64
	before := totalAlloc()
	for b.Loop() {
		live = assembleMeasuringPass1(b, src)
	}
	perOp := float64(totalAlloc()-before) / float64(b.N)
	b.ReportMetric(perOp/float64(len(src)), "alloc-B/src-B")
	b.ReportMetric(float64(live)/float64(len(src)), "live-B/src-B")
}

// assembleMeasuringPass1 assembles src as Assemble does and returns the
// heap in use at the end of pass 1, beyond what was in use before.
func assembleMeasuringPass1(b *testing.B, src []byte) uint64 {
	base := heapInUse()
	a := newAssembler(&sourceFile{key: "big.s", shown: "big.s"}, hostFiles{dir: "."})
	a.pass1(string(src))
	live := heapInUse() - base
	if _, err := a.finish(); err != nil {
		b.Fatal(err)
	}
	return live
}

func totalAlloc() uint64 {
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.TotalAlloc
}

// heapInUse returns the bytes of live objects, after a collection.
func heapInUse() uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}
