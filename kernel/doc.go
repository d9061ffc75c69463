// Package kernel is toyvm's operating system, written in Go: it owns the
// emulated hardware, creates processes from program images, and serves
// their traps: system calls, page faults and exceptions.
//
// A page fault reads top to bottom in pageFault (fault.go): classify the
// fault, find the region, get the page, map it, return. Pages are never
// loaded or mapped ahead of time: a region is only recorded when it is
// created, so the first touch of each of its pages is an INVALID fault
// (no valid entry yet) that the kernel finds legal, because the region
// covers it, and serves by paging the page in from the region's Backing
// (the program image, or zeros). A touch outside every region is an
// INVALID fault that kills.
//
// Files, one per concept:
//
//   - kernel.go: Config, Kernel (the machine and its process table), Run.
//   - trap.go: Trap, the entry from the CPU: save, classify, dispatch, return.
//   - backup.go: instruction backup at the help levels log and decode.
//   - fault.go: the page-fault path, software TLB refill, software dirty bits.
//   - syscall.go: the system call table and the calls exit and write.
//   - usercopy.go: copyIn and copyOut, checking and paging in user buffers.
//   - proc.go: Process, its saved Context.
//   - exec.go: Spawn: regions from an image, the stack, argc and argv.
//   - sched.go: choosing the next process, switching address spaces.
//   - vm.go: AddressSpace: regions and their page table.
//   - region.go: Region, Prot, and Backing with ZeroFill and ImageData.
//   - pagetable.go: PageTable: Set, Map, Unmap and Free, built on mmu's walk.
//   - frame.go: FrameTable: the state of every physical frame.
//   - kill.go: why and how a process is killed, and the exit statuses.
//   - stats.go, trace.go: --stats and --trace.
//   - size.go: sizes such as 16M.
package kernel
