package mmu

import (
	"fmt"

	"toyvm/isa"
)

// Fault describes a failed translation: the cause (INVALID, PROTECTION,
// NOT_PRESENT or TLB_MISS), the access, the virtual address and whether
// the access was made in user mode.
type Fault struct {
	Cause  isa.Cause
	Access isa.Access
	Addr   VAddr
	User   bool
}

// Error returns e.g. "PROTECTION fault: user write at 0x00001000".
func (f *Fault) Error() string {
	return fmt.Sprintf("%v fault: %s %v at %v", f.Cause, modeName(f.User), f.Access, f.Addr)
}

// modeName returns "user" or "supervisor".
func modeName(user bool) string {
	if user {
		return "user"
	}
	return "supervisor"
}
