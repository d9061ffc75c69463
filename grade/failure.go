package grade

import (
	"regexp"
	"strings"
)

// firstFailure returns the line of a failed test's output that says why:
// a panic's message, testify's "Error:" with its first detail and its
// message, or the first line the test logged after "--- FAIL".
func firstFailure(out string) string {
	lines := strings.Split(out, "\n")
	if why := panicLine(lines); why != "" {
		return why
	}
	if why := testifyError(lines); why != "" {
		return why
	}
	for i, l := range lines {
		if strings.HasPrefix(strings.TrimSpace(l), "--- FAIL") && i+1 < len(lines) {
			if next := strings.TrimSpace(lines[i+1]); next != "" {
				return next
			}
		}
	}
	return firstNonEmpty(lines, "the test failed")
}

// panicLine returns "panic: ..." from the output, "" if none.
func panicLine(lines []string) string {
	for _, l := range lines {
		if strings.HasPrefix(l, "panic: ") {
			return strings.TrimSuffix(strings.TrimSuffix(l, " [recovered]"), " [recovered, repanicked]")
		}
	}
	return ""
}

// testifyField matches a field of testify's failure report.
var testifyField = regexp.MustCompile(`^\s*(Error Trace|Error|Test|Messages):\s*(.*)$`)

// testifyError returns testify's report of the first failed assertion in
// one line: where, what, the first detail, and the message.
func testifyError(lines []string) string {
	var where, what, detail, msg string
	for i := 0; i < len(lines); i++ {
		m := testifyField.FindStringSubmatch(lines[i])
		if m == nil {
			continue
		}
		switch m[1] {
		case "Error Trace":
			if where != "" {
				return join(where, what, detail, msg)
			}
			where = lastField(m[2])
		case "Error":
			what = strings.TrimSpace(m[2])
			if i+1 < len(lines) && testifyField.FindStringSubmatch(lines[i+1]) == nil {
				detail = strings.TrimSpace(lines[i+1])
			}
		case "Messages":
			msg = strings.TrimSpace(m[2])
		}
	}
	if what == "" {
		return ""
	}
	return join(where, what, detail, msg)
}

// lastField returns the last of the file:line places of an error trace.
func lastField(trace string) string {
	f := strings.Fields(trace)
	if len(f) == 0 {
		return ""
	}
	return f[len(f)-1]
}

// join puts the parts of a report on one line, leaving out empty ones.
func join(where, what, detail, msg string) string {
	var parts []string
	for _, p := range []string{where, what, detail, msg} {
		if p != "" {
			parts = append(parts, p)
		}
	}
	return strings.Join(parts, " ")
}

// firstBuildError returns the first compiler error of go build's output.
func firstBuildError(out string) string {
	for _, l := range strings.Split(out, "\n") {
		if strings.Contains(l, ".go:") {
			return strings.TrimSpace(l)
		}
	}
	return firstNonEmpty(strings.Split(out, "\n"), "the build failed")
}

// firstNonEmpty returns the first line that is not blank, or dflt.
func firstNonEmpty(lines []string, dflt string) string {
	for _, l := range lines {
		if l = strings.TrimSpace(l); l != "" && !strings.HasPrefix(l, "=== RUN") {
			return l
		}
	}
	return dflt
}
