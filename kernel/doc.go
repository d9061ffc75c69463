// Package kernel is toyvm's operating system, written in Go: it owns the
// emulated hardware, creates processes from program images, and serves
// their traps: system calls, page faults, exceptions and interrupts.
//
// A page fault reads top to bottom in pageFault (fault.go): classify the
// fault, find the region, get the page, map it, return. The data flows
// Process -> Region -> the region's Object (its page cache) -> the frame
// table -> the backing store -> the page table and TLB:
//
//   - a page already in a frame of the free pool is reclaimed, no I/O;
//   - a page in transit makes the process wait for it, never read twice;
//   - a page never touched, of anonymous memory, is zero-filled;
//   - a page whose contents are in swap or in the program image is read
//     by DMA into a frame that stays busy and locked until the disk's
//     interrupt maps it, while its process sleeps and others run.
//
// Nothing is loaded or mapped ahead of time: a region is only recorded
// when it is created, so the first touch of each of its pages is an
// INVALID fault that the kernel finds legal because the region covers it.
// A touch outside every region is an INVALID fault that kills.
//
// A process never waits inside the kernel: a faulting instruction, or the
// SYS of a system call that must wait, runs again from its first byte
// when the process wakes (wait.go).
//
// Files, one per concept:
//
//   - kernel.go: Config and its defaults, Kernel (the machine and its
//     process table), Run, exit.
//   - trap.go: Trap, the entry from the CPU: back up, save, classify,
//     dispatch, return to the next process.
//   - backup.go: instruction backup at the help levels log and decode.
//   - fault.go: the page-fault path, software TLB refill, software dirty
//     bits.
//   - event.go: who serves a fault: the events the kernel raises (page
//     fault, protection fault, TLB miss, eviction, write-back, exit,
//     idle), the handlers registered for them with a guard and an order,
//     SPIN-style, and the dispatcher; the VM system is the last handler
//     of every kind. Extensions (package kernel/ext) register theirs.
//   - readahead.go: mechanisms extensions compose: ServePage, ReadAhead
//     (several pages in one disk request), ZeroAhead and FillZeroed.
//   - libos.go: library-OS paging, exokernel-style: upcall_entry,
//     selfpage, frame_alloc, frame_install, frame_free; frames owned
//     through capabilities.
//   - capability.go: frame capabilities: tokens, generations, the check.
//   - upcall.go: upcalls to a library OS: the upcall frame on the
//     handler's stack, upcall_return, revocation when memory is short.
//   - pager.go: user-level pagers: pager_create, pager_recv,
//     pager_supply; page-in and page-out requests; a pager that exits,
//     stops answering or deadlocks.
//   - outcome.go: what the fault path returns (Outcome: zero-fill,
//     reclaim, read, wait, killed, ...) and the one place where faults
//     are counted, minor and major.
//   - regions.go: adding, growing, cutting and destroying the regions of
//     an address space; objects freed with their last region, pages with
//     their last holder; the swap slots of pages.
//   - rmap.go: the reverse map: mapping and unmapping a page in every
//     address space that maps it, the A and D bits of all its entries.
//   - fork.go: fork, copying an address space copy-on-write.
//   - cow.go: the write fault: copy-on-write, pages made writable again,
//     dirty bits kept by the kernel; the kernel's own writes.
//   - mmap.go: mmap and munmap, of anonymous memory and of files, shared
//     or private; files written back.
//   - shm.go: shared memory segments: shmget, shmat, shmdt.
//   - mlock.go: mlock and munlock, pinning pages.
//   - mincore.go: mincore, which pages of a range are in memory (the
//     syscall kit's example of a call added end to end).
//   - daemon.go: frame allocation, the paging daemon and its watermarks,
//     eviction, the A and D bits the replacement policy sees.
//   - pageio.go: page transfers by DMA and the disk's completion interrupt.
//   - wait.go: blocking and waking, the idle loop, device interrupts.
//   - sched.go: round-robin choice of the next process, preemption.
//   - proc.go: Process and its saved Context.
//   - exec.go: Spawn and exec: regions from an image, heap, stack, argc
//     and argv.
//   - syscall.go: the system call table (numbers, names, arguments),
//     the dispatch, exit and write.
//   - errno.go: the error results, with their names and meanings.
//   - sysproc.go: spawn, wait, getpid, sbrk, yield, sleep, time; the
//     process table's limit and admission control.
//   - file.go: open files; a file transfer locks the user buffer's
//     frames and moves the data by DMA.
//   - sysfile.go: open, close, read, write on files and standard input.
//   - usercopy.go, userstr.go: copying to and from user memory, strings
//     and argument arrays, paging buffers in.
//   - root.go: paths inside the root folder (--root): only regular
//     files, a read-only root, the file quota; loading programs.
//   - progcache.go: programs spawn loaded, cached by content.
//   - kill.go: why and how a process is killed, and the exit statuses.
//   - stall.go: an instruction whose pages cannot be present together
//     makes no progress; its process is killed for lack of memory.
//   - check.go: --check, the kernel's invariants.
//   - faultlog.go: the recent faults and how each was served.
//   - debugview.go: read-only views and switches for the debugger.
//   - stats.go, trace.go: --stats and --trace.
//   - size.go: sizes such as 16M.
//
// The memory objects (frames, page tables, objects and their pages,
// regions, address spaces, the swap area) live in the subpackage vm; the
// replacement policies in the subpackage policy, which also serves
// `toyvm policy`.
package kernel
