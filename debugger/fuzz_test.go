package debugger

import (
	"testing"
)

// FuzzCommandLine feeds random command lines to a session: whatever a
// user types, the debugger must not panic.
func FuzzCommandLine(f *testing.F) {
	for _, seed := range []string{"step 3", "x sp 4", "pt msg+4", "break start+1", "set r1 = -1",
		"xp 0xfffffffc 2", "disasm 0 3", "list 9999", "watch 0", "catch exit", "backstep 2",
		"frames all", "info faults", "until", "finish", "next", "set pc = 0", "run", "help x",
		"up", "down 2", "frame 1", "info frame", "rc", "rn", "reverse-finish", "catch syscall write",
		"x sp 2 pid 1", "pt 0 pid 2", "p 'a'"} {
		f.Add(seed)
	}
	s, _ := newSession(f, "hello.s")
	f.Fuzz(func(t *testing.T, line string) {
		s.Exec(line)
		s.Exec("step")
	})
}
