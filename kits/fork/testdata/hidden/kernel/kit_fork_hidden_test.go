package kernel

// The fork kit's hidden tests: random trees of processes that fork,
// store and exit, compared with a model of what each must see; the
// programs again in 64K and 128K under both swap layouts; and a fork
// that cannot have its swap. They use the public tests' helpers.

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"toyvm/cpu"
	"toyvm/kernel/vm"
)

// kitForkNode is one process of a random tree: what it does, in order.
type kitForkNode struct {
	id      int
	actions []kitForkAction
}

// kitForkAction is a store of value into word 0 of page page, a fork of
// child (the kid-th the node forks), or a wait for its kid-th child.
type kitForkAction struct {
	kind  byte // 's', 'f', 'w'
	page  int
	value uint32
	kid   int
	child *kitForkNode
}

// kitForkTree is a random tree of processes, the pages they share, and
// the model: the word 0 each process sees in each page when it ends.
type kitForkTree struct {
	rng   *rand.Rand
	pages int
	nodes []*kitForkNode
	want  [][]uint32 // by node: its view of the pages when it ends
}

// kitForkRandomTree returns a tree of at most max processes, each of at
// most 4 children, 4 levels deep.
func kitForkRandomTree(seed uint64, pages, max int) *kitForkTree {
	tr := &kitForkTree{rng: rand.New(rand.NewPCG(seed, 7)), pages: pages}
	view := make([]uint32, pages)
	for i := range view {
		view[i] = uint32(1000 + i) // the image's words
	}
	budget := max - 1
	tr.grow(view, &budget, 0)
	return tr
}

// grow makes a node that starts with the view of the pages, and its
// subtree, and records what each sees at its end.
func (tr *kitForkTree) grow(view []uint32, budget *int, depth int) *kitForkNode {
	n := &kitForkNode{id: len(tr.nodes)}
	tr.nodes = append(tr.nodes, n)
	tr.want = append(tr.want, nil)
	view = append([]uint32(nil), view...)
	var unwaited []int
	kids := 0
	for range 2 + tr.rng.IntN(6) {
		switch r := tr.rng.IntN(10); {
		case r >= 5 && r < 8 && *budget > 0 && kids < 4 && depth < 4:
			*budget--
			child := tr.grow(view, budget, depth+1)
			n.actions = append(n.actions, kitForkAction{kind: 'f', kid: kids, child: child})
			unwaited = append(unwaited, kids)
			kids++
		case r >= 8 && len(unwaited) > 0:
			i := tr.rng.IntN(len(unwaited))
			n.actions = append(n.actions, kitForkAction{kind: 'w', kid: unwaited[i]})
			unwaited = append(unwaited[:i], unwaited[i+1:]...)
		default:
			a := kitForkAction{kind: 's', page: tr.rng.IntN(tr.pages), value: tr.rng.Uint32() >> 1}
			view[a.page] = a.value
			n.actions = append(n.actions, a)
		}
	}
	tr.want[n.id] = view
	return n
}

