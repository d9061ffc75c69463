package debugger

import (
	"errors"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"

	"toyvm/cpu"
	"toyvm/image"
	"toyvm/kernel"
	"toyvm/mmu"
)

// The commands that show and change registers, memory and code.
var viewCommands = []command{
	{"regs", []string{"registers"}, "", "show the registers, pc and psw", (*Session).cmdRegs},
	{"x", nil, "[/NFU] ADDR [N] [pid N]", "show N units (4) of virtual memory from ADDR (of process N) as F (x d u c s i) in U (w b), never faulting a page in", (*Session).cmdX},
	{"xp", nil, "PADDR [N]", "show N physical words (4) from PADDR", (*Session).cmdXp},
	{"disasm", []string{"dis"}, "[ADDR [N]]", "disassemble N instructions (8) from ADDR (pc)", (*Session).cmdDisasm},
	{"list", []string{"l"}, "[ADDR|LINE]", "show the source lines around pc, ADDR or LINE", (*Session).cmdList},
	{"bt", []string{"backtrace", "where"}, "[N]", "the frames of the current process, from the frame-pointer chain (N at most)", (*Session).cmdBacktrace},
	{"frame", []string{"f"}, "[N]", "select frame N of the backtrace (pc and fp in expressions are its own), or show the selected one", (*Session).cmdFrame},
	{"up", nil, "[N]", "select the frame N (1) levels out, the caller's", (*Session).cmdUp},
	{"down", nil, "[N]", "select the frame N (1) levels in", (*Session).cmdDown},
	{"set", nil, "REG|ADDR = VALUE", "change a register, or a word of a present page", (*Session).cmdSet},
}

// Limits on how much one command shows.
const (
	maxWords = 4096
	maxInsts = 1024
)

// cmdRegs: regs.
func (s *Session) cmdRegs(args []string) error {
	if err := wantArgs(args, 0, 0, "regs"); err != nil {
		return err
	}
	c := s.k.CPU
	for i := 0; i < 16; i += 4 {
		s.printf("%-3s 0x%08x  %-3s 0x%08x  %-3s 0x%08x  %-3s 0x%08x\n", regName(i), c.R[i],
			regName(i+1), c.R[i+1], regName(i+2), c.R[i+2], regName(i+3), c.R[i+3])
	}
	s.printf("pc  %s  psw %s\n", s.where(c.PC), c.PSW)
	s.printf("cycles %d  instructions %d\n", s.k.Clock.Now(), c.Instructions)
	return nil
}

// regName returns the name of register r as the assembler spells it.
func regName(r int) string {
	switch r {
	case 14:
		return "fp"
	case 15:
		return "sp"
	}
	return "r" + strconv.Itoa(r)
}

// cmdX: x[/NFU] ADDR [N]: N units (4) from ADDR as F says (x hex, d
// signed, u unsigned, c characters, s strings, i instructions), each unit
// a word (w) or a byte (b); the words and bytes with an ASCII column.
// It reads through the current process's page table, never faulting a
// page in.
func (s *Session) cmdX(args []string) error {
	f, args, err := splitFormat(args, "xducsibw", format{letter: 'x', size: 4})
	if err != nil {
		return err
	}
	args, p, err := s.processArg(args)
	if err != nil {
		return err
	}
	if err := wantArgs(args, 1, 2, "x[/NFU] ADDR [N] [pid N]"); err != nil {
		return err
	}
	def := uint64(4)
	switch {
	case f.count != 0:
		def = f.count
	case f.letter == 's' || f.letter == 'i':
		def = 1
	}
	addr, n, err := s.addrCount(args, def, maxWords)
	if err != nil {
		return err
	}
	switch {
	case f.letter == 'i' && p != s.current():
		return fmt.Errorf("x/i shows the current process's instructions only")
	case f.letter == 'i':
		return s.cmdDisasm([]string{fmt.Sprint(addr), fmt.Sprint(n)})
	case f.letter == 's':
		s.strings(p, addr, n)
		return nil
	}
	s.units(p, addr, n, f)
	next := addr + uint32(n)*uint32(f.size)
	s.again = func() string { return fmt.Sprintf("x/%d%c%c 0x%x pid %d", n, f.letter, "  b  w"[f.size], next, p.PID) }
	return nil
}

