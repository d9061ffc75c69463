package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"path/filepath"
	"testing"

	godap "github.com/google/go-dap"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"toyvm/cpu"
	"toyvm/dap"
	"toyvm/kernel/vm"
)

func TestDapLaunchArgumentsAreTheRunFlagsInCamelCase(t *testing.T) {
	raw := []byte(`{"program": "x", "type": "toyvm", "mem": "64K", "tlb": 32, "tlbRefill": "sw", "asid": true,
		"backup": "decode", "swap": "static", "swapSize": "1M", "trace": ["faults", "disk"], "check": false, "poolLow": null}`)
	cfg, err := configureLaunch(dap.LaunchArgs{Program: "../../programs/hello.s"}, raw)
	require.NoError(t, err)
	assert.Equal(t, uint64(64<<10), uint64(cfg.MemBytes))
	assert.Equal(t, 32, cfg.TLBSize)
	assert.True(t, cfg.SoftwareRefill)
	assert.True(t, cfg.ASID)
	assert.Equal(t, cpu.Decode, cfg.Backup)
	assert.Equal(t, vm.SwapStatic, cfg.Swap)
	assert.False(t, cfg.Check)
	assert.Equal(t, "../../programs", cfg.Root, "the program's folder, as toyvm run has it")
	assert.True(t, cfg.RootReadOnly)
}

func TestDapLaunchPathsAreRelativeToCwd(t *testing.T) {
	raw := []byte(`{"root": "programs", "writable": true}`)
	cfg, err := configureLaunch(dap.LaunchArgs{Program: "../../programs/hello.s", Cwd: "../.."}, raw)
	require.NoError(t, err)
	want, err := filepath.Abs("../../programs")
	require.NoError(t, err)
	assert.Equal(t, want, cfg.Root)
}

func TestDapRefusesBadLaunchArguments(t *testing.T) {
	for arg, want := range map[string]string{
		`{"mem": "lots"}`:         "--mem",
		`{"swapFile": "/tmp/s"}`:  "swapFile (--swap-file) is not for the debug adapter",
		`{"statsJson": "s.json"}`: "not for the debug adapter",
		`{"tlb": {"n": 1}}`:       `launch argument tlb: {"n": 1}: want a string`,
		`{"tlbRefill": "maybe"}`:  "maybe",
		`{"root": "no/such/dir"}`: "no/such/dir",
		`["not", "an", "object"]`: "bad launch arguments",
	} {
		_, err := configureLaunch(dap.LaunchArgs{Program: "../../programs/hello.s"}, []byte(arg))
		require.Error(t, err, arg)
		assert.Contains(t, err.Error(), want, arg)
	}
}

func TestDapCamelCase(t *testing.T) {
	assert.Equal(t, "tlbRefill", camelCase("tlb-refill"))
	assert.Equal(t, "statsJson", camelCase("stats-json"))
	assert.Equal(t, "mem", camelCase("mem"))
}

// TestDapServesTheProtocolOnStandardInputAndOutput runs `toyvm dap` as
// main does, launches with the run flags and reads them back.
func TestDapServesTheProtocolOnStandardInputAndOutput(t *testing.T) {
	var in bytes.Buffer
	for i, req := range []map[string]any{
		{"command": "initialize", "arguments": map[string]any{"adapterID": "toyvm"}},
		{"command": "launch", "arguments": map[string]any{"program": "../../programs/hello.s", "swap": "static", "swapSize": "1M"}},
		{"command": "evaluate", "arguments": map[string]any{"expression": "info swap", "context": "repl"}},
		{"command": "disconnect"},
	} {
		req["seq"], req["type"] = i+1, "request"
		b, err := json.Marshal(req)
		require.NoError(t, err)
		fmt.Fprintf(&in, "Content-Length: %d\r\n\r\n%s", len(b), b)
	}
	var out, errb bytes.Buffer
	status := run([]string{"dap"}, env{stdin: &in, stdout: &out, stderr: &errb})
	require.Equal(t, exitOK, status, errb.String())
	var evaluated string
	for r := bufio.NewReader(&out); ; {
		m, err := godap.ReadProtocolMessage(r)
		if err == io.EOF {
			break
		}
		require.NoError(t, err)
		if resp, ok := m.(godap.ResponseMessage); ok {
			require.True(t, resp.GetResponse().Success, resp.GetResponse().Message)
		}
		if e, ok := m.(*godap.EvaluateResponse); ok {
			evaluated = e.Body.Result
		}
	}
	assert.Contains(t, evaluated, "swap: static layout, 256 slots (1M)")
}

func TestDapIsInTheHelp(t *testing.T) {
	var out bytes.Buffer
	run([]string{"--help"}, env{stdin: &bytes.Buffer{}, stdout: &out, stderr: io.Discard})
	assert.Contains(t, out.String(), "dap")
	assert.Contains(t, out.String(), "Debug Adapter Protocol")
}
