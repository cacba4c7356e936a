package main

import (
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
	"golang.org/x/term"

	"github.com/clvkit/clv/clv/btyd"
	"github.com/clvkit/clv/clv/dataset"
	"github.com/clvkit/clv/clv/mle"
	"github.com/clvkit/clv/io/read"
	"github.com/clvkit/clv/io/render"
)

func isTerminal(f *os.File) bool { return term.IsTerminal(int(f.Fd())) }

// inputFlags are the input files and reader flags shared by every command that reads data.
type inputFlags struct {
	transactions string
	subscribers  string
	summary      string
	panel        string

	customerCol, dateCol, amountCol, activationCol, churnCol string
	delimiter, encoding, dateFormat                          string
	maxErrors                                                int
	rejects                                                  string
	dedupe                                                   bool
	maxLineBytes                                             int
	strict                                                   bool
}

// input kinds a command accepts.
const (
	withTransactions = 1 << iota
	withSubscribers
	withSummary
	withPanel
)

// addInputFlags registers -t/-s/--summary (as selected by kinds) and the reader flags.
func addInputFlags(cmd *cobra.Command, f *inputFlags, kinds int) {
	fl := cmd.Flags()
	if kinds&withTransactions != 0 {
		fl.StringVarP(&f.transactions, "transactions", "t", "", "transactions `FILE` (id, date, amount): .csv, .tsv, .gz, .parquet, a Parquet folder, or - for stdin")
	}
	if kinds&withSubscribers != 0 {
		fl.StringVarP(&f.subscribers, "subscribers", "s", "", "subscribers `FILE` (id, activation date, churn date, attributes)")
	}
	if kinds&withSummary != 0 {
		fl.StringVar(&f.summary, "summary", "", "per-customer summary `FILE` (as written by clv summarize) instead of --transactions")
	}
	if kinds&withPanel != 0 {
		fl.StringVar(&f.panel, "panel", "", "customer x period spend `FILE` (customer_id, period, amount[, transactions]: clv panel or examples/sql/panel*.sql) instead of --transactions; periods must start the --period")
	}
	fl.StringVar(&f.customerCol, "customer-col", "", "customer id column (default: auto-detect, e.g. customer_id, subscriber_id, 用户ID)")
	// Each command shows only the column flags of the inputs it reads.
	if kinds&(withTransactions|withPanel) != 0 {
		fl.StringVar(&f.dateCol, "date-col", "", "transaction date column (default: auto-detect, e.g. date, order_date, 账期)")
		fl.StringVar(&f.amountCol, "amount-col", "", "amount column (default: auto-detect, e.g. amount, revenue, 金额)")
	}
	if kinds&withSubscribers != 0 {
		fl.StringVar(&f.activationCol, "activation-col", "", "subscriber activation date column (default: auto-detect, e.g. activation_date, 入网时间)")
		fl.StringVar(&f.churnCol, "churn-col", "", "subscriber churn date column, empty = active (default: auto-detect, e.g. churn_date, 离网时间)")
	}
	fl.StringVar(&f.delimiter, "delimiter", "", "field delimiter: ',', 'tab', ';' or '|' (default: sniffed from the header)")
	fl.StringVar(&f.encoding, "encoding", "", "input text encoding: utf-8, gbk or gb18030 (default: detected; UTF-8 with or without BOM, else GB18030 when valid)")
	fl.StringVar(&f.dateFormat, "date-format", "", "Go time layout of dates, e.g. 02/01/2006 (default: 2006-01-02, 20060102, 2006/01/02, RFC 3339, 2006-01, 2006/1/2, 2006-1-2, 2006.1.2, 2006年1月2日)")
	fl.IntVar(&f.maxErrors, "max-errors", 0, "bad rows tolerated before the run stops (each is written to --rejects)")
	fl.StringVar(&f.rejects, "rejects", "", "write rejected rows to `FILE` as CSV (line, reason, raw)")
	fl.BoolVar(&f.dedupe, "dedupe", false, "drop exact duplicate rows (kept by default) and report how many")
	fl.BoolVar(&f.strict, "strict", false, "treat data warnings (ids without a match, rows before activation or after churn, far-off dates, control characters in ids, a summary's unit) as errors")
	fl.IntVar(&f.maxLineBytes, "max-line-bytes", read.DefaultMaxLineBytes, "longest record (line) of a text input in `BYTES`, and so of any field; a longer one stops the read")
}