// program returns the tree as a program. The first process maps a
// shared page (r9) for the table; each process, at its end, copies word 0
// of each page it sees into its row of the table and raises its flag;
// the first then waits until every flag is up and prints the table.
// A fork that fails for lack of memory is tried again after a sleep.
func (tr *kitForkTree) program() string {
	n, p := len(tr.nodes), tr.pages
	var b strings.Builder
	fmt.Fprintf(&b, `        .equ    DONE, %d
start:  mov     #12, r0         ; mmap(0, 4096, read|write, shared|anonymous)
        clr     r1
        mov     #4096, r2
        mov     #3, r3
        mov     #5, r4
        clr     r5
        clr     r6
        sys
        mov     r0, r9
`, n*p*4)
	for _, node := range tr.nodes {
		fmt.Fprintf(&b, "node%d:\n", node.id)
		for i, a := range node.actions {
			switch a.kind {
			case 's':
				fmt.Fprintf(&b, "        mov     #%d, array+%d\n", a.value, a.page*4096)
			case 'f':
				fmt.Fprintf(&b, `f%d_%d:  mov     #8, r0
        sys
        tst     r0
        beq     node%d
        bgt     f%d_%dok
        mov     #18, r0         ; no memory now: sleep and try again
        mov     #5, r1
        sys
        br      f%d_%d
f%d_%dok: mov   r0, r%d
`, node.id, i, a.child.id, node.id, i, node.id, i, node.id, i, 10+a.kid)
			case 'w':
				fmt.Fprintf(&b, "        mov     #7, r0\n        mov     r%d, r1\n        sys\n", 10+a.kid)
			}
		}
		fmt.Fprintf(&b, `        mov     #array, r1      ; my row of the table
        mov     r9, r2
        add     #%d, r2
        mov     #%d, r3
row%d:  mov     (r1), (r2)+
        add     #4096, r1
        dec     r3
        bne     row%d
        mov     #1, DONE+%d(r9)
`, node.id*p*4, p, node.id, node.id, node.id*4)
		if node.id != 0 {
			b.WriteString("        mov     #1, r0\n        clr     r1\n        sys\n")
		}
		if node.id == 0 {
			fmt.Fprintf(&b, `poll:   clr     r3              ; wait for every flag
        mov     r9, r1
        add     #DONE, r1
        mov     #%d, r2
flags:  add     (r1)+, r3
        dec     r2
        bne     flags
        cmp     r3, #%d
        beq     print
        mov     #18, r0
        mov     #3, r1
        sys
        br      poll
print:  mov     #2, r0
        mov     #1, r1
        mov     r9, r2
        mov     #%d, r3
        sys
        mov     #1, r0
        clr     r1
        sys
`, n, n, n*p*4)
		}
	}
	b.WriteString("        .data\narray:\n")
	for i := range p {
		fmt.Fprintf(&b, "        .word   %d\n        .space  4092\n", 1000+i)
	}
	return b.String()
}

func TestKitForkHiddenARandomTreeMatchesAModel(t *testing.T) {
	configs := []struct {
		name   string
		mem    uint64
		change func(*Config)
	}{
		{"1M", 1 << 20, func(*Config) {}},
		{"256K, decode", 256 << 10, func(c *Config) { c.Backup = cpu.Decode }},
		{"256K, static swap, log", 256 << 10, func(c *Config) { c.Swap, c.Backup = vm.SwapStatic, cpu.Log }},
		{"128K, sw refill and dirty", 128 << 10, func(c *Config) { c.SoftwareRefill, c.SoftwareDirty = true, true }},
	}
	trees := 0
	for seed := uint64(0); trees < 12; seed++ {
		tr := kitForkRandomTree(seed, 6, 12)
		if len(tr.nodes) < 4 {
			continue // too small a tree to tell much
		}
		img := assemble(t, tr.program())
		var want []uint32
		for _, row := range tr.want {
			want = append(want, row...)
		}
		c := configs[trees%len(configs)]
		trees++
		cfg := kitForkConfig(c.mem, cpu.Precise)
		cfg.MaxSteps = 20_000_000
		c.change(&cfg)
		out, status, k := kitForkRun(t, img, "tree.s", cfg)
		require.Equal(t, 0, status, "seed %d, %s: %d processes", seed, c.name, len(tr.nodes))
		got := words(out)
		require.Len(t, got, len(want), "seed %d, %s", seed, c.name)
		for id := range tr.nodes {
			assert.Equal(t, tr.want[id], got[id*tr.pages:(id+1)*tr.pages],
				"seed %d, %s: process %d of the tree sees another's stores or lost its own", seed, c.name, id)
		}
		assert.Equal(t, len(tr.nodes)-1, int(k.Stats().Forks), "seed %d", seed)
		t.Logf("seed %d, %s: %d processes, %d copies, %d shared hits, %d swap-outs", seed, c.name, len(tr.nodes),
			k.Stats().COWCopies, k.Stats().SharedHits, k.Stats().SwapOuts)
	}
}

