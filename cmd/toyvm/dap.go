package main

import (
	"encoding/json"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strings"
	"unicode"

	"github.com/alecthomas/kong"

	"toyvm/dap"
	"toyvm/kernel"
)

// DapCmd is `toyvm dap`: the Debug Adapter Protocol, for editors
// (docs/dap.md). A launch request's arguments are the program, its
// arguments, and toyvm run's flags, named in camelCase.
type DapCmd struct{}

// Run serves the protocol on standard input and output until the client
// disconnects or its input ends; it returns the error of a message whose
// framing cannot be followed.
func (d *DapCmd) Run(e env) error {
	return dap.Serve(e.stdin, e.stdout, configureLaunch)
}

// notForTheAdapter are toyvm run's flags that a launch does not take:
// the debugger boots a run again for a restart or a step back, each
// with a fresh swap area, the counters are the console's stats, and
// profiles of the host are for toyvm run.
var notForTheAdapter = []string{"swap-file", "stats", "stats-json", "cpuprofile", "memprofile", "help"}

// configureLaunch returns the kernel's configuration for a launch: the
// launch arguments named as toyvm run's flags in camelCase (mem,
// tlbRefill, policy, root, ...) are read as those flags, with their
// defaults and checks, and paths relative to cwd. It returns an error
// naming a bad argument, or a flag that is not for the adapter.
func configureLaunch(args dap.LaunchArgs, raw json.RawMessage) (kernel.Config, error) {
	var r RunCmd
	parser, err := kong.New(&r, kong.Name("launch"), cliVars(), kong.Writers(io.Discard, io.Discard),
		kong.Exit(func(int) {}))
	if err != nil {
		return kernel.Config{}, err
	}
	flags, err := launchFlags(parser.Model.Flags, raw, args.Cwd)
	if err != nil {
		return kernel.Config{}, err
	}
	if _, err := parser.Parse(append(flags, "--", args.Program)); err != nil {
		return kernel.Config{}, fmt.Errorf("launch arguments: %w", err)
	}
	r.dropDashDash()
	return r.config(env{stdin: strings.NewReader(""), stdout: io.Discard, stderr: io.Discard})
}

// launchFlags returns the command-line flags that the launch arguments
// raw give, in the order of flags: each flag's argument named in
// camelCase. It returns an error for a bad value, or a flag of
// notForTheAdapter.
func launchFlags(flags []*kong.Flag, raw json.RawMessage, cwd string) ([]string, error) {
	var given map[string]json.RawMessage
	if err := json.Unmarshal(raw, &given); err != nil {
		return nil, fmt.Errorf("bad launch arguments: %v", err)
	}
	var out []string
	for _, f := range flags {
		value, ok := given[camelCase(f.Name)]
		if !ok || string(value) == "null" {
			continue
		}
		flag, err := launchFlag(f, value, cwd)
		if err != nil {
			return nil, err
		}
		out = append(out, flag)
	}
	return out, nil
}

// launchFlag returns the flag f with the value of its launch argument: a
// string, a number, a boolean or a list of strings (joined by commas),
// a path made relative to cwd. It returns an error for a value of
// another kind, or a flag of notForTheAdapter.
func launchFlag(f *kong.Flag, value json.RawMessage, cwd string) (string, error) {
	key := camelCase(f.Name)
	if slices.Contains(notForTheAdapter, f.Name) {
		return "", fmt.Errorf("launch argument %s (--%s) is not for the debug adapter", key, f.Name)
	}
	text, err := flagValue(value)
	if err != nil {
		return "", fmt.Errorf("launch argument %s: %v", key, err)
	}
	if f.Tag.Type == "existingdir" || f.Tag.Type == "existingfile" {
		text = under(cwd, text)
	}
	return "--" + f.Name + "=" + text, nil
}

// flagValue returns a JSON value as a flag's text: a string as it is, a
// number or a boolean as JSON writes it, a list of strings joined by
// commas; or an error for anything else.
func flagValue(value json.RawMessage) (string, error) {
	var s string
	if json.Unmarshal(value, &s) == nil {
		return s, nil
	}
	var list []string
	if json.Unmarshal(value, &list) == nil {
		return strings.Join(list, ","), nil
	}
	var scalar any
	if err := json.Unmarshal(value, &scalar); err == nil {
		switch scalar.(type) {
		case float64, bool:
			return string(value), nil
		}
	}
	return "", fmt.Errorf("%s: want a string, a number, a boolean or a list of strings", clipJSON(value))
}

// camelCase returns a flag's name as a launch argument's: tlb-refill is
// tlbRefill.
func camelCase(name string) string {
	parts := strings.Split(name, "-")
	for i := 1; i < len(parts); i++ {
		if parts[i] != "" {
			r := []rune(parts[i])
			parts[i] = string(unicode.ToUpper(r[0])) + string(r[1:])
		}
	}
	return strings.Join(parts, "")
}

// under returns path as seen from the folder dir ("": as it is).
func under(dir, path string) string {
	if dir == "" || filepath.IsAbs(path) {
		return path
	}
	return filepath.Join(dir, path)
}

// clipJSON shortens a JSON value for a message.
func clipJSON(value json.RawMessage) string {
	if len(value) > 40 {
		return string(value[:40]) + "..."
	}
	return string(value)
}
