// Package grade is toyvm's autograder: `toyvm grade NAME [DIR]` builds
// a student's tree, runs the kit's tests on it, each with its points and
// a time limit, and reports the score as a table and, for Gradescope, as
// results.json (docs/teaching.md).
//
// The grader trusts only its own copies: the kit's manifest and public
// tests are embedded in toyvm (package kits), and are put over the
// student's own before anything runs; hidden tests come from a folder
// the course staff keep. The student's tree is copied to a work folder
// first: grading never changes it.
//
// Files:
//
//   - grade.go: Run: copy, overlay, compile each package's tests once,
//     run each graded test alone with its time limit.
//   - failure.go: the first line of a failing test's output that says why.
//   - report.go: the table and the Gradescope results.json.
package grade
