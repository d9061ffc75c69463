package kernel

import (
	"bytes"
	"encoding/binary"

	"toyvm/isa"
)

// readString reads the NUL-terminated string at va in p's memory, at most
// max bytes with the NUL. It returns errFault for a bad pointer,
// errTooLong for a string that does not end within max bytes, or the
// errors of copyIn
// (errBlocked: p waits for a page, and the system call runs again).
func (k *Kernel) readString(p *Process, va uint32, max int) (string, error) {
	var s []byte
	for len(s) < max {
		n := min(uint32(max-len(s)), isa.PageSize-va%isa.PageSize)
		chunk, err := k.copyIn(p, va, n)
		if err != nil {
			return "", err
		}
		if i := bytes.IndexByte(chunk, 0); i >= 0 {
			return string(append(s, chunk[:i]...)), nil
		}
		if uint32(len(chunk)) < n { // stopped short of a page on disk
			return "", k.waitForPage(p, va+uint32(len(chunk)))
		}
		s, va = append(s, chunk...), va+n
	}
	return "", errTooLong
}

// waitForPage starts bringing in the page at va and makes p wait for it:
// it returns errBlocked then (or at once, if the page is present after
// all), errFault for an address p may not read, or the kill of a page
// that cannot be brought in.
func (k *Kernel) waitForPage(p *Process, va uint32) error {
	_, err := k.userAddr(p, va, isa.Read, true)
	if err == nil {
		return errBlocked // present after all: run the call again at once
	}
	return err
}

// MaxArgs is the most arguments spawn passes, MaxArgBytes their total size.
const (
	MaxArgs     = 256
	MaxArgBytes = 64 << 10
)

// readArgv reads a 0-terminated array of string addresses at va (va = 0:
// no arguments). It returns errFault for a bad pointer, errTooLong for
// too many or too long arguments, or the errors of copyIn.
func (k *Kernel) readArgv(p *Process, va uint32) ([]string, error) {
	var argv []string
	total := 0
	for i := 0; va != 0; i++ {
		if i == MaxArgs {
			return nil, errTooLong
		}
		at := va + uint32(4*i)
		w, err := k.copyIn(p, at, 4)
		switch {
		case err != nil:
			return nil, err
		case len(w) < 4: // stopped short of a page on disk
			return nil, k.waitForPage(p, at+uint32(len(w)))
		}
		ptr := binary.LittleEndian.Uint32(w)
		if ptr == 0 {
			break
		}
		a, err := k.readString(p, ptr, MaxArgBytes-total)
		if err != nil {
			return nil, err
		}
		argv, total = append(argv, a), total+len(a)+1
	}
	return argv, nil
}
