package policy

import (
	"fmt"
	"testing"
)

// sliceBits is a Bits over slices indexed by page, like the kernel's PTE
// bits indexed by frame: reading one costs no map lookup.
type sliceBits struct{ referenced, dirty []bool }

func (b *sliceBits) Referenced(p Page) bool { return b.referenced[p] }
func (b *sliceBits) ClearReferenced(p Page) { b.referenced[p] = false }
func (b *sliceBits) Dirty(p Page) bool      { return b.dirty[p] }

// BenchmarkPolicyInsertVictim measures one eviction and one insertion,
// the work of a fault with memory full, with 1<<10 and 1<<18 resident
// pages: the cost must not grow with the size. As in the kernel, the
// victim's frame is reused for the new page (a dirty victim was written
// back first), whose reference bit the access then sets; every fourth new
// page is written, and so dirty.
func BenchmarkPolicyInsertVictim(b *testing.B) {
	for _, name := range Names() {
		for _, size := range []int{1 << 10, 1 << 18} {
			b.Run(fmt.Sprintf("%s/pages=%d", name, size), func(b *testing.B) {
				p, bits := benchFill(b, name, size)
				b.ReportAllocs()
				b.ResetTimer()
				for i := range b.N {
					v, ok := p.Victim(bits, all)
					if !ok {
						b.Fatal("no victim")
					}
					p.Insert(v)
					bits.referenced[v], bits.dirty[v] = true, i%4 == 0
				}
			})
		}
	}
}

// benchFill returns the policy called name with size pages resident, all
// referenced, and their bits.
func benchFill(b *testing.B, name string, size int) (Policy, *sliceBits) {
	p, err := New(name, 1)
	if err != nil {
		b.Fatal(err)
	}
	bits := &sliceBits{referenced: make([]bool, size), dirty: make([]bool, size)}
	for i := range size {
		p.Insert(Page(i))
		bits.referenced[i], bits.dirty[i] = true, i%4 == 0
	}
	return p, bits
}
