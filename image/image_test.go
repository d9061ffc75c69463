package image

import (
	"encoding/binary"
	"os"
	"regexp"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var offsetError = regexp.MustCompile(`^image: offset \d+: \S`)

// unchecked encodes img without MarshalBinary's layout checks, to build
// corrupt images.
func unchecked(img *Image) []byte {
	w := &writer{}
	w.bytes([]byte(imageMagic))
	w.u32(imageVersion)
	w.u32(img.Entry)
	w.segments(img.Segments)
	w.symbols(img.Symbols)
	w.lines(img.Lines)
	return w.out
}

// tiny is a one-instruction image; its layout is fixed so that the
// corruption tests can name offsets: the segment record starts at 16,
// its address at 22, its size at 26, its perm at 30, its data length at
// 31 and its one data byte at 35; the symbol count is at 36.
func tiny() *Image {
	return &Image{Entry: 0x1000,
		Segments: []Segment{{Name: "text", Addr: 0x1000, Size: 1, Perm: PermR | PermX, Data: []byte{0x01}}},
		Symbols:  []Symbol{{Name: "start", Value: 0x1000, Kind: SymLabel}},
		Lines:    []Line{{Addr: 0x1000, File: "t.s", Line: 1, Col: 8}},
	}
}

// sampleImage is asm/testdata/sample.s as toyvm asm writes it (a test
// of package asm keeps the two the same).
func sampleImage(t *testing.T) *Image {
	t.Helper()
	b, err := os.ReadFile("testdata/sample.img")
	require.NoError(t, err)
	img, err := Load(b)
	require.NoError(t, err)
	return img
}

// empty is the image of an empty program: an empty text segment.
func empty() *Image {
	return &Image{Entry: 0x1000, Segments: []Segment{{Name: "text", Addr: 0x1000, Perm: PermR | PermX}}}
}

func TestImageRoundTripsThroughMarshalBinaryAndLoad(t *testing.T) {
	for _, img := range []*Image{sampleImage(t), tiny(), empty()} {
		b, err := img.MarshalBinary()
		require.NoError(t, err)
		got, err := Load(b)
		require.NoError(t, err)
		assert.Equal(t, img, got)
	}
}

func TestLoadRefusesEveryTruncationNamingAnOffset(t *testing.T) {
	b, err := sampleImage(t).MarshalBinary()
	require.NoError(t, err)
	for n := 0; n < len(b); n++ {
		img, err := Load(b[:n])
		require.Error(t, err, "cut at %d", n)
		assert.Nil(t, img)
		assert.Regexp(t, offsetError, err.Error(), "cut at %d", n)
	}
}

func TestLoadRefusesCorruptImagesNamingTheOffset(t *testing.T) {
	put32 := func(off int, v uint32) func(b []byte) []byte {
		return func(b []byte) []byte { binary.LittleEndian.PutUint32(b[off:], v); return b }
	}
	cases := []struct {
		name    string
		corrupt func(b []byte) []byte
		want    string
	}{
		{"foreign", func(b []byte) []byte { return []byte("\x7fELF\x01\x01\x01\x00") }, `image: offset 0: not a toyvm image (it starts with "\x7fELF", not "TVMI")`},
		{"version", put32(4, 2), "image: offset 4: image version 2 is not supported (this toyvm reads version 1)"},
		{"segment count", put32(12, 4000000), "image: offset 12: segment count 4000000 exceeds the file"},
		{"name length", func(b []byte) []byte { b[16], b[17] = 0xff, 0xff; return b }, "image: offset 16: segment name length 65535 runs past the end of the file"},
		{"data beyond size", put32(31, 2), "image: offset 31: segment data length 2 exceeds the segment size 1"},
		{"data beyond file", func(b []byte) []byte { put32(26, 1<<20)(b); return put32(31, 1<<20)(b) }, "image: offset 31: segment data length 1048576 runs past the end of the file"},
		{"page zero", put32(22, 0), "image: offset 16: segment 0 [0x00000000, 0x00000001) lies outside the user space"},
		{"kernel space", put32(22, 0x80000000), "image: offset 16: segment 0 [0x80000000, 0x80000001) lies outside the user space"},
		{"wraps", put32(26, 0xffffffff), "image: offset 16: segment 0 [0x00001000, 0x100000fff) lies outside the user space"},
		{"perm", func(b []byte) []byte { b[30] = 0x80; return b }, "image: offset 16: segment 0 has unknown permission bits 0x80"},
		{"entry", put32(8, 0x2000), "image: offset 8: entry 0x00002000 is not inside an executable segment"},
		{"symbol count", put32(36, 1<<30), "image: offset 36: symbol count 1073741824 exceeds the file"},
		{"trailing", func(b []byte) []byte { return append(b, 0) }, "trailing garbage"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			b, err := tiny().MarshalBinary()
			require.NoError(t, err)
			_, err = Load(c.corrupt(b))
			require.Error(t, err)
			assert.Regexp(t, offsetError, err.Error())
			assert.Contains(t, err.Error(), c.want)
		})
	}
}

