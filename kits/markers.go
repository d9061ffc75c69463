package kits

import (
	"fmt"
	"regexp"
	"strings"
)

// The reference code a kit removes is marked in the tree by region:
//
//	func (c *Clock) Insert(p Page) {
//		// kit:policy begin
//		c.ring.insert(p)
//		// kit:policy end
//	}
//
// "begin" marks the body of a function a student writes: the export
// replaces the lines up to "end" with a stub that compiles and fails,
// panic("not implemented: see kits/policy/README.md"). "cut" marks lines
// the export leaves out altogether (a line of a table the student adds,
// in Go or, with ";" for "//", in assembly). The marker lines of every
// kit are left out of every export, so the student's tree shows no
// trace of the regions.

// markerLine matches a marker: its comment, the kit's name and the word.
var markerLine = regexp.MustCompile(`^\s*(//|;) kit:([a-z0-9]+) (begin|cut|end)\s*$`)

// Region is one marked region of a file: where it starts (the marker's
// line, from 1), how it is treated, and the function it lies in, for
// Go code.
type Region struct {
	File     string
	Line     int
	Cut      bool
	Function string
}

func (r Region) String() string {
	what := "stub"
	if r.Cut {
		what = "cut"
	}
	if r.Function != "" {
		return fmt.Sprintf("%s:%d: %s (%s)", r.File, r.Line, r.Function, what)
	}
	return fmt.Sprintf("%s:%d: (%s)", r.File, r.Line, what)
}

// marker is one parsed marker line.
type marker struct {
	kit, word string
}

// parseMarker returns the marker on line, if it is one.
func parseMarker(line string) (marker, bool) {
	m := markerLine.FindStringSubmatch(line)
	if m == nil {
		return marker{}, false
	}
	return marker{kit: m[2], word: m[3]}, true
}

// funcLine matches the line that starts a Go function, naming it.
var funcLine = regexp.MustCompile(`^func (\([^)]*\) )?([A-Za-z_][A-Za-z0-9_]*)`)

// strip returns src with kit's regions stubbed or cut and every marker
// line dropped, and the regions it found. It returns an error for a
// region that does not end, or a marker inside another kit's region.
func strip(file, src, kit string) (string, []Region, error) {
	var out []string
	var regions []Region
	var open *marker
	function := ""
	lines := strings.SplitAfter(src, "\n")
	for i, line := range lines {
		if m := funcLine.FindStringSubmatch(line); m != nil {
			function = strings.TrimSpace(m[1] + m[2])
		}
		mk, isMarker := parseMarker(line)
		switch {
		case !isMarker && (open == nil || open.kit != kit):
			out = append(out, line)
		case !isMarker: // inside kit's region: dropped
		case mk.word == "end" && open != nil && open.kit == mk.kit:
			open = nil
		case mk.word != "end" && open == nil:
			open = &mk
			if mk.kit == kit {
				regions = append(regions, Region{File: file, Line: i + 1, Cut: mk.word == "cut", Function: function})
				if mk.word == "begin" {
					out = append(out, stubLine(line, kit))
				}
			}
		default:
			return "", nil, fmt.Errorf("%s:%d: marker %q does not close the region opened before it", file, i+1, strings.TrimSpace(line))
		}
	}
	if open != nil {
		return "", nil, fmt.Errorf("%s: the region of kit %q is not closed by a kit:%s end line", file, open.kit, open.kit)
	}
	return strings.Join(out, ""), regions, nil
}

// stubLine returns the stub that replaces a region opened by marker line
// begin, indented as it is.
func stubLine(begin, kit string) string {
	indent := begin[:len(begin)-len(strings.TrimLeft(begin, " \t"))]
	return fmt.Sprintf("%spanic(\"not implemented: see kits/%s/README.md\")\n", indent, kit)
}
