package dev

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"toyvm/isa"
)

// takeInterrupt advances the clock to the next event and pops it, as the
// CPU does when it takes an interrupt. It fails the test if none is
// pending.
func takeInterrupt(t *testing.T, clk *Clock) Event {
	t.Helper()
	clk.AdvanceTo(clk.Next())
	ev, ok := clk.PopDue()
	require.True(t, ok, "no event pending")
	return ev
}

// pageStore returns a swap store of four pages whose page i is filled
// with byte i+1.
func pageStore(t *testing.T) *MemStore {
	t.Helper()
	s := NewMemStore("swap", 4*BlockSize)
	for i := range 4 {
		_, err := s.WriteAt(bytes.Repeat([]byte{byte(i + 1)}, BlockSize), int64(i)*BlockSize)
		require.NoError(t, err)
	}
	return s
}

func TestReadCompletesAfterExactlyTheLatencyWithADiskInterrupt(t *testing.T) {
	clk := NewClock()
	clk.Advance(1000)
	d := NewDisk(clk, 500)
	tag := d.Submit(&Request{Op: Read, Store: pageStore(t), Bufs: [][]byte{make([]byte, BlockSize)}})

	assert.Equal(t, uint32(1), tag)
	assert.Equal(t, uint64(500), d.Latency())
	assert.True(t, d.Busy())
	assert.Equal(t, uint64(1500), clk.Next())
	clk.Advance(499)
	_, ok := clk.PopDue()
	assert.False(t, ok, "not due one cycle early")

	clk.Advance(1)
	ev, ok := clk.PopDue()
	require.True(t, ok)
	assert.Equal(t, Event{At: 1500, Cause: isa.Disk, Tag: tag}, ev)
}

func TestDataMovesOnlyWhenTheKernelCompletesTheRequest(t *testing.T) {
	clk := NewClock()
	d := NewDisk(clk, 100)
	frame := make([]byte, BlockSize)
	tag := d.Submit(&Request{Op: Read, Store: pageStore(t), Offset: 2 * BlockSize, Bufs: [][]byte{frame}})

	takeInterrupt(t, clk)
	assert.Equal(t, make([]byte, BlockSize), frame, "untouched until Complete")

	r, ok := d.Complete(tag)
	require.True(t, ok)
	assert.NoError(t, r.Err)
	assert.Equal(t, bytes.Repeat([]byte{3}, BlockSize), frame)
	assert.False(t, d.Busy())
}

func TestBackToBackRequestsCompleteOneLatencyApartInSubmissionOrder(t *testing.T) {
	clk := NewClock()
	d := NewDisk(clk, 100)
	s := pageStore(t)
	for i := range 3 {
		d.Submit(&Request{Op: Read, Store: s, Offset: int64(i) * BlockSize, Bufs: [][]byte{make([]byte, 8)}, Owner: i})
	}
	require.Len(t, d.Pending(), 3)
	require.Len(t, clk.Pending(), 1, "only the request in service has an interrupt pending")

	var at []uint64
	var owners []any
	for d.Busy() {
		ev := takeInterrupt(t, clk)
		r, ok := d.Complete(ev.Tag)
		require.True(t, ok)
		at = append(at, ev.At)
		owners = append(owners, r.Owner)
	}
	assert.Equal(t, []uint64{100, 200, 300}, at)
	assert.Equal(t, []any{0, 1, 2}, owners)
}

func TestNextRequestStartsWhenThePreviousCompletedNotWhenTheKernelNoticed(t *testing.T) {
	clk := NewClock()
	d := NewDisk(clk, 100)
	s := pageStore(t)
	first := d.Submit(&Request{Op: Read, Store: s, Bufs: [][]byte{make([]byte, 8)}})
	d.Submit(&Request{Op: Read, Store: s, Bufs: [][]byte{make([]byte, 8)}})

	clk.AdvanceTo(130) // the CPU finished a long instruction first
	_, ok := clk.PopDue()
	require.True(t, ok)
	_, ok = d.Complete(first)
	require.True(t, ok)
	assert.Equal(t, uint64(200), clk.Next())
}

