package kernel

import (
	"encoding/binary"
	"fmt"

	"toyvm/asm"
	"toyvm/cpu"
	"toyvm/isa"
	"toyvm/mmu"
)

// Spawn creates a process running img with the argument strings argv
// (argv[0] is the program's path) and makes it runnable. Nothing is read
// into memory yet: every page comes in on its first touch. It returns an
// error if memory runs out or the image does not fit the user space.
func (k *Kernel) Spawn(img *asm.Image, argv []string) (*Process, error) {
	p := &Process{PID: k.nextPID, Name: argv[0]}
	pt, err := NewPageTable(k.Phys, k.Frames, p.PID)
	if err != nil {
		return nil, err
	}
	p.Space = &AddressSpace{PT: pt, softDirty: k.cfg.SoftwareDirty}
	if err := k.setUp(p, img, argv); err != nil {
		p.Space.Destroy(k.Frames)
		return nil, err
	}
	k.nextPID++
	k.procs = append(k.procs, p)
	k.stats.Processes++
	return p, nil
}

// setUp adds the image's regions and the stack, then builds the initial
// stack and registers.
func (k *Kernel) setUp(p *Process, img *asm.Image, argv []string) error {
	for _, s := range img.Segments {
		if err := p.Space.AddRegion(segmentRegion(s)); err != nil {
			return err
		}
	}
	stack := &Region{Name: "stack", Start: isa.StackTop - isa.StackMax,
		End: isa.StackTop, Prot: ProtRead | ProtWrite, Backing: ZeroFill{}}
	if err := p.Space.AddRegion(stack); err != nil {
		return err
	}
	p.Ctx.PC = img.Entry
	p.Ctx.PSW = cpu.PSW(0).WithUser(true)
	return k.pushArgs(p, argv)
}

// segmentRegion turns an image segment into a region backed by the image.
func segmentRegion(s asm.Segment) *Region {
	prot := ProtRead
	if s.Perm&asm.PermW != 0 {
		prot |= ProtWrite
	}
	start := mmu.VAddr(isa.PageDown(s.Addr))
	return &Region{Name: s.Name, Start: start, End: mmu.VAddr(isa.PageUp(s.Addr + s.Size)),
		Prot: prot, Backing: ImageData{Data: segmentBytes(s, uint32(start))}}
}

// segmentBytes returns the segment's initial bytes as seen from its
// region's first page.
func segmentBytes(s asm.Segment, start uint32) []byte {
	pad := s.Addr - start
	if pad == 0 {
		return s.Data
	}
	return append(make([]byte, pad), s.Data...)
}

// pushArgs writes the argument strings at the top of the stack, then the
// argv array of their addresses (ending with 0) below them, and sets
// r1 = argc, r2 = argv and sp just below the array.
func (k *Kernel) pushArgs(p *Process, argv []string) error {
	sp := uint32(isa.StackTop)
	ptrs := make([]uint32, len(argv)+1)
	for i := len(argv) - 1; i >= 0; i-- {
		sp -= uint32(len(argv[i]) + 1)
		ptrs[i] = sp
		if err := k.copyOut(p, sp, append([]byte(argv[i]), 0)); err != nil {
			return argsError(err)
		}
	}
	sp = (sp - uint32(4*len(ptrs))) &^ 3
	array := make([]byte, 0, 4*len(ptrs))
	for _, a := range ptrs {
		array = binary.LittleEndian.AppendUint32(array, a)
	}
	if err := k.copyOut(p, sp, array); err != nil {
		return argsError(err)
	}
	p.Ctx.R[1], p.Ctx.R[2], p.Ctx.R[isa.SP] = uint32(len(argv)), sp, sp
	return nil
}

// argsError explains why the arguments could not be copied to the stack:
// they are too large for it, or memory ran out.
func argsError(err error) error {
	if err == errFault {
		return fmt.Errorf("the arguments do not fit the stack (%s)", SizeText(isa.StackMax))
	}
	return err
}
