package mmu_test

import (
	"fmt"

	"toyvm/isa"
	"toyvm/mmu"
)

// A page directory in frame 1 whose entry 0 points at the page table in
// frame 2, which maps virtual page 1 to frame 3, read-only for the user.
func ExampleMMU_Translate() {
	phys := mmu.NewPhys(4)
	phys.WritePDE(1<<12, mmu.NewPDE(2, mmu.P|mmu.W|mmu.U))
	phys.WritePTE(2<<12+1*mmu.EntrySize, mmu.NewPTE(3, mmu.V|mmu.P|mmu.U))
	m := mmu.New(phys, mmu.Config{TLBSize: 4})
	m.SetCR3(1 << 12)

	pa, _ := m.Translate(0x1234, isa.Read, true)
	fmt.Println("read  ->", pa)
	if _, ok := m.Translate(0x1234, isa.Write, true); !ok {
		fmt.Println("write ->", m.LastFault())
	}
	fmt.Println(phys.Walk(m.CR3(), 0x1234))
	fmt.Println(m.TLBEntries()[0])
	fmt.Printf("%+v\n", m.Stats())
	// Output:
	// read  -> 0x00003234
	// write -> PROTECTION fault: user write at 0x00001234
	// va 0x00001234: pde[0] at 0x00001000 = table 0x00002 P W U; pte[1] at 0x00002004 = frame 0x00003 V P - U A -
	// valid asid 0x000 vpn 0x00001 frame 0x00003 - U -
	// {Hits:1 Misses:1 Walks:1 Flushes:1}
}
