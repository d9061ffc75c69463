package kernel

// The hidden tests of the backup kit: random instructions, each faulting
// at every point it can, and random programs run in tiny memory, all
// compared with the precise level. They use the helpers of the public
// tests (kit_backup_test.go, kit_backup_run_test.go).

import (
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"toyvm/cpu"
	"toyvm/isa"
	"toyvm/mmu"
)

// kitBkRandomAddr returns an address within 24 bytes of a boundary
// between two data pages (or below the first), so that a word there may
// straddle them.
func kitBkRandomAddr(r *rand.Rand) uint32 {
	pages := []uint32{kitBkD, kitBkA, kitBkB, kitBkC}
	return pages[r.IntN(len(pages))] + isa.PageSize - 24 + uint32(r.IntN(48))
}

// kitBkRandomReg returns a register for an operand: r1 to r6 mostly,
// sp sometimes.
func kitBkRandomReg(r *rand.Rand) isa.Reg {
	if r.IntN(6) == 0 {
		return isa.SP
	}
	return isa.Reg(1 + r.IntN(6))
}

// kitBkRandomOperand returns an operand that role allows.
func kitBkRandomOperand(r *rand.Rand, role isa.Role) isa.Operand {
	for {
		o := isa.Operand{Mode: isa.Mode(r.IntN(8)), Reg: kitBkRandomReg(r)}
		if role == isa.RegOnly {
			o.Reg = isa.Reg(1 + r.IntN(6))
		}
		if !role.Allows(o.Mode) {
			continue
		}
		switch o.Mode {
		case isa.ModeDisp:
			o.Ext = uint32(int32(r.IntN(17) - 8))
		case isa.ModeImm:
			o.Ext = r.Uint32()
		case isa.ModeAbs:
			o.Ext = kitBkRandomAddr(r)
		}
		return o
	}
}

// kitBkRandomInst returns a random instruction, placed up to its length
// before the second text page, with random registers pointing near page
// boundaries and memory there full of such pointers.
func kitBkRandomInst(r *rand.Rand) kitBkInst {
	var op *isa.Op
	for op == nil {
		op = &isa.Ops[r.IntN(len(isa.Ops))]
		switch {
		case op.IsBranch(), op.Privileged, op.Code == isa.SYS, op.Code == isa.BPT:
			op = nil
		}
	}
	in := isa.Inst{Op: op}
	for k, role := range op.Operands {
		in.Args[k] = kitBkRandomOperand(r, role)
	}
	code, err := isa.Encode(nil, &in)
	if err != nil {
		panic("kitBkRandomInst: " + err.Error())
	}
	regs := map[isa.Reg]uint32{isa.SP: kitBkStack + 4*uint32(1+r.IntN(1024))}
	for reg := isa.Reg(1); reg <= 6; reg++ {
		regs[reg] = kitBkRandomAddr(r)
	}
	if op.Code == isa.MOVC {
		regs[in.Args[0].Reg] = uint32(r.IntN(40)) // the length: a copy that ends
	}
	mem := map[uint32]uint32{}
	for _, page := range []uint32{kitBkD, kitBkA, kitBkB, kitBkC} {
		for a := page + isa.PageSize - 32; a < page+isa.PageSize+32; a += 4 {
			mem[a] = kitBkRandomAddr(r)
		}
	}
	return kitBkInst{name: in.Text(0, nil), start: kitBkText2 - uint32(r.IntN(len(code)+1)),
		code: code, regs: regs, mem: mem}
}

// kitBkFaults reports whether in faults with page b broken.
func kitBkFaults(in kitBkInst, b *kitBkBreak) bool {
	m := in.machine(cpu.Precise)
	m.Map(b.page, b.bits())
	m.CPU.Step()
	return len(m.Traps) > 0
}

func TestKitBackupHiddenRandomInstructionsEndAsUnderPrecise(t *testing.T) {
	r := rand.New(rand.NewPCG(2024, 11))
	tried, faulted := 0, 0
	for tried < 300 {
		in := kitBkRandomInst(r)
		m := in.machine(cpu.Precise)
		touched := map[uint32]bool{} // the pages the instruction uses: each is walked once
		m.MMU.OnWalk = func(va mmu.VAddr, _ mmu.PTE, _ isa.Cause) { touched[isa.PageDown(uint32(va))] = true }
		m.CPU.Step()
		if len(m.Traps) > 0 {
			continue // outside the machine, or a division by zero
		}
		tried++
		for _, page := range slices.Sorted(maps.Keys(touched)) {
			for _, b := range []kitBkBreak{kitBkNP(page), kitBkRO(page)} {
				if b.readOnly && !kitBkFaults(in, &b) {
					continue // not written
				}
				faulted++
				kitBkCheck(t, in, b)
				if t.Failed() {
					return // one instruction shown is enough
				}
			}
		}
	}
	assert.Greater(t, faulted, 600, "the instructions fault often")
}