func TestWriteThenReadOfTheSameOffsetRoundTrips(t *testing.T) {
	clk := NewClock()
	d := NewDisk(clk, 10)
	s := NewMemStore("swap", 16*BlockSize)
	out := bytes.Repeat([]byte("page"), BlockSize/4)
	in := make([]byte, BlockSize)
	d.Submit(&Request{Op: Write, Store: s, Offset: 5 * BlockSize, Bufs: [][]byte{out}})
	d.Submit(&Request{Op: Read, Store: s, Offset: 5 * BlockSize, Bufs: [][]byte{in}})

	for d.Busy() {
		r, ok := d.Complete(takeInterrupt(t, clk).Tag)
		require.True(t, ok)
		require.NoError(t, r.Err)
	}
	assert.Equal(t, out, in)
}

func TestScatterListIsFilledInOrderFromTheOffset(t *testing.T) {
	clk := NewClock()
	d := NewDisk(clk, 10)
	s := NewMemStore("file", BlockSize)
	_, err := s.WriteAt([]byte("0123456789"), 100)
	require.NoError(t, err)
	a, b, c := make([]byte, 3), make([]byte, 0), make([]byte, 5)
	d.Submit(&Request{Op: Read, Store: s, Offset: 101, Bufs: [][]byte{a, b, c}})

	_, ok := d.Complete(takeInterrupt(t, clk).Tag)
	require.True(t, ok)
	assert.Equal(t, "123", string(a))
	assert.Equal(t, "45678", string(c))
}

func TestGatherListIsWrittenBackToBackFromTheOffset(t *testing.T) {
	clk := NewClock()
	d := NewDisk(clk, 10)
	s := NewMemStore("swap", BlockSize)
	d.Submit(&Request{Op: Write, Store: s, Offset: 7, Bufs: [][]byte{[]byte("ab"), []byte("cde")}})
	_, ok := d.Complete(takeInterrupt(t, clk).Tag)
	require.True(t, ok)

	got := make([]byte, 6)
	_, err := s.ReadAt(got, 6)
	require.NoError(t, err)
	assert.Equal(t, []byte("\x00abcde"), got)
}

func TestReadPastTheEndOfAFileGivesZeros(t *testing.T) {
	path := filepath.Join(t.TempDir(), "short")
	require.NoError(t, os.WriteFile(path, []byte("tail"), 0o644))
	f, err := OpenFileStore(path, false)
	require.NoError(t, err)
	defer f.Close()

	clk := NewClock()
	d := NewDisk(clk, 10)
	frame := bytes.Repeat([]byte{0xee}, BlockSize)
	d.Submit(&Request{Op: Read, Store: f, Bufs: [][]byte{frame}})
	r, ok := d.Complete(takeInterrupt(t, clk).Tag)
	require.True(t, ok)
	require.NoError(t, r.Err)
	assert.Equal(t, "tail", string(frame[:4]))
	assert.Equal(t, make([]byte, BlockSize-4), frame[4:])
}

// failingStore is a Store whose every access fails, like a host file that
// has gone away.
type failingStore struct{}

var errGone = errors.New("device gone")

func (failingStore) ReadAt(p []byte, off int64) (int, error)  { return 0, errGone }
func (failingStore) WriteAt(p []byte, off int64) (int, error) { return 0, errGone }
func (failingStore) Size() int64                              { return 1 << 20 }
func (failingStore) Name() string                             { return "gone" }

func TestFailingStoreRecordsTheErrorInTheRequest(t *testing.T) {
	clk := NewClock()
	d := NewDisk(clk, 10)
	d.Submit(&Request{Op: Read, Store: failingStore{}, Offset: 4096, Bufs: [][]byte{make([]byte, 16)}})
	r, ok := d.Complete(takeInterrupt(t, clk).Tag)
	require.True(t, ok)
	assert.ErrorIs(t, r.Err, errGone)
	assert.EqualError(t, r.Err, "disk read gone at 4096: device gone")
	assert.Equal(t, uint64(1), d.Stats().Errors)
}

// shortStore is a Store that moves one byte less than asked and says
// nothing, breaking the io.ReaderAt and io.WriterAt contracts.
type shortStore struct{}

func (shortStore) ReadAt(p []byte, off int64) (int, error)  { return len(p) - 1, nil }
func (shortStore) WriteAt(p []byte, off int64) (int, error) { return len(p) - 1, nil }
func (shortStore) Size() int64                              { return 1 << 20 }
func (shortStore) Name() string                             { return "short" }

