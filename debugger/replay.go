package debugger

import "fmt"

// Backstep moves the machine n instructions back. This version
// re-executes: it boots a fresh machine from the same configuration and
// image and steps it, with the guest's output discarded, until it has
// retired n fewer instructions than the current one. The machine is
// deterministic, so it arrives in the very state it was in then. It
// returns an error, leaving the machine as it was, if fewer than n
// instructions have run.
func (s *Session) Backstep(n uint64) error {
	now := s.k.CPU.Instructions
	if n > now {
		return fmt.Errorf("only %d instructions have run", now)
	}
	s.guest.muted = true
	defer func() { s.guest.muted = false }()
	k, err := s.boot()
	if err != nil {
		return err
	}
	old := s.k
	s.k = k
	for s.k.CPU.Instructions < now-n && !s.k.Done() {
		if !s.stepInstruction() {
			s.k = old
			return fmt.Errorf("the replay made no progress")
		}
	}
	return s.k.Flush()
}
