package debugger

import (
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"reflect"

	"toyvm/cpu"
	"toyvm/dev"
	"toyvm/isa"
	"toyvm/kernel"
	"toyvm/kernel/vm"
	"toyvm/mmu"
)

// MachineState is everything observable about a machine at one moment,
// in values only (no pointers into the machine), so that two states can
// be compared with reflect.DeepEqual (testify's Equal) whatever machine
// they came from, and Diff names the first difference. Memory and swap
// are kept as one hash per frame and per slot. The backstep tests use it:
// N steps forward and N back must give the state of the start.
type MachineState struct {
	CPU       CPUState
	TLB       []mmu.TLBEntry
	TLBStats  mmu.TLBStats
	Memory    []uint64 // a hash of each physical frame's contents; 0 for a frame of zeros
	Frames    []FrameRecord
	Processes []ProcessState
	Current   int // the pid the CPU runs, 0 for none
	Stats     kernel.Stats
	Clock     uint64
	Events    []dev.Event // the clock's pending events, in order
	SwapFree  int
	Swap      []SlotHash // the swap slots that do not hold zeros
	Disk      []DiskRequest
	DiskStats dev.DiskStats
	Faults    []kernel.FaultRecord // the kernel's log of recent faults
}

// CPUState is the CPU's registers, control registers and counters, and
// the MMU's cr3.
type CPUState struct {
	R                     [isa.NumRegs]uint32
	PC                    uint32
	PSW                   cpu.PSW
	FaultAddr, FaultPC    uint32
	Cause                 cpu.FaultCause
	SavedPC               uint32
	SavedPSW              cpu.PSW
	Interrupt             dev.Event
	Cycles, Instrs, Traps uint64
	CR3                   uint32
}

// FrameRecord is one frame table entry, its page named by value.
type FrameRecord struct {
	State vm.FrameState
	Owner int
	Locks int
	Page  PageIdentity
}

// PageIdentity names a page by its object and index and the entries
// that map it, and says where its copy is: the zero value for a frame
// that holds no page.
type PageIdentity struct {
	Object  string // its home object
	Index   uint32
	Slot    vm.Slot
	Dirty   bool
	Holders int           // objects that hold it (more than one: copy-on-write)
	Maps    []MapIdentity // the entries that map it, in reverse-map order
}

// MapIdentity names one entry that maps a frame: the process and the
// address.
type MapIdentity struct {
	PID int
	VA  mmu.VAddr
}

// ProcessState is one process table entry.
type ProcessState struct {
	PID        int
	Name       string
	State      kernel.ProcState
	Ctx        kernel.Context
	Parent     int // 0 for none
	Status     int
	WaitingFor string
	ASID       uint16
	CR3        uint32
	Regions    []RegionState
}

// RegionState is one region of an address space.
type RegionState struct {
	Name                      string
	Start, End, Origin, Floor mmu.VAddr
	Prot                      vm.Prot
	Object                    string
}

// SlotHash is the hash of a swap slot's contents.
type SlotHash struct {
	Slot vm.Slot
	Hash uint64
}

// DiskRequest is one request in the disk's queue, the one in service
// first.
type DiskRequest struct {
	Op     dev.Op
	Store  string
	Offset int64
	Len    int
	Tag    uint32
}

// Digest returns the observable state of k. It reads every frame of
// memory and every slot of swap, so it costs about as much as copying
// both: a tool for tests and checks, not for every instruction.
func Digest(k *kernel.Kernel) MachineState {
	return MachineState{
		CPU: cpuState(k), TLB: k.MMU.TLBEntries(), TLBStats: k.MMU.Stats(),
		Memory: memoryHashes(k.Phys), Frames: frameRecords(k), Processes: processStates(k),
		Current: pidOf(k.Current()), Stats: k.Stats(), Clock: k.Clock.Now(),
		Events: k.Clock.Pending(), SwapFree: k.SwapArea().Free(), Swap: swapHashes(k.SwapArea()),
		Disk: diskRequests(k.Disk), DiskStats: k.Disk.Stats(), Faults: k.RecentFaults(),
	}
}

// cpuState copies the CPU's registers and counters.
func cpuState(k *kernel.Kernel) CPUState {
	c := k.CPU
	return CPUState{R: c.R, PC: c.PC, PSW: c.PSW, FaultAddr: c.FaultAddr, FaultPC: c.FaultPC,
		Cause: c.Cause, SavedPC: c.SavedPC, SavedPSW: c.SavedPSW, Interrupt: c.Interrupt,
		Cycles: c.Cycles, Instrs: c.Instructions, Traps: c.Traps, CR3: k.MMU.CR3()}
}

// hashPage returns a hash of b, 0 if b is all zeros.
func hashPage(b []byte) uint64 {
	for _, x := range b {
		if x != 0 {
			sum := sha256.Sum256(b)
			return binary.LittleEndian.Uint64(sum[:8]) | 1
		}
	}
	return 0
}

// memoryHashes returns the hash of each frame of p.
func memoryHashes(p *mmu.Phys) []uint64 {
	h := make([]uint64, p.Frames())
	for f := range h {
		h[f] = hashPage(p.Frame(uint32(f)))
	}
	return h
}

