package main

import (
	"github.com/spf13/cobra"

	"github.com/clvkit/clv/clv/dataset"
	"github.com/clvkit/clv/io/render"
)

func init() { register(newSummarizeCmd) }

const summarizeLong = `Build the per-customer summary: one row per customer with these columns, in order:

  customer_id    the customer (subscriber) id
  first_date     first transaction date in the window (empty: subscriber without transactions)
  last_date      last transaction date in the window
  transactions   number of transaction rows
  transaction_days  number of distinct transaction days
  total_amount   sum of amounts (refunds and zero amounts included)
  mean_amount    total_amount / transactions
  recency_days   as_of − last_date in days (RFM recency; for a subscriber without
                 transactions: days since activation)
  tenure_days    as_of − first_date, or as_of − activation date when --subscribers is given
  x              repeat transactions: distinct transaction days − 1
  t_x            last_date − first_date, in --unit (model recency, NOT RFM recency)
  T              as_of − first_date, in --unit (age of the customer)
  monetary       mean amount of the repeat days (first day left out), 0 when x = 0
  periods        deprecated copy of transaction_days (the old name; "periods" means
                 calendar periods elsewhere), removed in the next release

x, t_x, T and monetary follow Fader & Hardie and the R package BTYD: transactions on
the same day are merged (amounts summed) before counting. --unit day = 1 day,
week = 7 days, month = 365.25/12 = 30.4375 days (not 30). --as-of is inclusive;
rows after it are left out (and counted on stderr), for use as a holdout later.

The summary can be read back with --summary by the model commands, so a summary built
elsewhere (see examples/sql/ for DuckDB, Spark and Hive) can replace the raw rows.`

func newSummarizeCmd(a *app) *cobra.Command {
	var in inputFlags
	var tf timeFlags
	cmd := &cobra.Command{
		Use:     "summarize -t TRANSACTIONS [-s SUBSCRIBERS] [--as-of DATE] [--unit week]",
		Aliases: []string{"summary"},
		Short:   "Per-customer summary: dates, counts, amounts, recency, tenure and x, t_x, T, monetary",
		Long:    summarizeLong,
		Example: "  clv summarize -t examples/cdnow/cdnow_sample.csv --as-of 1997-09-30 --unit week\n" +
			"  clv summarize -t examples/telecom/transactions.csv -s examples/telecom/subscribers.csv -o summary.parquet",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			s, _, err := a.summarize(&in, &tf)
			if err != nil {
				return err
			}
			r := single("summarize", "Per-customer summary", summaryTable(s))
			r.Main = "customers"
			r.Add("as_of", s.AsOf).Add("unit", s.Unit.String()).Add("rows_after_as_of", s.Excluded)
			a.deprecatedColumn(r, "customers", "transaction_days", "periods")
			return a.writeResult(r)
		},
	}
	addInputFlags(cmd, &in, withTransactions|withSubscribers)
	addAsOf(cmd, &tf)
	addUnit(cmd, &tf, "week")
	return cmd
}

// summaryTable lays out a summary with the stable column names of `clv summarize`.
func summaryTable(s *dataset.Summary) *render.Table {
	return &render.Table{Name: "customers", Columns: []render.Column{
		render.Strings("customer_id", s.IDs),
		render.Dates("first_date", s.First),
		render.Dates("last_date", s.Last),
		render.Ints("transactions", s.Transactions),
		render.Int32s("transaction_days", s.Periods),
		render.Floats("total_amount", s.Total),
		render.Floats("mean_amount", s.Mean),
		render.Int32s("recency_days", s.Recency),
		render.Int32s("tenure_days", s.Tenure),
		render.Int32s("x", s.X),
		render.Floats("t_x", s.Tx).WithUnit(s.Unit.String()),
		render.Floats("T", s.T).WithUnit(s.Unit.String()),
		render.Floats("monetary", s.Monetary),
	}}
}