// readOptions builds the reader options; the returned finish function must be
// called with the outcome to commit or discard the rejects file.
func (a *app) readOptions(f *inputFlags) (read.Options, func(ok bool) error, error) {
	opt := read.Options{
		CustomerCol: f.customerCol, DateCol: f.dateCol, AmountCol: f.amountCol,
		ActivationCol: f.activationCol, ChurnCol: f.churnCol,
		Encoding: f.encoding, DateFormat: f.dateFormat, MaxErrors: f.maxErrors,
		Dedupe: f.dedupe, Stdin: a.in, Notes: a.notes(), MaxLineBytes: f.maxLineBytes,
	}
	switch strings.ToLower(f.delimiter) {
	case "":
	case ",", "comma":
		opt.Delimiter = ','
	case "\t", `\t`, "tab":
		opt.Delimiter = '\t'
	case ";", "semicolon":
		opt.Delimiter = ';'
	case "|", "pipe":
		opt.Delimiter = '|'
	default:
		return opt, nil, usagef("--delimiter %q: want ',', 'tab', ';' or '|'", f.delimiter)
	}
	switch strings.ToLower(f.encoding) {
	case "", "utf-8", "utf8", "gbk", "gb18030":
	default:
		return opt, nil, usagef("--encoding %q: want utf-8, gbk or gb18030", f.encoding)
	}
	if f.maxLineBytes < 1 {
		return opt, nil, usagef("--max-line-bytes must be 1 or more, got %d", f.maxLineBytes)
	}
	if f.maxErrors < 0 {
		return opt, nil, usagef("--max-errors must be 0 or more, got %d", f.maxErrors)
	}
	finish := func(bool) error { return nil }
	if f.rejects != "" {
		// Nothing is created until the rejects are written out (end of the read).
		out, err := a.create(f.rejects)
		if err != nil {
			return opt, nil, err
		}
		opt.Rejects = out
		finish = func(ok bool) error {
			if !ok && a.ctx.Err() != nil {
				out.Abort()
				return nil
			}
			return out.Commit()
		}
	}
	return opt, finish, nil
}

// notes is where informational messages go: stderr, or nowhere with --quiet.
func (a *app) notes() io.Writer {
	if a.global.quiet {
		return io.Discard
	}
	return a.errOut
}

// notef prints a note on stderr unless --quiet.
func (a *app) notef(format string, args ...any) {
	fmt.Fprintf(a.notes(), format+"\n", args...)
}

// loaded is the data a command read.
type loaded struct {
	tx    *dataset.Transactions
	subs  *dataset.Subscribers
	subOf []int32 // per customer of tx: subscriber row or -1 (when subs != nil)
	stats []read.Stats
	// summary is a per-customer summary read with --summary (no transactions).
	summary *dataset.Summary
	// sanity is the doubtful data found (warnings already printed).
	sanity dataset.Sanity
}

