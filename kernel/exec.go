package kernel

import (
	"encoding/binary"
	"fmt"

	"toyvm/cpu"
	"toyvm/image"
	"toyvm/isa"
	"toyvm/kernel/vm"
	"toyvm/mmu"
)

// Spawn creates a process running img with the argument strings argv
// (argv[0] is the program's path) and makes it runnable. Nothing is read
// into memory yet: every page comes in on its first touch. It returns an
// error if memory or swap runs out, or the arguments do not fit.
func (k *Kernel) Spawn(img *image.Image, argv []string) (*Process, error) {
	p, err := k.newImage(k.nextPID, img, argv)
	if err != nil {
		return nil, err
	}
	k.nextPID++
	k.procs = append(k.procs, p)
	k.stats.Processes++
	return p, nil
}

// newImage returns a process pid that is about to run img with the
// arguments argv: a new address space with its regions, its stack with
// argc and argv, its registers. It is in no table yet: Spawn adds it as
// a new process, exec moves its image into the process that asked. It
// returns the error of a page directory, of swap, or of arguments that
// do not fit, having kept nothing.
func (k *Kernel) newImage(pid int, img *image.Image, argv []string) (*Process, error) {
	p := &Process{PID: pid, Name: argv[0], image: img}
	pt, err := k.newPageTable(p.PID)
	if err != nil {
		return nil, err
	}
	p.Space = &vm.AddressSpace{PT: pt, SoftDirty: k.cfg.SoftwareDirty}
	if k.cfg.ASID {
		p.Space.ASID = asidOf(p.PID)
	}
	if err := k.setUp(p, img, argv); err != nil {
		k.destroySpace(p.Space)
		return nil, err
	}
	return p, nil
}

// sysExec replaces p's image with the program at path (inside the root)
// and the argument array argv (0: none; argv[0] is always the path),
// keeping its pid, parent and open files. The arguments are copied in
// before the old image is dropped; on success the call does not return:
// p runs the new program from its entry. It returns, leaving p as it
// was, ENOENT, EACCES or EINVAL for a program that cannot be read or
// loaded, EFAULT for a bad pointer, EINVAL for arguments too long,
// ENOMEM when memory or swap runs out.
func sysExec(k *Kernel, p *Process, a [6]uint32) (int32, bool) {
	argv, res, done, ok := k.programCall(p, a)
	if !ok {
		return res, done
	}
	img, e := k.loadFor(p, "exec", argv[0])
	if img == nil {
		return e, true
	}
	return k.exec(p, img, argv)
}

// exec builds the new image of p and, if it could be built, drops the
// old one: p then runs img from its entry. When no frame is free for the
// new image until a write-back completes, p waits and the exec runs
// again; when memory or swap runs out it returns ENOMEM, p intact.
func (k *Kernel) exec(p *Process, img *image.Image, argv []string) (int32, bool) {
	np, err := k.newImage(p.PID, img, argv)
	switch {
	case err == errWaitForFrame:
		k.block(p, framesChannel{}, "a free frame")
		k.restartSyscall(p)
		return 0, false
	case err != nil:
		return ENOMEM, true
	}
	k.dropLibOS(p)
	old := p.Space
	p.Name, p.image, p.Space, p.heap, p.brk, p.Ctx = np.Name, img, np.Space, np.heap, np.brk, np.Ctx
	p.stall = stall{}
	k.destroySpace(old)
	k.MMU.FlushTLB() // the new space may have the old one's ASID
	k.MMU.SetCR3(p.Space.CR3())
	k.stats.Execs++
	if k.tracing(TraceSched) {
		k.trace(TraceSched, "pid %d: exec %s", p.PID, p.Name)
	}
	return 0, false
}

// asidOf returns the address-space id of process pid: ASIDs are 12 bits,
// so they are reused every 4095 processes (0 is never used).
func asidOf(pid int) uint16 { return uint16((pid-1)%4095 + 1) }