// units prints n units of f.size bytes from addr, formatted, a line of
// 16 bytes at a time with their characters at the end.
func (s *Session) units(p *kernel.Process, addr uint32, n uint64, f format) {
	per := uint64(16 / f.size)
	for i := uint64(0); i < n; i += per {
		a := addr + uint32(i)*uint32(f.size)
		var vals []string
		var chars []byte
		for j := i; j < min(n, i+per); j++ {
			v, shown := s.unitAt(p, a+uint32(j-i)*uint32(f.size), f)
			vals = append(vals, shown)
			chars = append(chars, unitChars(v, f.size, shown)...)
		}
		s.printf("%s: %s  %s\n", s.where(a), strings.Join(vals, " "), chars)
	}
}

// unitAt returns the unit at va and how x shows it (the word that says
// why, for one it cannot read).
func (s *Session) unitAt(p *kernel.Process, va uint32, f format) (uint32, string) {
	if f.size == 1 {
		b, ok := s.virtByte(p, va)
		if !ok {
			return 0, s.stateOf(p, va).word()
		}
		if f.letter == 'x' {
			return uint32(b), fmt.Sprintf("0x%02x", b)
		}
		return uint32(b), formatValue(uint32(int8(b)), f.letter)
	}
	v, why := s.shownWord(p, va)
	if why != "" {
		return 0, why
	}
	if f.letter == 'x' {
		return v, fmt.Sprintf("0x%08x", v)
	}
	return v, formatValue(v, f.letter)
}

// unitChars returns the characters of a unit's bytes for the ASCII
// column: a dot for a byte that is no printable character, a ? for one
// that could not be read.
func unitChars(v uint32, size int, shown string) []byte {
	out := make([]byte, size)
	for i := range out {
		b := byte(v >> (8 * i))
		switch {
		case strings.HasSuffix(shown, "present") || strings.HasSuffix(shown, "region") || strings.HasSuffix(shown, "only"):
			out[i] = '?'
		case b >= 0x20 && b < 0x7f:
			out[i] = b
		default:
			out[i] = '.'
		}
	}
	return out
}

// strings prints n NUL-terminated strings from addr, as x/s does.
func (s *Session) strings(p *kernel.Process, addr uint32, n uint64) {
	for i := uint64(0); i < n; i++ {
		var b []byte
		a := addr
		for len(b) < 256 {
			c, ok := s.virtByte(p, a)
			if !ok {
				s.printf("%s: %q <%s>\n", s.where(addr), b, s.stateOf(p, a).word())
				return
			}
			a++
			if c == 0 {
				break
			}
			b = append(b, c)
		}
		s.printf("%s: %q\n", s.where(addr), b)
		addr = a
	}
}

// shownWord returns the word at va in p's memory as x shows it, or "" and
// the word x prints instead: no-region, kernel-only or not-present (x
// never faults a page in).
func (s *Session) shownWord(p *kernel.Process, va uint32) (uint32, string) {
	if st := s.wordState(p, va); st != pagePresent {
		return 0, st.word()
	}
	v, _ := s.virtWord(p, va)
	return v, ""
}

// cmdXp: xp PADDR [N]. It shows the words that lie in physical memory,
// then says where memory ends if the count runs past it.
func (s *Session) cmdXp(args []string) error {
	if err := wantArgs(args, 1, 2, "xp PADDR [N]"); err != nil {
		return err
	}
	addr, n, err := s.addrCount(args, 4, maxWords)
	if err != nil {
		return err
	}
	if err := s.checkPhys(addr); err != nil {
		return err
	}
	fit := min(n, (uint64(s.k.Phys.Size())-uint64(addr))/4)
	s.words(addr, fit, func(a uint32) (uint32, string) { v, _ := s.physWord(a); return v, "" },
		func(a uint32) string { return mmu.PAddr(a).String() })
	if fit < n {
		s.printf("physical memory ends at %s\n", s.physEnd())
	}
	return nil
}

