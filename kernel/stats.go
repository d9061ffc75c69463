package kernel

import (
	"encoding/json"
	"fmt"
	"io"
	"reflect"
	"strings"
)

// Stats are the counters of a run, printed by --stats and written by
// --stats-json. The JSON keys are the required ones of `toyvm run --stats-json` and more.
type Stats struct {
	Instructions    uint64 `json:"instructions"`
	Cycles          uint64 `json:"cycles"`
	PageFaults      uint64 `json:"page_faults"`
	MajorFaults     uint64 `json:"major_faults"` // needed disk I/O
	MinorFaults     uint64 `json:"minor_faults"` // zero-fill, image fill, dirty-bit faults
	DirtyFaults     uint64 `json:"dirty_faults"` // first writes recorded under --dirty sw
	TLBHits         uint64 `json:"tlb_hits"`
	TLBMisses       uint64 `json:"tlb_misses"`
	TLBRefills      uint64 `json:"tlb_refills"` // entries written by the kernel under --tlb-refill sw
	TLBFlushes      uint64 `json:"tlb_flushes"`
	SwapIns         uint64 `json:"swap_ins"`
	SwapOuts        uint64 `json:"swap_outs"`
	ContextSwitches uint64 `json:"context_switches"`
	Processes       uint64 `json:"processes"`
	Syscalls        uint64 `json:"syscalls"`
	TimerInterrupts uint64 `json:"timer_interrupts"`
	Reclaims        uint64 `json:"reclaims"`          // minor faults served from the free pool
	SharedHits      uint64 `json:"shared_hits"`       // minor faults on a page another process had in memory
	ExtensionServed uint64 `json:"extension_served"`  // faults an extension (--ext) served instead of the VM system
	ReadAhead       uint64 `json:"read_ahead"`        // pages read ahead of any fault (the prefetch extension)
	PrefetchHits    uint64 `json:"prefetch_hits"`     // minor faults on a page read ahead
	ZeroedAhead     uint64 `json:"zeroed_ahead"`      // frames zeroed in the idle loop (the zeropool extension)
	Upcalls         uint64 `json:"upcalls"`           // faults handed to a process's library OS
	FramesGranted   uint64 `json:"frames_granted"`    // frames given to library OSes, with a capability
	Installs        uint64 `json:"installs"`          // translations a library OS installed
	CapChecks       uint64 `json:"cap_checks"`        // capabilities checked
	CapRefusals     uint64 `json:"cap_refusals"`      // ... and refused: forged, stale or another's
	RevokeRequests  uint64 `json:"revoke_requests"`   // library OSes asked to give a frame back
	FramesGivenBack uint64 `json:"frames_given_back"` // ... that did in time
	FramesRevoked   uint64 `json:"frames_revoked"`    // frames the kernel took back by force
	PagerFaults     uint64 `json:"pager_faults"`      // faults whose page was asked of a user-level pager
	PagerRequests   uint64 `json:"pager_requests"`    // page-ins and page-outs sent to user-level pagers
	PagerSupplies   uint64 `json:"pager_supplies"`    // pages a pager supplied
	Forks           uint64 `json:"forks"`
	Execs           uint64 `json:"execs"`
	COWCopies       uint64 `json:"cow_copies"`      // writes to a page shared copy-on-write that copied it
	COWReuses       uint64 `json:"cow_reuses"`      // ... that found it no longer shared, and made it writable
	FilePageIns     uint64 `json:"file_page_ins"`   // major faults that read a page of a mapped file
	FileWritebacks  uint64 `json:"file_writebacks"` // dirty pages of a file mapped shared written back to it
	Evictions       uint64 `json:"evictions"`       // pages the daemon took out of memory
	DaemonRuns      uint64 `json:"daemon_runs"`     // times the paging daemon ran
	DiskReads       uint64 `json:"disk_reads"`
	DiskWrites      uint64 `json:"disk_writes"`
	DiskRetries     uint64 `json:"disk_retries"`  // failed disk requests submitted again
	DiskFailures    uint64 `json:"disk_failures"` // requests given up after MaxDiskTries`
	IdleJumps       uint64 `json:"idle_jumps"`    // times the clock jumped to the next event, every process waiting
	Sleeps          uint64 `json:"sleeps"`
	LockSkips       uint64 `json:"lock_skips"` // victims passed over because a transfer or a system call had them locked
}

// withHardware returns s completed with the counters the CPU and the MMU
// keep.
func (s Stats) withHardware(k *Kernel) Stats {
	s.Instructions, s.Cycles = k.CPU.Instructions, k.Clock.Now()
	d := k.Disk.Stats()
	s.DiskReads, s.DiskWrites = d.Reads, d.Writes
	t := k.MMU.Stats()
	s.TLBHits, s.TLBMisses, s.TLBFlushes = t.Hits, t.Misses, t.Flushes
	return s
}

// WriteJSON writes the counters as one JSON object; it returns w's error.
func (s Stats) WriteJSON(w io.Writer) error {
	b, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		panic("kernel.Stats.WriteJSON: " + err.Error())
	}
	_, err = w.Write(append(b, '\n'))
	return err
}

// WriteText writes the counters as an aligned table, one per line, in the
// order of the JSON keys.
func (s Stats) WriteText(w io.Writer) {
	v := reflect.ValueOf(s)
	for i := 0; i < v.NumField(); i++ {
		key := strings.Split(v.Type().Field(i).Tag.Get("json"), ",")[0]
		fmt.Fprintf(w, "%-18s %d\n", key, v.Field(i).Uint())
	}
}