// load reads the transactions and/or subscribers named by f. needTx and
// needSubs say which are required.
func (a *app) load(f *inputFlags, needTx, needSubs bool) (*loaded, error) {
	if f.panel != "" {
		if f.transactions != "" {
			return nil, usagef("give either --panel or --transactions, not both")
		}
		// A panel row is the spend of a customer in a period, dated at the
		// period's first day: read as a transaction, it rebuilds the same
		// panel cell (checkPanelPeriods verifies the dates).
		g := *f
		g.transactions, g.panel = f.panel, ""
		if g.dateCol == "" {
			g.dateCol = "period"
		}
		if g.amountCol == "" {
			g.amountCol = "amount"
		}
		return a.load(&g, needTx, needSubs)
	}
	if needTx && f.transactions == "" {
		return nil, usagef("missing --transactions FILE")
	}
	if needSubs && f.subscribers == "" {
		return nil, usagef("missing --subscribers FILE")
	}
	if f.transactions == "-" && f.subscribers == "-" {
		return nil, usagef("only one input can be read from stdin (-)")
	}
	opt, finish, err := a.readOptions(f)
	if err != nil {
		return nil, err
	}
	l := &loaded{}
	err = func() error {
		if f.subscribers != "" {
			o := opt
			o.Progress, o.RowProgress = a.progressBar("subscribers")
			s, st, err := read.Subscribers(f.subscribers, o)
			if err != nil {
				return err
			}
			a.notef("%s: %s", f.subscribers, st)
			l.subs = s
			l.stats = append(l.stats, st)
		}
		if f.transactions != "" {
			o := opt
			o.Progress, o.RowProgress = a.progressBar("transactions")
			t, st, err := read.Transactions(f.transactions, o)
			if err != nil {
				return err
			}
			a.notef("%s: %s", f.transactions, st)
			l.tx = t
			l.stats = append(l.stats, st)
		} else {
			l.tx = &dataset.Transactions{}
		}
		if l.subs != nil {
			subOf, err := dataset.Join(l.tx, l.subs)
			if err != nil {
				return fmt.Errorf("%s: %w", f.subscribers, err)
			}
			l.subOf = subOf
		}
		if err := a.checkData(f, l); err != nil {
			return err
		}
		return a.ctx.Err()
	}()
	if ferr := finish(err == nil); err == nil && ferr != nil {
		return nil, ferr
	}
	if err != nil {
		return nil, err
	}
	return l, nil
}

// errDoubtful marks a data warning turned into an error by --strict.
var errDoubtful = errors.New("doubtful data (--strict)")

// checkData counts doubtful data (dataset.Check): no id overlap between
// subscribers and transactions is an error; every other finding is a
// warning on stderr, or an error with --strict.
func (a *app) checkData(f *inputFlags, l *loaded) error {
	l.sanity = dataset.Check(l.tx, l.subs, l.subOf, dataset.CheckOptions{})
	if err := l.sanity.Err(); err != nil {
		return fmt.Errorf("%s and %s: %w", f.subscribers, f.transactions, err)
	}
	return a.warnFindings(f, l)
}

// warnFindings prints each data finding as a warning, or with --strict
// returns the first as an error.
func (a *app) warnFindings(f *inputFlags, l *loaded) error {
	for _, w := range l.sanity.Findings() {
		if f.strict {
			return fmtDoubtful(w.Message)
		}
		a.warnf("%s", w.Message)
	}
	return nil
}

// fmtDoubtful is the --strict error of a data warning.
func fmtDoubtful(msg string) error { return fmt.Errorf("%w: %s", errDoubtful, msg) }

// warnf prints a data warning on stderr, unless --quiet (which keeps only
// errors; --strict makes the warnings errors).
func (a *app) warnf(format string, args ...any) {
	fmt.Fprintf(a.notes(), "clv: warning: "+format+"\n", args...)
}

// timeFlags are the shared time flags.
type timeFlags struct {
	asOf     string
	unit     string
	period   string
	discount float64
	unitFlag *pflag.Flag // the --unit flag, to tell a default from a choice
	// discountFlag is the --discount flag, to tell the default (1% a month,
	// converted to the command's time step) from a given rate.
	discountFlag *pflag.Flag
}

func addAsOf(cmd *cobra.Command, t *timeFlags) {
	cmd.Flags().StringVar(&t.asOf, "as-of", "", "last day of the observation window, inclusive, as 2006-01-02 (default: the latest date in the inputs: transaction, activation or churn date)")
}

func addUnit(cmd *cobra.Command, t *timeFlags, def string) {
	cmd.Flags().StringVar(&t.unit, "unit", def, "model time unit: day, week or month (month = 365.25/12 days); with --summary, taken from tenure_days / T when the file has tenure_days")
	t.unitFlag = cmd.Flags().Lookup("unit")
}

