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
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/clvkit/clv/clv/dataset"
	"github.com/clvkit/clv/clv/hazard"
	"github.com/clvkit/clv/clv/mle"
	"github.com/clvkit/clv/io/read"
	"github.com/clvkit/clv/io/render"
)

// Exit codes (documented in `clv --help` and the README).
const (
	exitOK          = 0
	exitData        = 1   // bad data, I/O or any other runtime error
	exitUsage       = 2   // bad flags or arguments
	exitNoConverge  = 3   // a model fit did not converge
	exitHangup      = 129 // SIGHUP: 128 + 1
	exitInterrupted = 130 // SIGINT (Ctrl-C): 128 + 2
	exitTerminated  = 143 // SIGTERM (kill, cron and systemd timeouts): 128 + 15
)

// signalExit is the cancellation cause of a run stopped by a signal: its
// exit code and the message printed.
type signalExit struct {
	code int
	msg  string
}

func (s signalExit) Error() string { return s.msg }

// stopSignals are the signals that stop a run cleanly: any half-written
// output file is removed and the process exits with 128 + the signal number.
var stopSignals = map[os.Signal]signalExit{
	os.Interrupt:    {exitInterrupted, "interrupted"},
	syscall.SIGTERM: {exitTerminated, "terminated (SIGTERM)"},
	syscall.SIGHUP:  {exitHangup, "hangup (SIGHUP)"},
}

// app carries the streams a command uses, so tests run commands in-process.
type app struct {
	in     io.Reader
	out    io.Writer
	errOut io.Writer
	isTTY  bool // stdout is a terminal: default format table instead of csv
	errTTY bool // stderr is a terminal: progress bars allowed
	ctx    context.Context
	global globalFlags
	// fitTimeout is --fit-timeout of the commands that fit models (0: the model packages' default).
	fitTimeout time.Duration
	// maxMemory is --max-memory ("" = the memory available, see memoryLimit).
	maxMemory string
}

// globalFlags are the persistent flags of every command.
type globalFlags struct {
	format string
	output string
	quiet  bool
	force  bool
	out    outputFlags // --table, --out-dir
}

var commands []func(*app) *cobra.Command

// register adds a command constructor; each command file calls it from init.
func register(f func(*app) *cobra.Command) { commands = append(commands, f) }

// convergenceErrors are the sentinels that mean "the fit did not converge" or
// "the data cannot identify the model" (exit code 3). The maximum-likelihood
// models (btyd; retention: sBG, migration) wrap the two of clv/mle; the churn
// hazard's logistic fit has its own.
var convergenceErrors = []error{
	mle.ErrNotConverged,    // optimiser stopped: evaluation cap, time budget, non-finite step, failed line search
	mle.ErrNotIdentified,   // a parameter runs off to zero or infinity, no churn, no transitions, ...
	hazard.ErrNotConverged, // churn hazard (clv risk, clv backtest): logistic fit stopped
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

A result is a set of named tables plus metadata (as-of date, unit, horizon,
discount, parameters). Output goes to stdout as aligned tables on a terminal and
CSV otherwise; choose with --format table|csv|json|markdown|parquet and write a
file atomically with -o. CSV and Parquet hold one plain table (the main one, or
--table NAME; --table list names them), JSON holds every table and the metadata,
--out-dir DIR writes every table as its own file plus metadata.json. Notes,
progress and errors go to stderr.

Exit codes:
  0    success
  1    data or runtime error (bad input row, unreadable file, ...)
  2    usage error (unknown flag, bad flag value, missing input)
  3    a model fit did not converge or the data cannot identify the model
       (the message names the parameter or says why); every fit is bounded
       by an evaluation cap and --fit-timeout (default 30s)
  129  hangup (SIGHUP)
  130  interrupted (Ctrl-C, SIGINT)
  143  terminated (SIGTERM, e.g. a cron or systemd timeout)
  On 129, 130 and 143 no partial output file is left behind.

Output files (-o, --save, --chart, --rejects, generate): a regular file is
written to a temporary file renamed into place on success, keeping the mode
of the file it replaces (a new file gets 0666 minus the umask); a symbolic
link is followed and the file it points to replaced; devices, FIFOs and
/dev/stdout are written directly. A read-only file is not replaced without
--force.`

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
	pf.StringVarP(&a.global.output, "output", "o", "", "write the result to `FILE` atomically instead of stdout (devices and FIFOs are written directly)")
	pf.BoolVar(&a.global.force, "force", false, "replace read-only output files (-o, --save, --chart, --rejects)")
	pf.BoolVarP(&a.global.quiet, "quiet", "q", false, "no notes or progress on stderr (errors are still printed)")
	addOutputFlags(pf, &a.global.out)
	pf.StringVar(&a.maxMemory, "max-memory", "", "memory the large analysis steps (the customer × period panel) may take, e.g. 8GB or 512MB (default: the memory available when the data is loaded)")
	// Validate the global flags before any command does work.
	root.PersistentPreRunE = func(cmd *cobra.Command, args []string) error { return a.preRun(cmd) }
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

// preRun validates the global flags before any command does work (a command
// with its own PersistentPreRunE calls it).
func (a *app) preRun(cmd *cobra.Command) error {
	if err := a.checkDeprecatedFlags(cmd); err != nil {
		return err
	}
	if f := cmd.Flags().Lookup("fit-timeout"); f != nil && a.fitTimeout <= 0 {
		return usagef("--fit-timeout must be a positive duration such as 30s or 2m, got %s", f.Value)
	}
	if _, err := a.outputFormat(); err != nil {
		return err
	}
	if err := a.checkOutputFlags(); err != nil {
		return err
	}
	if p := a.global.output; p != "" && p != "-" {
		// Refuse a folder or a read-only file before any work; nothing
		// is created until the output starts.
		out, err := a.create(p)
		if err != nil {
			return err
		}
		out.Abort()
	}
	return nil
}

// run executes the command line and returns the process exit code.
func run(args []string, in io.Reader, out, errOut io.Writer, isTTY bool) int {
	// SIGINT, SIGTERM, SIGHUP: cancel, remove any half-written output file,
	// exit 128 + the signal number at once (reads and fits do not wait for
	// a checkpoint).
	sigs := make(chan os.Signal, 1)
	for s := range stopSignals {
		signal.Notify(sigs, s)
	}
	defer signal.Stop(sigs)
	ctx, cancel := context.WithCancelCause(context.Background())
	defer cancel(nil)
	finished := make(chan struct{})
	defer close(finished)
	go func() {
		select {
		case s := <-sigs:
			se := stopSignals[s]
			cancel(se)
			render.AbortAll()
			fmt.Fprintf(errOut, "clv: %s\n", se.msg)
			os.Exit(se.code)
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
	var se signalExit
	if errors.As(context.Cause(ctx), &se) {
		// Stopped by a signal (the handler exits too; whichever is first).
		fmt.Fprintf(errOut, "clv: %s\n", se.msg)
		return se.code
	}
	code := exitCode(err)
	if code == exitInterrupted {
		fmt.Fprintln(errOut, "clv: interrupted")
		return code
	}
	fmt.Fprintf(errOut, "clv: %v\n", err)
	if errors.Is(err, mle.ErrTimeBudget) {
		fmt.Fprintf(errOut, "The fit stopped at its time budget (--fit-timeout, now %v); a larger one may let it finish.\n", a.fitTimeout)
	}
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