// checkPhys returns an error unless the physical word at addr lies wholly
// in memory.
func (s *Session) checkPhys(addr uint32) error {
	if _, ok := s.physWord(addr); ok {
		return nil
	}
	return fmt.Errorf("the physical word at 0x%08x is outside memory, which ends at %s", addr, s.physEnd())
}

// physEnd returns the first physical address past memory and the size of
// memory: "0x01000000 (16M)".
func (s *Session) physEnd() string {
	size := uint64(s.k.Phys.Size())
	return fmt.Sprintf("0x%08x (%s)", size, kernel.SizeText(size))
}

// addrCount reads ADDR and an optional count.
func (s *Session) addrCount(args []string, def, limit uint64) (uint32, uint64, error) {
	addr, err := s.eval(args[0])
	if err != nil {
		return 0, 0, err
	}
	n, err := s.count(args, 1, def, limit)
	return addr, n, err
}

// words prints n words from addr, four to a line, each read by read
// (which returns the word to print instead when it cannot read one),
// each line headed by name(address).
func (s *Session) words(addr uint32, n uint64, read func(uint32) (uint32, string), name func(uint32) string) {
	for i := uint64(0); i < n; i++ {
		a := addr + uint32(4*i)
		if i%4 == 0 {
			s.printf("%s:", name(a))
		}
		if v, why := read(a); why == "" {
			s.printf(" 0x%08x", v)
		} else {
			s.printf(" %s", why)
		}
		if i%4 == 3 || i == n-1 {
			s.printf("\n")
		}
	}
}

// cmdDisasm: disasm [ADDR [N]].
func (s *Session) cmdDisasm(args []string) error {
	if err := wantArgs(args, 0, 2, "disasm [ADDR [N]]"); err != nil {
		return err
	}
	addr := s.k.CPU.PC
	if len(args) > 0 {
		var err error
		if addr, err = s.location(args[0]); err != nil {
			return err
		}
	}
	n, err := s.count(args, 1, 8, maxInsts)
	if err != nil {
		return err
	}
	for i := uint64(0); i < n; i++ {
		text, size := s.instText(addr)
		s.printf("%s %-26s %s\n", s.marks(addr), s.where(addr), text)
		addr += size
	}
	s.again = func() string { return fmt.Sprintf("disasm 0x%x %d", addr, n) }
	return nil
}

// marks returns the margin of a code line: "=>" at the pc, "*" at a
// breakpoint.
func (s *Session) marks(addr uint32) string {
	m := []byte("   ")
	if s.breakAt(addr) != nil {
		m[0] = '*'
	}
	if addr == s.k.CPU.PC {
		m[1], m[2] = '=', '>'
	}
	return string(m)
}

// cmdList: list [ADDR|LINE].
func (s *Session) cmdList(args []string) error {
	if err := wantArgs(args, 0, 1, "list [ADDR|LINE]"); err != nil {
		return err
	}
	file, line, err := s.listCentre(args)
	if err != nil {
		return err
	}
	lines := s.source(file)
	if lines == nil {
		return fmt.Errorf("cannot read the source file %s", s.sourcePath(file))
	}
	if err := checkLine(file, line, len(lines)); err != nil {
		return err
	}
	s.listLines(file, max(1, line-5), lines)
	return nil
}

