package dap

import (
	"encoding/base64"
	"fmt"
	"strconv"
	"strings"

	godap "github.com/google/go-dap"

	"toyvm/debugger"
)

// Bounds on what one request reads.
const (
	maxRead   = 1 << 20 // bytes of a readMemory
	maxOffset = 100_000 // instructions from the address of a disassemble, either way
)

// memoryAddress returns the address offset bytes from the memory
// reference ref (a number: 0x hex, or decimal), or an error if ref is no
// number or the address is outside the 32-bit address space.
func memoryAddress(ref string, offset int) (uint32, error) {
	base, err := strconv.ParseUint(strings.TrimSpace(ref), 0, 32)
	if err != nil {
		return 0, fmt.Errorf("bad memory reference %q: an address, such as 0x00001000", clip(ref))
	}
	addr := int64(base) + int64(offset)
	if addr < 0 || addr > 0xffffffff {
		return 0, fmt.Errorf("%s%+d is outside the address space", ref, offset)
	}
	return uint32(addr), nil
}

// onReadMemory answers with the current process's memory from an
// address, as the process sees it, never faulting a page in.
func (a *adapter) onReadMemory(r *godap.ReadMemoryRequest) {
	if !a.still(r.Request) {
		return
	}
	body, err := a.readMemory(r.Arguments)
	if err != nil {
		a.fail(r.Request, "%v", err)
		return
	}
	a.wire.send(&godap.ReadMemoryResponse{Response: response(r.Request), Body: body})
}

// readMemory returns the bytes args asks for (at most maxRead) up to the
// first that cannot be read (a page not present, no region,
// kernel-only), and how many cannot be read from there; or none, and
// how many to skip, when the first cannot be read. It returns an error
// for a bad memory reference or count.
func (a *adapter) readMemory(args godap.ReadMemoryArguments) (godap.ReadMemoryResponseBody, error) {
	addr, err := memoryAddress(args.MemoryReference, args.Offset)
	if err != nil {
		return godap.ReadMemoryResponseBody{}, err
	}
	if args.Count < 0 {
		return godap.ReadMemoryResponseBody{}, fmt.Errorf("a negative count: %d", args.Count)
	}
	body := godap.ReadMemoryResponseBody{Address: hexAddr(addr)}
	spans := a.dbg.ReadVirtual(addr, min(args.Count, maxRead))
	if len(spans) > 0 && spans[0].Why == "" {
		body.Data = base64.StdEncoding.EncodeToString(spans[0].Data)
		spans = spans[1:]
	}
	if len(spans) > 0 {
		body.UnreadableBytes = spans[0].Len
	}
	return body, nil
}

// onDisassemble answers with instructions around an address: from
// instructionOffset instructions away from the one at the address (the
// memory reference plus offset bytes), as many as asked for (at most
// 10,000), placeholders where there is no code.
func (a *adapter) onDisassemble(r *godap.DisassembleRequest) {
	if !a.still(r.Request) {
		return
	}
	out, err := a.disassembly(r.Arguments)
	if err != nil {
		a.fail(r.Request, "%v", err)
		return
	}
	a.wire.send(&godap.DisassembleResponse{Response: response(r.Request),
		Body: godap.DisassembleResponseBody{Instructions: out}})
}

// disassembly returns the instructions args asks for, or an error for a
// bad memory reference or an offset over maxOffset instructions.
func (a *adapter) disassembly(args godap.DisassembleArguments) ([]godap.DisassembledInstruction, error) {
	addr, err := memoryAddress(args.MemoryReference, args.Offset)
	if err != nil {
		return nil, err
	}
	if off := args.InstructionOffset; off < -maxOffset || off > maxOffset {
		return nil, fmt.Errorf("an instruction offset of %d: at most %d either way", off, maxOffset)
	}
	out := []godap.DisassembledInstruction{}
	for _, in := range a.dbg.Disassemble(addr, args.InstructionOffset, args.InstructionCount) {
		out = append(out, a.instruction(in))
	}
	return out, nil
}

// instruction returns one disassembled instruction as the protocol's:
// its bytes in hex, its label, its source line.
func (a *adapter) instruction(in debugger.Instruction) godap.DisassembledInstruction {
	d := godap.DisassembledInstruction{Address: hexAddr(in.Addr), Instruction: in.Text, Symbol: in.Label,
		InstructionBytes: fmt.Sprintf("% x", in.Bytes)}
	if !in.Valid {
		return d
	}
	if l, ok := a.dbg.SourceAt(in.Addr); ok {
		d.Location = &godap.Source{Name: l.Name, Path: l.Path}
		d.Line, d.Column = l.Line-1+a.lineBase, max(l.Col, 1)-1+a.colBase
	}
	return d
}