func TestSilentShortTransfersAreRecordedAsErrors(t *testing.T) {
	clk := NewClock()
	d := NewDisk(clk, 10)
	d.Submit(&Request{Op: Read, Store: shortStore{}, Bufs: [][]byte{make([]byte, 16)}})
	d.Submit(&Request{Op: Write, Store: shortStore{}, Bufs: [][]byte{make([]byte, 16)}})
	r, _ := d.Complete(takeInterrupt(t, clk).Tag)
	assert.ErrorIs(t, r.Err, io.ErrUnexpectedEOF)
	r, _ = d.Complete(takeInterrupt(t, clk).Tag)
	assert.ErrorIs(t, r.Err, io.ErrShortWrite)
}

func TestWritePastTheEndOfSwapRecordsTheError(t *testing.T) {
	clk := NewClock()
	d := NewDisk(clk, 10)
	d.Submit(&Request{Op: Write, Store: NewMemStore("swap", BlockSize), Offset: BlockSize, Bufs: [][]byte{make([]byte, 16)}})
	r, ok := d.Complete(takeInterrupt(t, clk).Tag)
	require.True(t, ok)
	assert.ErrorIs(t, r.Err, ErrPastEnd)
}

func TestCompleteOfAnUnknownTagReturnsFalseAndChangesNothing(t *testing.T) {
	clk := NewClock()
	d := NewDisk(clk, 10)
	_, ok := d.Complete(1)
	assert.False(t, ok, "idle disk")

	tag := d.Submit(&Request{Op: Read, Store: pageStore(t), Bufs: [][]byte{make([]byte, 8)}})
	_, ok = d.Complete(tag + 1)
	assert.False(t, ok)
	assert.True(t, d.Busy())
	assert.Equal(t, DiskStats{Requests: 1}, d.Stats(), "nothing moved")
}

func TestCompleteBeforeTheLatencyHasPassedReturnsFalse(t *testing.T) {
	clk := NewClock()
	d := NewDisk(clk, 10)
	tag := d.Submit(&Request{Op: Read, Store: pageStore(t), Bufs: [][]byte{make([]byte, 8)}})
	clk.Advance(9)
	_, ok := d.Complete(tag)
	assert.False(t, ok)
	clk.Advance(1)
	_, ok = d.Complete(tag)
	assert.True(t, ok)
	assert.Empty(t, clk.Pending(), "completing removes the interrupt if it was not taken")
}

func TestTagsIncreaseFromOneAndSubmitClearsAnOldError(t *testing.T) {
	d := NewDisk(NewClock(), 10)
	r := &Request{Op: Read, Store: pageStore(t), Err: errGone}
	assert.Equal(t, uint32(1), d.Submit(r))
	assert.NoError(t, r.Err)
	assert.Equal(t, uint32(2), d.Submit(&Request{Op: Write, Store: pageStore(t)}))
}

func TestSubmitOfARequestWithoutAStorePanics(t *testing.T) {
	d := NewDisk(NewClock(), 10)
	assert.PanicsWithValue(t, "dev.Disk.Submit: bad request (op read, store <nil>)", func() {
		d.Submit(&Request{Op: Read})
	})
}

func TestStatsCountRequestsDirectionsAndBytes(t *testing.T) {
	clk := NewClock()
	d := NewDisk(clk, 10)
	s := NewMemStore("swap", 4*BlockSize)
	d.Submit(&Request{Op: Write, Store: s, Bufs: [][]byte{make([]byte, BlockSize)}})
	d.Submit(&Request{Op: Read, Store: s, Bufs: [][]byte{make([]byte, 100), make([]byte, 28)}})
	d.Submit(&Request{Op: Read, Store: s, Bufs: [][]byte{make([]byte, 8)}})
	assert.Equal(t, uint64(3), d.Stats().Requests)

	for d.Busy() {
		_, ok := d.Complete(takeInterrupt(t, clk).Tag)
		require.True(t, ok)
	}
	assert.Equal(t, DiskStats{Requests: 3, Reads: 2, Writes: 1, BytesRead: 136, BytesWritten: BlockSize}, d.Stats())
}

func TestRequestStringNamesOpStoreOffsetLengthAndTag(t *testing.T) {
	r := &Request{Op: Read, Store: NewMemStore("swap", 0), Offset: 0x3000, Bufs: [][]byte{make([]byte, BlockSize)}, Tag: 2}
	assert.Equal(t, "read swap@0x3000+4096 tag 2", r.String())
	assert.Equal(t, "write", Write.String())
	assert.Equal(t, "Op(9)", Op(9).String())
}

