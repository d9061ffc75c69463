// Package policy holds toyvm's page replacement policies as pure
// algorithms: they see pages as opaque keys and the hardware's reference
// and dirty bits through the Bits interface, and know nothing else of the
// kernel. This is the seam a student replaces: write a type with the
// Policy methods, add it to the table in policy.go, and both the kernel
// (`toyvm run --policy`) and the simulator (`toyvm policy`) can use it.
//
// Every operation is O(1), or amortised O(1) where the algorithm sweeps,
// because the kernel calls them on every fault with up to 2^18 frames
// (except ESC's Victim, whose textbook four laps can cost a full sweep:
// see esc.go);
// and everything is deterministic: random draws from its own generator.
//
// Files, one per concept:
//
//   - policy.go: Page, Bits, Policy, New and Names.
//   - list.go: pageList, the linked list of pages FIFO, LRU and the
//     clocks keep their order in.
//   - fifo.go: FIFO, first in, first out.
//   - lru.go: LRU, least recently used.
//   - clock.go: Clock, second chance with a sweeping hand; ring, the
//     hand and its pages, shared with ESC.
//   - esc.go: ESC, enhanced second chance: (referenced, dirty) classes.
//   - random.go: Random, a seeded random victim.
//   - simulate.go: Ref, Step, Result and Simulate, which replays a
//     reference string through a policy, as `toyvm policy` does.
//   - opt.go: Belady's optimal policy, for the simulator only.
//   - describe.go: Describer, each resident page's place in a policy's
//     order, for the debugger's frames view.
package policy
