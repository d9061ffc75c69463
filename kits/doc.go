// Package kits holds toyvm's course kits: assignments in which students
// write a part of the kernel, and the means to hand them out and grade
// them (docs/teaching.md).
//
// A kit is a folder kits/NAME/ with its assignment text (README.md), its
// manifest (kit.json: the graded tests, each with its package, name and
// points, and the per-test time limit), its public tests in
// testdata/public/ and its hidden tests in testdata/hidden/, each laid
// out as the tree is (testdata/public/kernel/policy/kit_policy_test.go
// belongs to kernel/policy). The reference code the kit removes is
// marked in the tree, by region (markers.go).
//
// Files:
//
//   - kit.go: the manifests and public tests, embedded, so that the
//     grader trusts its own copy; Load, Names.
//   - markers.go: the regions (kit:NAME begin / cut / end) and how an
//     export replaces them.
//   - export.go: Export, a complete, buildable tree for a student.
package kits