// Example: the kernel reads page 1 of the swap area into a frame. The
// process that faulted sleeps; when the CPU takes the DISK interrupt, the
// kernel completes the request and the data is in the frame.
func ExampleDisk() {
	clock := NewClock()
	disk := NewDisk(clock, 2000)
	swap := NewMemStore("swap", 64*BlockSize)
	swap.WriteAt([]byte("saved page"), 1*BlockSize) // written out earlier

	frame := make([]byte, BlockSize) // in toyvm: phys.Frame(n)
	tag := disk.Submit(&Request{Op: Read, Store: swap, Offset: 1 * BlockSize, Bufs: [][]byte{frame}})
	fmt.Printf("submitted tag %d at cycle %d, frame starts %q\n", tag, clock.Now(), frame[:10])

	clock.AdvanceTo(clock.Next()) // other processes run meanwhile
	ev, _ := clock.PopDue()       // the CPU takes the interrupt
	req, _ := disk.Complete(ev.Tag)
	fmt.Printf("%s at cycle %d: %s, frame starts %q\n", ev.Cause, clock.Now(), req, frame[:10])
	// Output:
	// submitted tag 1 at cycle 0, frame starts "\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"
	// DISK at cycle 2000: read swap@0x1000+4096 tag 1, frame starts "saved page"
}

func BenchmarkDiskPageRoundTrip(b *testing.B) {
	clk := NewClock()
	d := NewDisk(clk, 100)
	swap := NewMemStore("swap", 16*BlockSize)
	swap.WriteAt(make([]byte, BlockSize), 3*BlockSize)
	r := &Request{Op: Read, Store: swap, Offset: 3 * BlockSize, Bufs: [][]byte{make([]byte, BlockSize)}}
	b.ReportAllocs()
	for b.Loop() {
		tag := d.Submit(r)
		clk.AdvanceTo(clk.Next())
		clk.PopDue()
		if _, ok := d.Complete(tag); !ok {
			b.Fatal("not completed")
		}
	}
}

func TestADiskWithFaultsFailsTransfersWithErrMediaMovingNothing(t *testing.T) {
	clk := NewClock()
	d := NewDisk(clk, 10)
	d.SetFaults(1, 7)
	buf := make([]byte, BlockSize)
	store := pageStore(t)
	r := &Request{Op: Read, Store: store, Offset: BlockSize, Bufs: [][]byte{buf}}
	for try := 1; try <= 3; try++ {
		tag := d.Submit(r)
		assert.Equal(t, try, r.Tries, "Submit counts the tries")
		takeInterrupt(t, clk)
		done, ok := d.Complete(tag)
		require.True(t, ok)
		assert.ErrorIs(t, done.Err, ErrMedia)
		assert.Equal(t, make([]byte, BlockSize), buf, "nothing read")
	}
	w := &Request{Op: Write, Store: store, Bufs: [][]byte{bytes.Repeat([]byte{9}, BlockSize)}}
	tag := d.Submit(w)
	takeInterrupt(t, clk)
	d.Complete(tag)
	assert.ErrorIs(t, w.Err, ErrMedia)
	got := make([]byte, 1)
	_, err := store.ReadAt(got, 0)
	require.NoError(t, err)
	assert.Equal(t, []byte{1}, got, "nothing written")
	assert.Equal(t, DiskStats{Requests: 4, Reads: 3, Writes: 1, Errors: 4}, d.Stats())
}

func TestTheSameSeedFailsTheSameTransfers(t *testing.T) {
	pattern := func(seed uint64) []bool {
		clk := NewClock()
		d := NewDisk(clk, 1)
		d.SetFaults(0.5, seed)
		var out []bool
		for range 64 {
			r := &Request{Op: Read, Store: NewMemStore("s", BlockSize), Bufs: [][]byte{make([]byte, 8)}}
			tag := d.Submit(r)
			takeInterrupt(t, clk)
			d.Complete(tag)
			out = append(out, r.Err != nil)
		}
		return out
	}
	assert.Equal(t, pattern(3), pattern(3))
	assert.NotEqual(t, pattern(3), pattern(4))
	assert.Contains(t, pattern(3), true)
	assert.Contains(t, pattern(3), false)
}
