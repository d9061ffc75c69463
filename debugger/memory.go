package debugger

import (
	"fmt"
	"strconv"
	"toyvm/isa"
	"toyvm/kernel"
	"toyvm/mmu"
)

// The debugger reads memory without changing anything: a virtual address
// goes through the process's page table (mmu's one walk), and a page that
// is not in memory is reported as such, never faulted in.

// current returns the process the CPU runs, or nil when there is none
// (every process exited).
func (s *Session) current() *kernel.Process {
	p := s.k.Current()
	if p == nil || p.State == kernel.Zombie {
		return nil
	}
	return p
}

// process returns the live process pid, or nil.
func (s *Session) process(pid int) *kernel.Process {
	for _, p := range s.k.Processes() {
		if p.PID == pid && p.State != kernel.Zombie {
			return p
		}
	}
	return nil
}

// pageState says what a user access to a virtual address would find.
type pageState uint8

// The states, from the best to the worst.
const (
	pagePresent    pageState = iota // its page is in memory
	pageNotPresent                  // a region makes it legal, but its page is not in memory
	pageNoRegion                    // no region covers it: an access kills the process
	pageKernelOnly                  // at or above isa.StackTop: no user access ever succeeds
)

// word returns the word x prints for an address it cannot show.
func (st pageState) word() string {
	return [...]string{"present", "not-present", "no-region", "kernel-only"}[st]
}

// stateOf returns what a user access to va in p's memory would find. An
// address below the stack that the stack may grow down to counts as
// not present: an access grows the stack and fills the page in.
func (s *Session) stateOf(p *kernel.Process, va uint32) pageState {
	switch {
	case va >= isa.StackTop:
		return pageKernelOnly
	case p.Space.Region(mmu.VAddr(va)) == nil && !canGrowTo(p, va):
		return pageNoRegion
	}
	if w := p.Space.PT.Lookup(mmu.VAddr(va)); w.Level == mmu.LevelTable && w.PTE.Has(mmu.V|mmu.P) {
		return pagePresent
	}
	return pageNotPresent
}

// canGrowTo reports whether a region of p (the stack) may grow down to va.
func canGrowTo(p *kernel.Process, va uint32) bool {
	for _, r := range p.Space.Regions {
		if r.CanGrowTo(mmu.VAddr(va)) {
			return true
		}
	}
	return false
}

// wordState returns the state of the word at va: the worst of its bytes'
// (they are ordered from pagePresent to pageKernelOnly).
func (s *Session) wordState(p *kernel.Process, va uint32) pageState {
	worst := pagePresent
	for i := uint32(0); i < 4; i++ {
		worst = max(worst, s.stateOf(p, va+i))
	}
	return worst
}

// virtByte returns the byte at va in p's memory; ok is false if its page
// is not present.
func (s *Session) virtByte(p *kernel.Process, va uint32) (byte, bool) {
	w := p.Space.PT.Lookup(mmu.VAddr(va))
	if w.Level != mmu.LevelTable || !w.PTE.Has(mmu.V|mmu.P) {
		return 0, false
	}
	return s.k.Phys.Read8(w.PAddr()), true
}

// virtWord returns the little-endian word at va in p's memory; ok is
// false if a page it touches is not present.
func (s *Session) virtWord(p *kernel.Process, va uint32) (uint32, bool) {
	var v uint32
	for i := uint32(0); i < 4; i++ {
		b, ok := s.virtByte(p, va+i)
		if !ok {
			return 0, false
		}
		v |= uint32(b) << (8 * i)
	}
	return v, true
}

// physWord returns the word at physical address pa; ok is false if it
// lies outside memory.
func (s *Session) physWord(pa uint32) (uint32, bool) {
	if !s.k.Phys.Contains(mmu.PAddr(pa), 4) {
		return 0, false
	}
	return s.k.Phys.Read32(mmu.PAddr(pa)), true
}

// imageByte returns the byte at va as the program image defines it: its
// stored bytes, zeros in the rest of a segment; ok is false outside every
// segment.
func (s *Session) imageByte(va uint32) (byte, bool) {
	for _, seg := range s.img.Segments {
		if uint64(va) < uint64(seg.Addr) || uint64(va) >= seg.End() {
			continue
		}
		if off := va - seg.Addr; off < uint32(len(seg.Data)) {
			return seg.Data[off], true
		}
		return 0, true
	}
	return 0, false
}

// textBytes returns up to n bytes of code from va: from memory where the
// page is present, else from the image (text is read-only, so the image
// holds what memory would). It stops at the first byte it cannot read.
func (s *Session) textBytes(va uint32, n int) []byte { return s.textBytesOf(s.current(), va, n) }

// textBytesOf is textBytes in process p's memory (nil: the image's).
func (s *Session) textBytesOf(p *kernel.Process, va uint32, n int) []byte {
	out := make([]byte, 0, n)
	for i := 0; i < n; i++ {
		b, ok := byte(0), false
		if p != nil {
			b, ok = s.virtByte(p, va+uint32(i))
		}
		if !ok {
			b, ok = s.imageByte(va + uint32(i))
		}
		if !ok {
			break
		}
		out = append(out, b)
	}
	return out
}

// processArg splits a trailing "pid N" off a command's arguments (pt ADDR
// pid N, x ADDR pid N): it returns the other arguments and the process
// named, or the current one when none is. It returns an error for a pid
// no live process has, or when no process is running.
func (s *Session) processArg(args []string) ([]string, *kernel.Process, error) {
	n := len(args)
	if n < 2 || args[n-2] != "pid" {
		if p := s.current(); p != nil {
			return args, p, nil
		}
		return nil, nil, fmt.Errorf("no process is running: every one has exited")
	}
	pid, err := strconv.Atoi(args[n-1])
	if err != nil {
		return nil, nil, fmt.Errorf("%q is not a pid", args[n-1])
	}
	if p := s.process(pid); p != nil {
		return args[:n-2], p, nil
	}
	return nil, nil, fmt.Errorf("no live process %d (ps lists them)", pid)
}