// kitBkRandomProgram returns a program that runs a block of random
// instructions many times over an array of 24 pages, with pointers that
// start each time at other places in it, and then writes the array and
// its registers.
func kitBkRandomProgram(r *rand.Rand) string {
	var b strings.Builder
	b.WriteString(`
        .equ    EXIT, 1
        .equ    WRITE, 2
        .equ    SIZE, 98304
start:  mov     #120, r10
        clr     r11
        mov     #sub, r12
loop:
`)
	for k := 1; k <= 4; k++ {
		fmt.Fprintf(&b, "        mov     r11, r%d\n        add     #%d, r%d\n        mod     #SIZE-4096, r%d\n        add     #arr+2048, r%d\n",
			k, r.IntN(1<<20), k, k, k)
	}
	b.WriteString("        mov     #ptrs, r5\n        mov     #arr+8192, r6\n")
	src := func() string {
		switch r.IntN(9) {
		case 0:
			return fmt.Sprintf("r%d", 1+r.IntN(9))
		case 1:
			return fmt.Sprintf("(r%d)", 1+r.IntN(4))
		case 2:
			return fmt.Sprintf("(r%d)+", 1+r.IntN(4))
		case 3:
			return fmt.Sprintf("-(r%d)", 1+r.IntN(4))
		case 4:
			return "@(r5)+"
		case 5:
			return fmt.Sprintf("%d(r%d)", r.IntN(129)-64, 1+r.IntN(4))
		case 6:
			return fmt.Sprintf("#%d", r.Int32())
		case 7:
			return fmt.Sprintf("@arr+%d", r.IntN(98300))
		}
		return fmt.Sprintf("%d(r6)", r.IntN(4096)*4)
	}
	dst := func() string {
		for {
			if s := src(); s[0] != '#' && (s[0] != 'r' || s >= "r7") {
				return s
			}
		}
	}
	two := []string{"mov", "movb", "add", "sub", "mul", "and", "or", "xor", "shl", "sar"}
	three := []string{"add3", "sub3", "mul3"}
	one := []string{"clr", "inc", "dec", "neg", "not"}
	pushed := 0
	for range 30 {
		switch n := r.IntN(20); {
		case n < 8:
			fmt.Fprintf(&b, "        %s    %s, %s\n", two[r.IntN(len(two))], src(), dst())
		case n < 10:
			fmt.Fprintf(&b, "        %s    %s, %s, %s\n", three[r.IntN(len(three))], src(), src(), dst())
		case n < 11:
			fmt.Fprintf(&b, "        cmp%s   %s, %s\n", []string{"", "b"}[r.IntN(2)], src(), src())
		case n < 12:
			fmt.Fprintf(&b, "        %s    %s\n", one[r.IntN(len(one))], dst())
		case n < 15:
			fmt.Fprintf(&b, "        push    %s\n", src())
			pushed++
		case n < 17 && pushed > 0:
			fmt.Fprintf(&b, "        pop     %s\n", dst())
			pushed--
		case n < 18:
			b.WriteString("        call    sub\n        call    (r12)\n")
		case n < 19:
			b.WriteString("        cmp     -(sp), -(sp)\n        add     #8, sp\n")
		default:
			fmt.Fprintf(&b, "        tst     %s\n", src())
		}
	}
	for ; pushed > 0; pushed-- {
		fmt.Fprintf(&b, "        pop     %s\n", dst())
	}
	b.WriteString(`        add     #12289, r11
        dec     r10
        bne     loop
        mov     #regs, r0
        mov     r1, (r0)+
        mov     r2, (r0)+
        mov     r3, (r0)+
        mov     r4, (r0)+
        mov     r5, (r0)+
        mov     r7, (r0)+
        mov     r8, (r0)+
        mov     r9, (r0)+
        mov     sp, (r0)+
        mov     #WRITE, r0
        mov     #1, r1
        mov     #regs, r2
        mov     #36, r3
        sys
        mov     #WRITE, r0
        mov     #1, r1
        mov     #arr, r2
        mov     #SIZE, r3
        sys
        mov     #EXIT, r0
        clr     r1
        sys
sub:    add     (r1)+, r7
        sub     -(r2), r8
        ret
        .data
regs:   .space  36
ptrs:
`)
	for range 128 {
		fmt.Fprintf(&b, "        .word   arr+%d\n", 1024+r.IntN(98304-2048))
	}
	b.WriteString("        .align  4096\narr:    .space  SIZE\n")
	return b.String()
}

func TestKitBackupHiddenRandomProgramsRunAsUnderPrecise(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 1984))
	for i := range 10 {
		src := kitBkRandomProgram(r)
		t.Run(fmt.Sprint("program ", i), func(t *testing.T) {
			got := kitBkSameAsPrecise(t, assemble(t, src), fmt.Sprintf("random%d.s", i), 64<<10)
			require.Equal(t, 0, got.Status, "the random program runs to its end")
			assert.Greater(t, got.Stats.Evictions, uint64(100), "the pages come and go")
		})
	}
}
