package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/clvkit/clv/clv/dataset"
	"github.com/clvkit/clv/clv/synth"
	"github.com/clvkit/clv/io/render"
)

func init() { register(newGenerateCmd) }

const generateLong = `Generate a deterministic synthetic telecom subscriber base for trying out and
benchmarking clv: DIR/subscribers.csv and DIR/transactions.csv (or .parquet with
--format parquet). The same flags always give byte-identical files.

  subscribers.csv   subscriber_id, activation_date, churn_date (empty = active),
                    plan, customer_type, region
  transactions.csv  subscriber_id, date, amount — ordered by date, then subscriber,
                    like a billing export

The window is the --months calendar months ending with the month of --end. The
base has prepaid (irregular voucher top-ups), postpaid, family and business plans
(monthly bills on a billing-cycle day, prorated first and last bills), a few key
accounts with bills in the tens of thousands, plan-specific heterogeneous churn
(shifted-beta-geometric), subscribers activated before and during the window,
spend ramping up after activation and declining before churn, mild seasonality
and a few credit notes (negative amounts). Run 'go doc github.com/clvkit/clv/clv/synth'
for the exact model.

examples/telecom was made with
  clv generate --subscriber-count 3000 --months 24 --seed 1 --end 2024-12-31 --out examples/telecom`

// generateOptions are the flags of clv generate.
type generateOptions struct {
	subscribers int
	months      int
	seed        uint64
	end         string
	out         string
	complete    bool
}

func newGenerateCmd(a *app) *cobra.Command {
	var o generateOptions
	cmd := &cobra.Command{
		Use:   "generate --subscriber-count N --months M --seed S --out DIR",
		Short: "Write a deterministic synthetic telecom base (subscribers + transactions)",
		Long:  generateLong,
		Example: "  clv generate --subscriber-count 3000 --months 24 --seed 1 --out /tmp/telecom\n" +
			"  clv generate --subscriber-count 1000000 --months 24 --out /tmp/big --format parquet",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.generate(&o)
		},
	}
	fl := cmd.Flags()
	fl.IntVar(&o.subscribers, "subscriber-count", 10000, "number of subscribers `N`")
	// --subscribers is a FILE everywhere else.
	aliasFlag(fl, "subscriber-count", "subscribers")
	fl.IntVar(&o.months, "months", 24, "length of the window in calendar months")
	fl.Uint64Var(&o.seed, "seed", 1, "random seed; the same seed and flags give byte-identical files")
	fl.StringVar(&o.end, "end", "2024-12-31", "last day of the window, 2006-01-02")
	fl.StringVar(&o.out, "out", "", "output folder `DIR` (created when missing)")
	fl.BoolVar(&o.complete, "complete", false, "also export the subscribers who churned before the window (a complete, not left-truncated, subscriber export)")
	return hideInherited(cmd, "output", "table", "out-dir")
}

func (a *app) generate(o *generateOptions) error {
	if o.out == "" {
		return usagef("missing --out DIR")
	}
	if a.global.output != "" {
		return usagef("generate writes two files: use --out DIR instead of -o")
	}
	var format render.Format = render.FormatCSV
	if a.global.format != "" {
		f, err := render.ParseFormat(a.global.format)
		if err != nil {
			return usagef("--format: %v", err)
		}
		if f != render.FormatCSV && f != render.FormatParquet {
			return usagef("--format %s: generate writes csv or parquet", f)
		}
		format = f
	}
	if o.subscribers < 1 {
		return usagef("--subscribers must be at least 1, got %d", o.subscribers)
	}
	if o.months < 1 || o.months > 600 {
		return usagef("--months must be between 1 and 600, got %d", o.months)
	}
	end, err := parseFlagDate("--end", o.end)
	if err != nil {
		return err
	}
	base, err := synth.Generate(synth.Options{Subscribers: o.subscribers, Months: o.months, Seed: o.seed, End: end, Complete: o.complete})
	if err != nil {
		return usageError{err}
	}
	if err := a.ctx.Err(); err != nil {
		return err
	}
	if err := os.MkdirAll(o.out, 0o755); err != nil {
		return err
	}
	ext := "." + string(format)
	subPath := filepath.Join(o.out, "subscribers"+ext)
	txPath := filepath.Join(o.out, "transactions"+ext)
	writeSubs, writeTx := base.WriteSubscribers, base.WriteTransactions
	if format == render.FormatParquet {
		writeSubs = func(w io.Writer) error { return render.WriteTable(w, format, subscribersTable(&base.Subscribers)) }
		writeTx = func(w io.Writer) error { return render.WriteTable(w, format, transactionsTable(&base.Transactions)) }
	}
	// write errors name the file (render.Create's already do)
	named := func(path string, write func(io.Writer) error) func(io.Writer) error {
		return func(w io.Writer) error {
			if err := write(w); err != nil {
				return fmt.Errorf("write %s: %w", path, err)
			}
			return nil
		}
	}
	if err := a.writeAtomic(subPath, named(subPath, writeSubs)); err != nil {
		return err
	}
	if err := a.writeAtomic(txPath, named(txPath, writeTx)); err != nil {
		return err
	}
	a.notef("wrote %s (%d subscribers) and %s (%d transactions, %s to %s)",
		subPath, base.Subscribers.Len(), txPath, base.Transactions.Len(), base.Start, base.End)
	return nil
}

// subscribersTable lays out a subscriber table with the columns of subscribers.csv.
func subscribersTable(s *dataset.Subscribers) *render.Table {
	cols := []render.Column{
		render.Strings("subscriber_id", s.ID),
		render.Dates("activation_date", s.Activation),
		render.Dates("churn_date", s.Churn),
	}
	for k, name := range s.AttrNames {
		cols = append(cols, render.Strings(name, s.Attrs[k]))
	}
	return &render.Table{Columns: cols}
}

// transactionsTable lays out transactions with the columns of transactions.csv.
func transactionsTable(t *dataset.Transactions) *render.Table {
	ids := make([]string, len(t.Customer))
	for k, c := range t.Customer {
		ids[k] = t.IDs[c]
	}
	return &render.Table{Columns: []render.Column{
		render.Strings("subscriber_id", ids),
		render.Dates("date", t.Day),
		render.Floats("amount", t.Amount),
	}}
}
