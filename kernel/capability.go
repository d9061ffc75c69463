package kernel

import (
	"fmt"

	"toyvm/kernel/vm"
)

// Frame capabilities, as an exokernel hands them to a library OS. A
// process that allocates a frame (frame_alloc, libos.go) receives a
// token naming it; every later use of the frame (install, free) shows
// the token, and the kernel checks it before it acts. A token is a
// 32-bit number a program keeps in a register or in memory, so it can
// be copied, guessed or kept after it has been given up; what makes it
// unforgeable is the check, against the kernel's own records:
//
//	bits 19-0   the frame's number: which frame;
//	bits 30-20  its generation, 1 to 2047: which grant of that frame.
//
// The frame must be owned (vm.FrameOwned), by the caller (whose), and
// its current generation must be the token's. Freeing or revoking a
// frame bumps its generation, so every token of the old grant is stale
// from then on, wherever copies of it are kept. Generations wrap after
// 2047 grants of the same frame: a token kept that long could name the
// frame again, and only if the same process holds it then (the toy's
// limit, a 32-bit register's; a real exokernel's tokens are wider).

const (
	capFrameBits = 20
	capFrameMask = 1<<capFrameBits - 1
	capGenMax    = 1<<11 - 1
)

// capability is the decoded form of a token.
type capability struct {
	frame uint32
	gen   uint16
}

// Token returns the number a program holds for c.
func (c capability) Token() uint32 { return uint32(c.gen)<<capFrameBits | c.frame }

func (c capability) String() string {
	return fmt.Sprintf("capability %#x (frame %#x)", c.Token(), c.frame)
}

// decodeCap splits a token into its frame and generation.
func decodeCap(token uint32) capability {
	return capability{frame: token & capFrameMask, gen: uint16(token >> capFrameBits)}
}

// capError is why a token was refused; each is an error result of the
// calls that take a capability.
type capError struct {
	result int32
	why    string
}

func (e *capError) Error() string { return e.why }

// grant makes frame, just taken for p (vm.FrameOwned), p's under a new
// generation, and returns the capability.
func (k *Kernel) grant(frame uint32) capability {
	if k.capGen == nil {
		k.capGen = make([]uint16, k.Frames.Len())
	}
	g := k.capGen[frame]%capGenMax + 1
	k.capGen[frame] = g
	return capability{frame: frame, gen: g}
}

// retire ends the grant of frame: every token of it is stale from now on.
func (k *Kernel) retire(frame uint32) { k.capGen[frame] = k.capGen[frame]%capGenMax + 1 }

// checkCap returns the capability that token names if it is p's: a frame
// that exists, owned through a capability, by p, of the current
// generation. Otherwise it returns a *capError: EINVAL for a forged
// token (no such frame, or a frame never granted), ESTALE for a stale
// one (its grant ended: freed or revoked), EACCES for another process's.
func (k *Kernel) checkCap(p *Process, token uint32) (capability, error) {
	c := decodeCap(token)
	k.stats.CapChecks++
	switch {
	case token>>31 != 0 || c.frame == 0 || int(c.frame) >= k.Frames.Len() || c.gen == 0 || k.capGen == nil || k.capGen[c.frame] == 0:
		return c, k.refuse(EINVAL, "token %#x names no frame ever granted: forged", token)
	case k.Frames.Get(c.frame).State != vm.FrameOwned || k.capGen[c.frame] != c.gen:
		return c, k.refuse(ESTALE, "token %#x is stale: frame %#x is no longer held under it (freed or revoked)", token, c.frame)
	case k.Frames.Get(c.frame).Owner != p.PID:
		return c, k.refuse(EACCES, "token %#x is another process's: frame %#x belongs to pid %d", token, c.frame, k.Frames.Get(c.frame).Owner)
	}
	return c, nil
}

// refuse counts a refused capability and returns the error.
func (k *Kernel) refuse(result int32, format string, args ...any) error {
	k.stats.CapRefusals++
	return &capError{result: result, why: fmt.Sprintf(format, args...)}
}
