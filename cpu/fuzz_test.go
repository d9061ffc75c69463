package cpu_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"toyvm/cpu"
	. "toyvm/cpu/cputest"
	"toyvm/isa"
)

// FuzzUserModeOnlyEverTrapsCleanly runs random bytes in user mode: any
// byte sequence must run or trap, never panic, and every trap must enter
// the kernel in supervisor mode and return to user mode.
func FuzzUserModeOnlyEverTrapsCleanly(f *testing.F) {
	f.Add([]byte{byte(isa.MOV), 0x21, 0x32, byte(isa.HALT)})
	f.Add(Prog(I(isa.MOVC, R(1), R(2), R(3)), I(isa.DIV, R(0), R(4)), I(isa.SYS)))
	f.Add(Prog(I(isa.CALL, IncDef(5)), I(isa.RET), B(isa.BR, -10)))
	f.Add([]byte{0xFF, 0x85, 0x60, 0x24, 0x10})
	f.Fuzz(func(t *testing.T, code []byte) {
		for _, level := range []cpu.Level{cpu.Precise, cpu.Log, cpu.Decode} {
			m := newMachine(t, level, append(code, 0))
			for r := range isa.Reg(13) {
				m.CPU.R[r] = data + uint32(r)*0x100 - 2 // near mapped data, some unaligned
			}
			m.CPU.R[1] = 20 // a short MOVC length
			m.OnTrap = func(m *Machine, cause isa.Cause) {
				require.NotEqual(t, isa.CauseNone, cause)
				require.False(t, m.CPU.PSW.User(), "the kernel runs in supervisor mode")
				if !cause.IsInterrupt() && cause != isa.Syscall && cause != isa.Breakpoint {
					m.CPU.Stop()
				}
			}
			m.CPU.Run(200)
			require.True(t, m.CPU.PSW.User(), "back in user mode")
		}
	})
}