func TestKitForkHiddenProgramsIn64KAnd128KUnderBothSwapLayouts(t *testing.T) {
	for _, swap := range []vm.SwapLayout{vm.SwapDynamic, vm.SwapStatic} {
		for _, mem := range []uint64{64 << 10, 128 << 10} {
			what := fmt.Sprintf("%s, %s swap", SizeText(mem), swap)
			for _, name := range []string{"fork.s", "cow.s"} {
				img, want := kitForkSample(t, name)
				out, status, _ := kitForkRun(t, img, name, func() Config { c := kitForkConfig(mem, cpu.Precise); c.Swap = swap; return c }())
				assert.Equal(t, 0, status, "%s in %s", name, what)
				assert.Equal(t, want, out, "%s in %s", name, what)
			}
			cfg := kitForkConfig(mem, cpu.Log)
			cfg.Swap = swap
			out, status, _ := kitForkRun(t, assemble(t, forkTwoWriters), "writers.s", cfg)
			assert.Equal(t, "C\nP\n", out, what)
			assert.Equal(t, 42, status, what)
			out, _, _ = kitForkRun(t, assemble(t, kitForkParentFirst), "first.s", cfg)
			assert.Equal(t, "A\nP\n", out, what)
			out, _, _ = kitForkRun(t, assemble(t, kitForkReadInto), "readinto.s", cfg)
			assert.Equal(t, "Hello from a fil\n................\n", out, what)
			// Two children, each forking a grandchild, are four processes:
			// more than 64K admits at once (each child would wait for the
			// other's grandchild for ever). One child there.
			kids, want := 2, []uint32{16, 24, 8}
			if mem < 128<<10 {
				kids, want = 1, []uint32{16, 8}
			}
			out, _, _ = kitForkRun(t, assemble(t, kitForkWriters(kids, 8)), "writers.s", cfg)
			assert.Equal(t, want, words(out), "%d children and their children, %s", kids, what)
		}
		cfg := kitForkConfig(128<<10, cpu.Decode)
		cfg.Swap = swap
		out, status, k := kitForkRun(t, assemble(t, cowSweep), "cowsweep.s", cfg)
		assert.Equal(t, 0, status)
		assert.Equal(t, []uint32{1176, 1176 + 2400, 1176}, words(out), "48 pages shared, in 128K, %s swap", swap)
		assert.Positive(t, k.Stats().SwapOuts)
	}
}

// kitForkBig: a process whose data is 64 pages forks; a failed fork
// prints "no" and the parent exits with fork's error; a child exits 0.
const kitForkBig = `
start:  mov     #1, array       ; one page resident
        mov     #8, r0          ; fork
        sys
        tst     r0
        beq     child
        bgt     parent
        mov     r0, r6
        mov     #2, r0          ; write(1, "no\n", 3)
        mov     #1, r1
        mov     #no, r2
        mov     #3, r3
        sys
        neg     r6
        mov     #1, r0
        mov     r6, r1
        sys
parent: mov     r0, r1
        mov     #7, r0
        sys
        mov     #1, r0
        clr     r1
        sys
child:  mov     #1, r0
        clr     r1
        sys
        .data
no:     .ascii  "no\n"
        .align  4096
array:  .space  262144
`

func TestKitForkHiddenAForkThatCannotReserveSwapCreatesNothing(t *testing.T) {
	img := assemble(t, kitForkBig)
	cfg := kitForkConfig(1<<20, cpu.Precise)
	cfg.Swap = vm.SwapStatic
	cfg.SwapSize = 384 << 10 // room for the parent's regions, not for a copy
	out, status, k := kitForkRun(t, img, "big.s", cfg)
	assert.Equal(t, "no\n", out, "the fork fails")
	assert.Equal(t, -ENOMEM, status, "with ENOMEM")
	assert.Equal(t, 0, int(k.Stats().Forks), "no child was made")
	assert.Equal(t, 1, int(k.Stats().Processes))

	cfg.SwapSize = 1 << 20
	out, status, k = kitForkRun(t, img, "big.s", cfg)
	assert.Empty(t, out, "with swap enough, it forks")
	assert.Equal(t, 0, status)
	assert.Equal(t, 1, int(k.Stats().Forks))
}