// setUp adds the image's regions and the stack, then builds the initial
// stack and registers. It returns the error of a region that overlaps
// another, of swap that cannot be reserved, or of arguments that do not
// fit on the stack.
func (k *Kernel) setUp(p *Process, img *image.Image, argv []string) error {
	for _, s := range img.Segments {
		if err := k.addRegion(p, segmentRegion(s)); err != nil {
			return err
		}
	}
	if err := k.addRegion(p, stackRegion()); err != nil {
		return err
	}
	p.heap = heapRegion(img)
	p.brk = uint32(p.heap.Start)
	if err := k.addRegion(p, p.heap); err != nil {
		return err
	}
	p.Ctx.PC = img.Entry
	p.Ctx.PSW = cpu.PSW(0).WithUser(true)
	return k.pushArgs(p, argv)
}

// segmentRegion turns an image segment into a region whose object reads
// its pages from the image. Only a writable segment's pages can become
// dirty and go to swap.
func segmentRegion(s image.Segment) *vm.Region {
	prot := vm.ProtRead
	if s.Perm&image.PermW != 0 {
		prot |= vm.ProtWrite
	}
	start := mmu.VAddr(isa.PageDown(s.Addr))
	src := vm.ImageSource{Image: vm.ImageStore{Label: "image:" + s.Name, Data: segmentBytes(s, uint32(start))}}
	return &vm.Region{Name: s.Name, Start: start, End: mmu.VAddr(isa.PageUp(s.Addr + s.Size)),
		Prot: prot, Object: vm.NewObject(s.Name, src, prot&vm.ProtWrite != 0), Origin: start, Floor: start}
}

// heapRegion returns the heap: empty at first, starting at the page
// after the image's last segment; sbrk moves its end.
func heapRegion(img *image.Image) *vm.Region {
	base := uint32(isa.TextBase)
	for _, s := range img.Segments {
		base = max(base, isa.PageUp(s.Addr+s.Size))
	}
	start := mmu.VAddr(base)
	return &vm.Region{Name: "heap", Start: start, End: start, Prot: vm.ProtRead | vm.ProtWrite,
		Object: vm.NewObject("heap", vm.ZeroSource{}, true), Origin: start, Floor: start}
}

// stackRegion returns the stack: one page below StackTop at first, able
// to grow down on demand to StackMax. Its page indexes count from the
// lowest page it can reach.
func stackRegion() *vm.Region {
	floor := mmu.VAddr(isa.StackTop - isa.StackMax)
	return &vm.Region{Name: "stack", Start: isa.StackTop - isa.PageSize, End: isa.StackTop,
		Prot: vm.ProtRead | vm.ProtWrite, Object: vm.NewObject("stack", vm.ZeroSource{}, true),
		Origin: floor, Floor: floor}
}

// segmentBytes returns the segment's initial bytes as seen from its
// region's first page.
func segmentBytes(s image.Segment, start uint32) []byte {
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
	if err := k.growStackFor(p, argv); err != nil {
		return err
	}
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

// growStackFor grows the stack to hold the argument strings and argv; it
// returns an error if they are larger than a stack may be, or if swap
// for the grown stack cannot be reserved.
func (k *Kernel) growStackFor(p *Process, argv []string) error {
	size := 4 * (len(argv) + 2)
	for _, a := range argv {
		size += len(a) + 1
	}
	if size > isa.StackMax {
		return argsError(errFault)
	}
	stack := p.Space.Region(isa.StackTop - 1)
	if low := mmu.VAddr(isa.PageDown(uint32(isa.StackTop - size))); low < stack.Start {
		return k.growDown(stack, low)
	}
	return nil
}

// argsError explains why the arguments could not be copied to the stack:
// they are too large for it, or memory ran out. A stack page that must
// wait for a frame (a write-back in flight will free one) is
// errWaitForFrame: the caller, not the process being built, waits, and
// its call runs again.
func argsError(err error) error {
	switch err {
	case errFault:
		return fmt.Errorf("the arguments do not fit the stack (%s)", SizeText(isa.StackMax))
	case errBlocked:
		return errWaitForFrame
	}
	return err
}