// listLines prints ten lines of file from first, and makes an empty line
// at a terminal list the ten after them.
func (s *Session) listLines(file string, first int, lines []string) {
	here, _ := s.img.LineAt(s.k.CPU.PC)
	last := min(len(lines), first+9)
	for n := first; n <= last; n++ {
		mark := "  "
		if here.File == file && here.Line == n {
			mark = "=>"
		}
		s.printf("%s %4d  %s\n", mark, n, lines[n-1])
	}
	if last < len(lines) {
		s.again = func() string { return fmt.Sprintf("list %s:%d", file, last+6) }
	}
}

// checkLine returns an error unless line is a line of file, which has n
// lines.
func checkLine(file string, line, n int) error {
	name := filepath.Base(file)
	switch {
	case line < 1:
		return fmt.Errorf("line %d is not a line of %s: lines count from 1 (it has %d)", line, name, n)
	case line > n:
		return fmt.Errorf("line %d is past the end of %s (%d lines)", line, name, n)
	}
	return nil
}

// listCentre returns the file and line that list centres on: a line
// number of the pc's file, the line of an address, or the pc's line.
func (s *Session) listCentre(args []string) (string, int, error) {
	pcLine, pcKnown := s.img.LineAt(s.k.CPU.PC)
	if len(args) == 1 {
		if n, err := strconv.Atoi(args[0]); err == nil {
			return s.listFile(pcLine, pcKnown), n, nil
		}
		addr, err := s.location(args[0])
		if err != nil {
			return "", 0, err
		}
		l, ok := s.img.LineAt(addr)
		if !ok {
			return "", 0, fmt.Errorf("no source line for %s", s.where(addr))
		}
		return l.File, l.Line, nil
	}
	if !pcKnown {
		return "", 0, fmt.Errorf("no source line for the pc %s", s.where(s.k.CPU.PC))
	}
	return pcLine.File, pcLine.Line, nil
}

// listFile returns the file a bare line number refers to: the pc's, else
// the first file of the line table.
func (s *Session) listFile(pc image.Line, known bool) string {
	if known || len(s.img.Lines) == 0 {
		return pc.File
	}
	return s.img.Lines[0].File
}

// cmdSet: set REG = VALUE or set ADDR = VALUE.
func (s *Session) cmdSet(args []string) error {
	target, value, ok := strings.Cut(strings.Join(args, " "), "=")
	if !ok || strings.TrimSpace(target) == "" {
		return fmt.Errorf("usage: set REG|ADDR = VALUE")
	}
	v, err := s.eval(value)
	if err != nil {
		return err
	}
	target = strings.TrimSpace(target)
	if r, ok := parseReg(target); ok {
		s.Edit(func(k *kernel.Kernel) error { setReg(k.CPU, r, v); return nil })
		s.printf("%s = 0x%08x\n", target, v)
		return nil
	}
	return s.setWord(target, v)
}

// setReg changes register r (as parseReg numbers it) of c.
func setReg(c *cpu.CPU, r int, v uint32) {
	switch r {
	case regPC:
		c.PC = v
	case regPSW: // the flags only: the mode stays the kernel's business
		c.PSW = cpu.PSW(v)&cpu.Flags | c.PSW&cpu.UserMode
	default:
		c.R[r] = v
	}
}

// setWord changes the virtual word at the address target names, in the
// current process, if its page is present and writable.
func (s *Session) setWord(target string, v uint32) error {
	addr, err := s.eval(target)
	if err != nil {
		return err
	}
	if s.current() == nil {
		return fmt.Errorf("no process is running: every one has exited")
	}
	// Through Edit, so that a backstep's replay makes the change again.
	err = s.Edit(func(k *kernel.Kernel) error { return k.PokeWord(k.Current(), mmu.VAddr(addr), v) })
	if errors.Is(err, kernel.ErrNotPresent) {
		return fmt.Errorf("cannot set %s: its page is not present (the debugger never faults one in)", s.where(addr))
	}
	if err != nil {
		return fmt.Errorf("cannot set %s: %w", s.where(addr), err)
	}
	s.printf("%s = 0x%08x\n", s.where(addr), v)
	return nil
}
