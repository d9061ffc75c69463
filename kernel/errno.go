package kernel

// Error results of system calls (docs/isa.md section 10): negative errno
// values returned in r0.
const (
	ENOENT = -2
	EIO    = -5 // toyvm's addition: the host could not read or write
	EBADF  = -9
	ECHILD = -10
	EAGAIN = -11
	ENOMEM = -12
	EACCES = -13
	EFAULT = -14
	EEXIST = -17
	EINVAL = -22
	ENOSYS = -38
	ESTALE = -116 // a capability whose grant has ended (freed or revoked)
	EDQUOT = -122 // toyvm's addition: the run's file quota is used up
)

// ErrnoInfo is one error result: its name, its value and what it means.
type ErrnoInfo struct {
	Name    string
	Value   int32
	Meaning string
}

// Errnos is every error result a system call can return.
var Errnos = []ErrnoInfo{
	{Name: "ENOENT", Value: ENOENT, Meaning: "no such file"},
	{Name: "EIO", Value: EIO, Meaning: "the host or the disk could not read or write"},
	{Name: "EBADF", Value: EBADF, Meaning: "not an open file descriptor (for this use)"},
	{Name: "ECHILD", Value: ECHILD, Meaning: "no such child"},
	{Name: "EAGAIN", Value: EAGAIN, Meaning: "a table is full: try again later"},
	{Name: "ENOMEM", Value: ENOMEM, Meaning: "out of memory or swap"},
	{Name: "EACCES", Value: EACCES, Meaning: "not allowed (a read-only root, another process's capability)"},
	{Name: "EFAULT", Value: EFAULT, Meaning: "a bad address"},
	{Name: "EEXIST", Value: EEXIST, Meaning: "it exists already"},
	{Name: "EINVAL", Value: EINVAL, Meaning: "a bad argument"},
	{Name: "ENOSYS", Value: ENOSYS, Meaning: "no such system call"},
	{Name: "ESTALE", Value: ESTALE, Meaning: "a stale capability: its frame was freed or revoked"},
	{Name: "EDQUOT", Value: EDQUOT, Meaning: "the run's file quota is used up"},
}

// ErrnoName returns the name of error result e ("EINVAL"), or "" if e is
// not one.
func ErrnoName(e int32) string {
	for _, info := range Errnos {
		if info.Value == e {
			return info.Name
		}
	}
	return ""
}