func addPeriod(cmd *cobra.Command, t *timeFlags) {
	cmd.Flags().StringVar(&t.period, "period", "month", "calendar period for panels and life tables: month, quarter or year")
}

// defaultMonthlyDiscount is the one default discount rate of every command:
// 1% a month, converted to the command's time step (see discountPer).
const defaultMonthlyDiscount = 0.01

// addDiscount registers --discount, a rate per step ("--period", "--unit").
// Without the flag the rate is defaultMonthlyDiscount converted to the step
// (resolveDiscount).
func addDiscount(cmd *cobra.Command, t *timeFlags, per string) {
	cmd.Flags().Float64Var(&t.discount, "discount", defaultMonthlyDiscount, "discount rate per "+per+" (e.g. 0.01 = 1%); default 1% a month, converted to the "+per+": (1.01)^(months per step) - 1, e.g. 0.030301 a quarter, 0.002292 a week")
	t.discountFlag = cmd.Flags().Lookup("discount")
	t.discountFlag.DefValue = "1% a month"
}

// discountPer converts defaultMonthlyDiscount to a step of months months,
// rounded to 12 significant digits so that one month is exactly 0.01 (not
// 1.01^1 - 1 = 0.010000000000000009).
func discountPer(months float64) float64 {
	v := math.Pow(1+defaultMonthlyDiscount, months) - 1
	r, _ := strconv.ParseFloat(strconv.FormatFloat(v, 'g', 12, 64), 64)
	return r
}

// resolveDiscount sets the default discount for a step of months months
// when --discount was not given.
func (t *timeFlags) resolveDiscount(months float64) {
	if t.discountFlag != nil && !t.discountFlag.Changed {
		t.discount = discountPer(months)
	}
}

// checkDiscount rejects a --discount that is not a finite rate >= 0.
func checkDiscount(d float64) error {
	if !(d >= 0) || math.IsInf(d, 0) {
		return usagef("--discount must be a finite rate >= 0, got %v", d)
	}
	return nil
}

// asOfDay parses --as-of; NoDay when empty.
func (t *timeFlags) asOfDay() (dataset.Day, error) {
	if t.asOf == "" {
		return dataset.NoDay, nil
	}
	return parseFlagDate("--as-of", t.asOf)
}

func parseFlagDate(flag, s string) (dataset.Day, error) {
	tm, err := time.Parse("2006-01-02", s)
	if err != nil {
		return dataset.NoDay, usagef("%s %q: want a date as 2006-01-02", flag, s)
	}
	return dataset.DayOf(tm), nil
}

func (t *timeFlags) unitValue() (dataset.Unit, error) {
	u, err := dataset.ParseUnit(t.unit)
	if err != nil {
		return 0, usagef("--unit: %v", err)
	}
	return u, nil
}

func (t *timeFlags) periodValue() (dataset.Period, error) {
	p, err := dataset.ParsePeriod(t.period)
	if err != nil {
		return 0, usagef("--period: %v", err)
	}
	return p, nil
}

// outputFormat resolves --format: explicit, else from the -o extension (an
// extension clv does not write is a usage error), else table on a terminal
// and csv otherwise.
func (a *app) outputFormat() (render.Format, error) {
	if a.global.format != "" {
		f, err := render.ParseFormat(a.global.format)
		if err != nil {
			return "", usagef("--format: %v", err)
		}
		return f, nil
	}
	if a.global.output != "" && a.global.output != "-" {
		f, ok, err := formatFromOutput(a.global.output)
		if err != nil || ok {
			return f, err
		}
		return render.FormatCSV, nil
	}
	if a.isTTY {
		return render.FormatTable, nil
	}
	return render.FormatCSV, nil
}

