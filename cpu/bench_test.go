package cpu_test

import (
	"testing"

	"toyvm/cpu"
	. "toyvm/cpu/cputest"
	"toyvm/isa"
)

// benchLoop runs code (a loop that never ends) in user mode with real page
// tables and the TLB on, reporting ns per instruction.
func benchLoop(b *testing.B, code []byte, setup func(m *Machine)) {
	m := New(cpu.Precise)
	m.Load(text, code)
	m.Map(data, UserPage)
	m.Map(stackTop-isa.PageSize, UserPage)
	m.CPU.PC, m.CPU.R[isa.SP] = text, stackTop
	setup(m)
	const chunk = 10000
	m.CPU.Run(chunk) // warm the TLB
	b.ReportAllocs()
	b.ResetTimer()
	var n uint64
	for b.Loop() {
		n += m.CPU.Run(chunk)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(n), "ns/inst")
	if len(m.Traps) != 0 {
		b.Fatalf("unexpected trap %+v", m.Traps[0])
	}
}

// BenchmarkRegisterLoop: a counting loop on registers only.
func BenchmarkRegisterLoop(b *testing.B) {
	code := Prog(
		I(isa.ADD, Imm(1), R(1)), // 7 bytes
		I(isa.XOR, R(1), R(2)),   // 3
		I(isa.CMP, R(1), R(3)),   // 3
		B(isa.BNE, -16),          // 3
		I(isa.CLR, R(1)),         // 2
		B(isa.BR, -21),           // 3
	)
	benchLoop(b, code, func(m *Machine) { m.CPU.R[3] = 1000 })
}

// BenchmarkMemoryLoop: a loop that reads and writes memory through the
// MMU with several addressing modes.
func BenchmarkMemoryLoop(b *testing.B) {
	code := memoryLoop()
	benchLoop(b, code, func(m *Machine) { m.CPU.R[4], m.CPU.R[5] = data, data+0x100 })
}

// memoryLoop is a loop of memory instructions in several addressing
// modes, with r4 and r5 pointing into the data page: an absolute read, a
// read-modify-write, a push, a pop to a displacement and a move from an
// autoincrement to an autodecrement. It leaves sp, r4 and r5 as it found
// them.
func memoryLoop() []byte {
	return Prog(
		I(isa.MOV, Abs(data), R(1)),   // 7 bytes
		I(isa.ADD, Imm(1), Abs(data)), // 11
		I(isa.PUSH, R(1)),             // 2
		I(isa.POP, Disp(8, 4)),        // 6
		I(isa.MOV, Inc(5), Dec(5)),    // 3
		B(isa.BR, -32),                // 3
	)
}
