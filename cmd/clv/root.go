package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sort"
	"strings"

	"github.com/spf13/cobra"

	"github.com/clvkit/clv/clv/btyd"
	"github.com/clvkit/clv/clv/dataset"
	"github.com/clvkit/clv/clv/retention"
	"github.com/clvkit/clv/io/read"
	"github.com/clvkit/clv/io/render"
)

// Exit codes (documented in `clv --help` and the README).
const (
	exitOK          = 0
	exitData        = 1 // bad data, I/O or any other runtime error
	exitUsage       = 2 // bad flags or arguments
	exitNoConverge  = 3 // a model fit did not converge
	exitInterrupted = 130
)

// app carries the streams a command uses, so tests run commands in-process.
type app struct {
	in     io.Reader
	out    io.Writer
	errOut io.Writer
	isTTY  bool // stdout is a terminal: default format table instead of csv
	errTTY bool // stderr is a terminal: progress bars allowed
	ctx    context.Context
	global globalFlags
}

// globalFlags are the persistent flags of every command.
type globalFlags struct {
	format string
	output string
	quiet  bool
}

var commands []func(*app) *cobra.Command

// register adds a command constructor; each command file calls it from init.
func register(f func(*app) *cobra.Command) { commands = append(commands, f) }

// convergenceErrors are the sentinels of the model packages that mean "the fit
// did not converge" or "the data cannot identify the model" (exit code 3).
var convergenceErrors = []error{
	btyd.ErrNotConverged,      // BG/NBD family and Gamma-Gamma: optimiser stopped without converging
	btyd.ErrNotIdentified,     // BG/NBD family: the data cannot identify the parameters
	retention.ErrNotConverged, // sBG retention fit
}

// usageError marks an error in the flags or arguments (exit code 2).
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }

// usagef returns a usage error.
func usagef(format string, args ...any) error {
	return usageError{fmt.Errorf(format, args...)}
}

const rootLong = `clv computes customer lifetime value from subscriber and transaction exports.

It reads CSV/TSV (optionally gzipped, GBK/GB18030 or UTF-8, "-" for stdin) and
Parquet (a file or a folder of parts), builds the per-customer summary, and runs
RFM scoring, retention (life tables, shifted-beta-geometric) and migration CLV,
Markov-chain lifecycle models, BG/NBD-family repeat-purchase models and segment
reports.

Output goes to stdout as an aligned table on a terminal and CSV otherwise; choose
with --format table|csv|json|markdown|parquet and write a file atomically with -o.
Notes, progress and errors go to stderr.

Exit codes:
  0    success
  1    data or runtime error (bad input row, unreadable file, ...)
  2    usage error (unknown flag, bad flag value, missing input)
  3    a model fit did not converge (the message says why)
  130  interrupted (Ctrl-C); no partial output file is left behind`

func newRootCmd(a *app) *cobra.Command {
	root := &cobra.Command{
		Use:           "clv",
		Short:         "Customer lifetime value analytics for subscriber and transaction exports",
		Long:          rootLong,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	pf := root.PersistentFlags()
	pf.StringVar(&a.global.format, "format", "", "output format: table, csv, json, markdown or parquet (default table on a terminal, csv otherwise)")
	pf.StringVarP(&a.global.output, "output", "o", "", "write the result to `FILE` atomically instead of stdout")
	pf.BoolVarP(&a.global.quiet, "quiet", "q", false, "no notes or progress on stderr (errors are still printed)")
	// Validate the global flags before any command does work.
	root.PersistentPreRunE = func(cmd *cobra.Command, args []string) error {
		_, err := a.outputFormat()
		return err
	}
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error { return usageError{err} })
	root.SetIn(a.in)
	root.SetOut(a.out)
	root.SetErr(a.errOut)
	for _, f := range commands {
		root.AddCommand(f(a))
	}
	sort.Slice(root.Commands(), func(i, j int) bool { return root.Commands()[i].Name() < root.Commands()[j].Name() })
	return root
}

// run executes the command line and returns the process exit code.
func run(args []string, in io.Reader, out, errOut io.Writer, isTTY bool) int {
	// SIGINT: cancel, remove any half-written output file, exit 130 at once
	// (reads and fits do not wait for a checkpoint).
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, os.Interrupt)
	defer signal.Stop(sigs)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	finished := make(chan struct{})
	defer close(finished)
	go func() {
		select {
		case <-sigs:
			cancel()
			render.AbortAll()
			fmt.Fprintln(errOut, "clv: interrupted")
			os.Exit(exitInterrupted)
		case <-finished:
		}
	}()
	a := &app{in: in, out: out, errOut: errOut, isTTY: isTTY, ctx: ctx}
	if f, ok := errOut.(*os.File); ok {
		a.errTTY = isTerminal(f)
	}
	root := newRootCmd(a)
	root.SetArgs(args)
	err := root.ExecuteContext(ctx)
	if err == nil {
		return exitOK
	}
	code := exitCode(err)
	if code == exitInterrupted {
		fmt.Fprintln(errOut, "clv: interrupted")
		return code
	}
	fmt.Fprintf(errOut, "clv: %v\n", err)
	if code == exitUsage && !strings.Contains(err.Error(), "--help") {
		fmt.Fprintln(errOut, "Run 'clv --help' or 'clv COMMAND --help' for usage.")
	}
	return code
}

// exitCode maps an error to the documented exit codes; this is the only place that does.
func exitCode(err error) int {
	var ue usageError
	switch {
	case errors.Is(err, context.Canceled):
		return exitInterrupted
	case errors.As(err, &ue):
		return exitUsage
	case isCobraUsage(err):
		return exitUsage
	}
	for _, s := range convergenceErrors {
		if errors.Is(err, s) {
			return exitNoConverge
		}
	}
	if errors.Is(err, read.ErrBadInput) || errors.Is(err, dataset.ErrEmpty) {
		return exitData
	}
	return exitData
}

// isCobraUsage recognises cobra's own argument errors (unknown command,
// wrong number of arguments), which it returns as plain errors.
func isCobraUsage(err error) bool {
	msg := err.Error()
	for _, p := range []string{"unknown command", "accepts ", "requires at least", "requires at most", "unknown flag", "unknown shorthand flag", "invalid argument", "flag needs an argument", "required flag"} {
		if strings.HasPrefix(msg, p) || strings.Contains(msg, " "+p) {
			return true
		}
	}
	return false
}
