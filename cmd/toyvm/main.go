package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/alecthomas/kong"

	"toyvm/asm"
	"toyvm/kernel"
	"toyvm/kernel/ext"
	"toyvm/kernel/policy"
)

// Exit statuses of toyvm itself; a run otherwise exits with the status
// of its first process.
const (
	exitOK    = 0
	exitUsage = 2 // bad flags, unreadable files, assembly errors
)

// CLI is the command line: one field per subcommand.
type CLI struct {
	Run    RunCmd    `cmd:"" help:"Run a program (.s source or assembled image) as the first process; exit with its status."`
	Asm    AsmCmd    `cmd:"" help:"Assemble a .s file into an image."`
	Disasm DisasmCmd `cmd:"" help:"Disassemble an image or a .s file."`
	Debug  DebugCmd  `cmd:"" help:"Debug a program (.s source or assembled image): step it and watch the MMU and the kernel at work."`
	Dap    DapCmd    `cmd:"" help:"Serve the Debug Adapter Protocol on standard input and output, so that editors (VS Code, Neovim, Emacs) debug programs (docs/dap.md)."`
	Policy PolicyCmd `cmd:"" help:"Replay a page reference string through a replacement policy; print hits and misses."`
	Kit    KitCmd    `cmd:"" help:"Course kits: list them, show one, export a student's tree for one."`
	Grade  GradeCmd  `cmd:"" help:"Grade a student's tree for a kit: build it, run the kit's tests, print the score."`
}

// env is what a command reads and writes: the process's streams, passed
// explicitly so that tests can drive main without a subprocess.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
}

func main() {
	// A closed pipe on standard output or error must be an error that the
	// program's write sees (EIO), not the end of toyvm: Go's runtime
	// would otherwise kill toyvm with SIGPIPE and lose its counters.
	signal.Ignore(syscall.SIGPIPE)
	os.Exit(run(os.Args[1:], env{os.Stdin, os.Stdout, os.Stderr}))
}

// exitStatus is returned by a command that finished with a status to exit
// with (a guest program's).
type exitStatus int

func (e exitStatus) Error() string { return fmt.Sprintf("exit status %d", int(e)) }

// cliVars are the variables of the flags' help texts.
func cliVars() kong.Vars {
	return kong.Vars{"trace_names": kernel.TraceNames(), "policy_names": strings.Join(policy.Names(), ", "),
		"ext_names": strings.Join(ext.Names(), ", ")}
}

// run parses args, runs the command and returns toyvm's exit status.
func run(args []string, e env) (status int) {
	var cli CLI
	exited := -1
	parser, err := kong.New(&cli, kong.Name("toyvm"),
		kong.Description("toyvm: an emulated CPU with an MMU, and a paging kernel, for learning how virtual memory works."),
		kong.Writers(e.stdout, e.stderr), kong.UsageOnError(),
		kong.Exit(func(code int) { exited = code; panic(kongExit{}) }),
		kong.Bind(e), cliVars())
	if err != nil {
		panic("main.run: " + err.Error())
	}
	defer func() {
		if r := recover(); r != nil {
			if _, ok := r.(kongExit); !ok {
				panic(r)
			}
			status = exitCode(exited)
		}
	}()
	ctx, err := parser.Parse(gdbStyleFlags(args))
	if err != nil {
		fmt.Fprintf(e.stderr, "toyvm: %v\n", err)
		helpAfter(err, e)
		return exitUsage
	}
	return report(ctx.Run(e), e)
}

// helpAfter follows an error of use with help, on standard error: the
// usage of the command when its program or file is missing (a first try
// such as `toyvm run`), else where to find every flag.
func helpAfter(err error, e env) {
	var perr *kong.ParseError
	if !errors.As(err, &perr) || perr.Context == nil {
		return
	}
	if !strings.HasPrefix(err.Error(), "expected ") {
		fmt.Fprintf(e.stderr, "toyvm: %q lists every flag\n", strings.Join(strings.Fields("toyvm "+perr.Context.Command()+" --help"), " "))
		return
	}
	fmt.Fprintln(e.stderr)
	perr.Context.Stdout = e.stderr
	if err := perr.Context.PrintUsage(true); err != nil {
		fmt.Fprintf(e.stderr, "toyvm: %v\n", err)
	}
}

// kongExit unwinds out of kong when it wants to exit (after --help).
type kongExit struct{}

func exitCode(c int) int {
	if c != 0 {
		return exitUsage
	}
	return exitOK
}

// report turns a command's result into toyvm's exit status, printing
// errors of use.
func report(err error, e env) int {
	var st exitStatus
	var list asm.ErrorList
	switch {
	case err == nil:
		return exitOK
	case errors.As(err, &st):
		return int(st)
	case errors.As(err, &list):
		fmt.Fprintln(e.stderr, list) // file.s:12:7: message, one a line, as compilers print them
	default:
		fmt.Fprintf(e.stderr, "toyvm: %v\n", err)
	}
	return exitUsage
}