func TestLoadRefusesBadLayoutsThatMarshalBinaryRefusesToWrite(t *testing.T) {
	overlap := tiny()
	overlap.Segments = append(overlap.Segments, Segment{Name: "data", Addr: 0x1000, Size: 4, Perm: PermR | PermW})
	noText := tiny()
	noText.Segments[0].Perm = PermR | PermW
	badFile := tiny()
	for _, c := range []struct {
		img  *Image
		want string
	}{
		{overlap, "segment 1 at 0x00001000 overlaps or precedes the segment before it"},
		{noText, "entry 0x00001000 is not inside an executable segment"},
	} {
		_, err := c.img.MarshalBinary()
		assert.ErrorContains(t, err, c.want)
		_, err = Load(unchecked(c.img))
		assert.ErrorContains(t, err, c.want)
		assert.Regexp(t, offsetError, err.Error())
	}
	b := unchecked(badFile)
	binary.LittleEndian.PutUint32(b[len(b)-12:], 7)
	_, err := Load(b)
	assert.EqualError(t, err, "image: offset 69: line entry names file 7, but there are 1 files")
}

func TestPermPrintsLikeLs(t *testing.T) {
	assert.Equal(t, "r-x", (PermR | PermX).String())
	assert.Equal(t, "rw-", (PermR | PermW).String())
	assert.Equal(t, "---", Perm(0).String())
	assert.Equal(t, "equ", SymEqu.String())
}

func FuzzLoad(f *testing.F) {
	b, err := os.ReadFile("testdata/sample.img")
	require.NoError(f, err)
	f.Add(b)
	tb, _ := tiny().MarshalBinary()
	f.Add(tb)
	f.Add(tb[:20])
	f.Fuzz(func(t *testing.T, data []byte) {
		img, err := Load(data)
		if err != nil {
			require.Regexp(t, offsetError, err.Error())
			return
		}
		again, err := img.MarshalBinary()
		require.NoError(t, err)
		back, err := Load(again)
		require.NoError(t, err)
		require.Equal(t, img, back)
	})
}

func TestLabelNamesTheNearestLabelAtOrBelowAnAddressInItsSegment(t *testing.T) {
	img := &Image{Entry: 0x1000,
		Segments: []Segment{{Name: "text", Addr: 0x1000, Size: 8, Perm: PermR | PermX},
			{Name: "data", Addr: 0x2000, Size: 4, Perm: PermR | PermW}},
		Symbols: []Symbol{{Name: "start", Value: 0x1000, Kind: SymLabel}, {Name: "n", Value: 0x1004, Kind: SymEqu},
			{Name: "loop", Value: 0x1004, Kind: SymLabel}, {Name: "end", Value: 0x1008, Kind: SymLabel},
			{Name: "msg", Value: 0x2000, Kind: SymLabel}}}
	for addr, want := range map[uint32]string{0x1000: "start", 0x1003: "start+3", 0x1004: "loop",
		0x1007: "loop+3", 0x1008: "end", 0x2002: "msg+2", 0x0fff: "", 0x3000: ""} {
		assert.Equal(t, want, img.Label(addr), "%#x", addr)
	}
}

func TestHasMagicRecognisesImagesByTheirFirstFourBytes(t *testing.T) {
	img := &Image{Entry: 0x1000, Segments: []Segment{{Name: "text", Addr: 0x1000, Size: 1, Perm: PermR | PermX, Data: []byte{1}}}}
	b, err := img.MarshalBinary()
	require.NoError(t, err)
	assert.True(t, HasMagic(b))
	assert.True(t, HasMagic([]byte("TVMI")))
	assert.False(t, HasMagic([]byte("TVM")))
	assert.False(t, HasMagic([]byte("start: nop\n")))
	assert.False(t, HasMagic(nil))
}