// emit runs write against stdout or, with -o, an atomically written file.
// Parquet is refused on a terminal.
func (a *app) emit(write func(w io.Writer, f render.Format) error) error {
	f, err := a.outputFormat()
	if err != nil {
		return err
	}
	if err := a.ctx.Err(); err != nil {
		return err
	}
	if a.global.output == "" || a.global.output == "-" {
		if f == render.FormatParquet && a.isTTY {
			return usagef("refusing to write Parquet to a terminal; use -o FILE or a pipe")
		}
		return write(a.out, f)
	}
	return a.writeAtomic(a.global.output, func(w io.Writer) error { return write(w, f) })
}

// writeSVG draws a chart and writes it to path (a --chart file), naming the
// file in a drawing error.
func (a *app) writeSVG(path string, draw func() ([]byte, error)) error {
	svg, err := draw()
	if err != nil {
		return fmt.Errorf("chart %s: %w", path, err)
	}
	return a.writeAtomic(path, func(w io.Writer) error {
		_, err := w.Write(svg)
		return err
	})
}

// create prepares an output file (-o, --rejects, --save, --chart, generate):
// see render.Create for what is written in place and what atomically.
func (a *app) create(path string) (*render.Output, error) {
	return render.Create(path, render.OutputOptions{Force: a.global.force})
}

// writeAtomic writes path through render.Create: a regular file is written
// to a temporary file renamed into place only when write succeeds and the
// run has not been cancelled; a device or FIFO is written in place.
func (a *app) writeAtomic(path string, write func(io.Writer) error) error {
	out, err := a.create(path)
	if err != nil {
		return err
	}
	if err := write(out); err != nil {
		out.Abort()
		return err
	}
	if err := a.ctx.Err(); err != nil {
		out.Abort()
		return err
	}
	return out.Commit()
}

// withDigits sets the decimals a terminal table shows for c (0: the default).
func withDigits(c render.Column, d int) render.Column {
	c.Digits = d
	return c
}

// parseFloatList parses the comma-separated numbers of a flag ("1,2.5,3");
// an empty or blank value gives nil. An item that is not a finite float64
// (text, NaN, ±Inf, overflow) is a usage error naming the flag and the item.
func parseFloatList(flag, s string) ([]float64, error) {
	if strings.TrimSpace(s) == "" {
		return nil, nil
	}
	parts := strings.Split(s, ",")
	out := make([]float64, len(parts))
	for i, p := range parts {
		p = strings.TrimSpace(p)
		v, err := strconv.ParseFloat(p, 64)
		switch {
		case errors.Is(err, strconv.ErrRange):
			return nil, usagef("%s: %q is out of range (want a comma-separated list of finite numbers, e.g. 1,2.5,3)", flag, p)
		case err != nil:
			return nil, usagef("%s: %q is not a number (want a comma-separated list, e.g. 1,2.5,3)", flag, p)
		case math.IsNaN(v) || math.IsInf(v, 0):
			return nil, usagef("%s: %q is not a finite number (want a comma-separated list, e.g. 1,2.5,3)", flag, p)
		}
		out[i] = v
	}
	return out, nil
}

// chartFormat returns the image format of a --chart file from its
// extension: "svg" or "png"; "" when name is empty (no chart).
func chartFormat(name string) (string, error) {
	if name == "" {
		return "", nil
	}
	switch strings.ToLower(filepath.Ext(name)) {
	case ".svg":
		return "svg", nil
	case ".png":
		return "png", nil
	}
	return "", usagef("--chart %q: the file name must end in .svg or .png", name)
}

// addFitTimeout registers --fit-timeout on a command that fits models. The
// value reaches the analysis layer through baseOptions and direct fits
// through btydOptions.
func addFitTimeout(cmd *cobra.Command, a *app) {
	cmd.Flags().DurationVar(&a.fitTimeout, "fit-timeout", mle.DefaultTimeout,
		"wall-clock budget of each model fit, e.g. 10s or 2m; a fit that needs longer stops with exit code 3")
}

// btydOptions returns repeat-purchase fit options bounded by --fit-timeout
// and cancelled with the run.
func (a *app) btydOptions(penalizer float64) btyd.Options {
	return btyd.Options{Penalizer: penalizer, Timeout: a.fitTimeout, Context: a.ctx}
}