// swapHashes returns the hashes of the slots in use that do not hold
// zeros (a free slot's stale bytes are nobody's). It panics if the swap
// store cannot be read.
func swapHashes(sw *vm.Swap) []SlotHash {
	var out []SlotHash
	buf := make([]byte, mmu.PageSize)
	for s := vm.Slot(0); int(s) < sw.Slots(); s++ {
		if !sw.InUse(s) {
			continue
		}
		if _, err := sw.Store.ReadAt(buf, sw.Offset(s)); err != nil {
			panic(fmt.Sprintf("debugger.swapHashes: slot %d: %v", s, err))
		}
		if h := hashPage(buf); h != 0 {
			out = append(out, SlotHash{s, h})
		}
	}
	return out
}

// frameRecords returns the frame table, frame 0 included.
func frameRecords(k *kernel.Kernel) []FrameRecord {
	out := make([]FrameRecord, k.Frames.Len())
	for f := 1; f < len(out); f++ {
		fr := k.Frames.Get(uint32(f))
		out[f] = FrameRecord{State: fr.State, Owner: fr.Owner, Locks: fr.Locks, Page: pageIdentity(k, fr.Page)}
	}
	return out
}

// pageIdentity names pg, the zero PageIdentity for nil.
func pageIdentity(k *kernel.Kernel, pg *vm.Page) PageIdentity {
	if pg == nil {
		return PageIdentity{}
	}
	id := PageIdentity{Index: pg.Index, Slot: pg.Slot, Dirty: pg.Dirty, Holders: pg.Holders()}
	if !pg.Gone() {
		id.Object = pg.Home().Name
	}
	if pg.Frame != 0 {
		for _, m := range k.Frames.Get(pg.Frame).Maps {
			id.Maps = append(id.Maps, MapIdentity{PID: spaceOwner(k, m.Space), VA: m.VA})
		}
	}
	return id
}

// spaceOwner returns the pid of the process whose address space as is,
// 0 for nil or none.
func spaceOwner(k *kernel.Kernel, as *vm.AddressSpace) int {
	for _, p := range k.Processes() {
		if as != nil && p.Space == as {
			return p.PID
		}
	}
	return 0
}

// processStates returns the process table.
func processStates(k *kernel.Kernel) []ProcessState {
	var out []ProcessState
	for _, p := range k.Processes() {
		ps := ProcessState{PID: p.PID, Name: p.Name, State: p.State, Ctx: p.Ctx,
			Parent: pidOf(p.Parent), Status: p.Status, WaitingFor: p.WaitingFor}
		if p.Space != nil {
			ps.ASID, ps.CR3, ps.Regions = p.Space.ASID, p.Space.CR3(), regionStates(p.Space)
		}
		out = append(out, ps)
	}
	return out
}

// regionStates returns the regions of as.
func regionStates(as *vm.AddressSpace) []RegionState {
	var out []RegionState
	for _, r := range as.Regions {
		rs := RegionState{Name: r.Name, Start: r.Start, End: r.End, Origin: r.Origin, Floor: r.Floor, Prot: r.Prot}
		if r.Object != nil {
			rs.Object = r.Object.Name
		}
		out = append(out, rs)
	}
	return out
}

// pidOf returns p's pid, 0 for nil.
func pidOf(p *kernel.Process) int {
	if p == nil {
		return 0
	}
	return p.PID
}

// diskRequests returns the disk's queue.
func diskRequests(d *dev.Disk) []DiskRequest {
	var out []DiskRequest
	for _, r := range d.Pending() {
		dr := DiskRequest{Op: r.Op, Offset: r.Offset, Len: r.Len(), Tag: r.Tag}
		if r.Store != nil {
			dr.Store = r.Store.Name()
		}
		out = append(out, dr)
	}
	return out
}

// Diff returns the first difference between m and o, as the path of the
// field and both values ("CPU.R[3]: 0x5, then 0x7" reads: m has 5, o has
// 7), or "" if the states are equal.
func (m MachineState) Diff(o MachineState) string {
	return diffValues("", reflect.ValueOf(m), reflect.ValueOf(o))
}

// diffValues returns the first difference between a and b, two values of
// one type found at path, or "".
func diffValues(path string, a, b reflect.Value) string {
	switch a.Kind() {
	case reflect.Struct:
		for i := 0; i < a.NumField(); i++ {
			if d := diffValues(path+"."+a.Type().Field(i).Name, a.Field(i), b.Field(i)); d != "" {
				return d
			}
		}
		return ""
	case reflect.Slice, reflect.Array:
		return diffElements(path, a, b)
	}
	if !a.Equal(b) {
		return fmt.Sprintf("%s: %#v, then %#v", path[1:], a, b)
	}
	return ""
}

// diffElements returns the first difference between two slices or
// arrays: of an element, or of the lengths.
func diffElements(path string, a, b reflect.Value) string {
	for i := 0; i < a.Len() && i < b.Len(); i++ {
		if d := diffValues(fmt.Sprintf("%s[%d]", path, i), a.Index(i), b.Index(i)); d != "" {
			return d
		}
	}
	if a.Len() != b.Len() {
		return fmt.Sprintf("%s: %d entries, then %d", path[1:], a.Len(), b.Len())
	}
	return ""
}
