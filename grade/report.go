package grade

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
)

// Score returns the points earned and the points there were.
func (r *Report) Score() (earned, possible int) {
	for _, res := range r.Results {
		earned += res.Score()
		possible += res.Test.Points
	}
	return earned, possible
}

// WriteTable writes the report as a table, a test a line (its name, its
// points, pass or fail and why), then the score.
func (r *Report) WriteTable(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "test\tpoints\tresult")
	for _, res := range r.Results {
		verdict := "pass"
		if !res.Passed {
			verdict = "FAIL  " + shorten(res.Why, maxWhy)
		}
		name := res.Test.Name
		if res.Test.Hidden {
			name += " (hidden)"
		}
		fmt.Fprintf(tw, "%s\t%d/%d\t%s\n", name, res.Score(), res.Test.Points, verdict)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	earned, possible := r.Score()
	_, err := fmt.Fprintf(w, "score: %d of %d points (%s kit)\n", earned, possible, r.Kit)
	return err
}

// maxWhy bounds the reason a table shows for a failure: results.json
// has it whole.
const maxWhy = 160

// shorten returns s cut to n runes, with "..." when it was longer.
func shorten(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n-3]) + "..."
	}
	return s
}

// gradescope is the results.json of a Gradescope autograder.
type gradescope struct {
	Score            int              `json:"score"`
	ExecutionTime    int              `json:"execution_time"`
	Output           string           `json:"output"`
	StdoutVisibility string           `json:"stdout_visibility"`
	Tests            []gradescopeTest `json:"tests"`
}

// gradescopeTest is one test of results.json.
type gradescopeTest struct {
	Name       string `json:"name"`
	Score      int    `json:"score"`
	MaxScore   int    `json:"max_score"`
	Status     string `json:"status"`
	Output     string `json:"output"`
	Visibility string `json:"visibility"`
}

// WriteGradescope writes the report as Gradescope's results.json: the
// score, each test with its score, status and output (a hidden test
// visible to the student only once the grades are published). Its
// execution_time is whole seconds, 0 when timed is false (for golden
// files).
func (r *Report) WriteGradescope(w io.Writer, timed bool) error {
	earned, possible := r.Score()
	out := gradescope{Score: earned, StdoutVisibility: "visible",
		Output: fmt.Sprintf("%s kit: %d of %d points", r.Kit, earned, possible)}
	if timed {
		out.ExecutionTime = int(r.Elapsed.Seconds())
	}
	for _, res := range r.Results {
		t := gradescopeTest{Name: res.Test.Name, Score: res.Score(), MaxScore: res.Test.Points,
			Status: "passed", Output: testOutput(res), Visibility: "visible"}
		if !res.Passed {
			t.Status = "failed"
		}
		if res.Test.Hidden {
			t.Visibility = "after_published"
		}
		out.Tests = append(out.Tests, t)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

// testOutput is what a test's entry says: why it failed, then the end of
// its output (at most 40 lines); nothing for a test that passed.
func testOutput(res Result) string {
	if res.Passed {
		return ""
	}
	lines := strings.Split(strings.TrimRight(res.Output, "\n"), "\n")
	if len(lines) > 40 {
		lines = append([]string{"..."}, lines[len(lines)-40:]...)
	}
	return res.Why + "\n\n" + strings.Join(lines, "\n")
}
