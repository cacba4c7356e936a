package main

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/clvkit/clv/clv"
	"github.com/clvkit/clv/clv/dataset"
	"github.com/clvkit/clv/clv/kpi"
	"github.com/clvkit/clv/io/render"
)

func init() {
	register(newKPICmd)
}

const kpiLong = `Base movement of a subscriber base per calendar period: the monthly figures an
operator manages by (subscribers in network, gross adds, churners, churn rate, ARPU).

One row per period (--period month, quarter or year) for the whole base (group
empty) and, with --by COLUMN[,COLUMN...], for every combination of those subscriber
columns (values joined with "/"). For a period from day s to day e (e = --as-of in a
partial last period); the churn date is the first day without service:

  period              first day of the period (ISO date)
  group               "" for the whole base, else the --by values
  opening_base        activated before s, churn date empty or on/after s
  gross_adds          activation date in [s, e]
  churners            churn date in [s, e]
  net_adds            gross_adds - churners
  closing_base        opening_base + net_adds (activated by e, churn date empty or
                      after e; the next period's opening_base)
  churn_rate          churners / average of opening_base and closing_base
With -t (amounts of the subscribers' transactions, dated in the period):
  revenue             sum of the amounts dated in [s, e] (also final bills after churn)
  arpu                revenue / average of opening_base and closing_base
  arppu               revenue / paying_subscribers
  paying_share        paying_subscribers / average base (arpu = paying_share x arppu)
  new_arpu            revenue of the period's gross adds / gross_adds
  paying_subscribers  subscribers whose amounts in the period sum to more than 0

A ratio with a zero denominator is 0. Rows whose churn date precedes the activation
date, subscribers activated after --as-of, transactions after --as-of and transactions
of customers not in the subscriber file are left out and counted on stderr.

--observed-from: an export that holds only the subscribers in service on some day
(those who churned earlier were purged) has no churners before it, so the periods
before it are left out (counted on stderr); subscribers activated earlier are in the
opening base. auto (the default) detects it as every command does: subscribers
activated before the first transaction date and no churn before it (without -t: the
start of the month of the earliest churn, when over a fifth of the subscribers were
activated more than a year before it).`

type kpiOptions struct {
	in inputFlags
	tf timeFlags
	bf baseFlags
	by string
}

func newKPICmd(a *app) *cobra.Command {
	var o kpiOptions
	cmd := &cobra.Command{
		Use:   "kpi -s SUBSCRIBERS [-t TRANSACTIONS] [--period month] [--by COLUMN,...]",
		Short: "Base movement per period: opening base, gross adds, churners, churn rate, ARPU",
		Long:  kpiLong,
		Example: "  clv kpi -s examples/telecom/subscribers.csv -t examples/telecom/transactions.csv\n" +
			"  clv kpi -s examples/telecom/subscribers.csv --period quarter --by plan",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error { return a.runKPI(&o) },
	}
	addInputFlags(cmd, &o.in, withSubscribers|withTransactions)
	addAsOf(cmd, &o.tf)
	cmd.Flags().StringVar(&o.tf.period, "period", "month", "reporting period: month, quarter or year (calendar periods)")
	addBaseFlags(cmd, &o.bf, withObserved|withFutureAsOf)
	cmd.Flags().StringVar(&o.by, "by", "", "also report per value of these subscriber `COLUMNS` (comma-separated, e.g. plan,region)")
	return cmd
}

func (a *app) runKPI(o *kpiOptions) error {
	b, err := a.kpiBase(&o.in, &o.tf, &o.bf)
	if err != nil {
		return err
	}
	tab, err := b.KPI(b.Period(), splitColumns(o.by))
	if err != nil {
		return layerError(err)
	}
	a.kpiNotes(tab.Left, tab.Skipped, tab.SkippedFirst, b.Period().String()+"s")
	if tab.Partial {
		a.notef("the last %s (%s) is partial: it ends after the as-of date %s", b.Period(), tab.Rows[tab.Periods-1].Period, b.AsOf())
	}
	t := render.MovementTable(tab, b.Tx.Len() > 0)
	t.Name = "movement"
	r := single("kpi", t.Title, t)
	r.Add("calendar_period", b.Period().String()).Add("as_of", b.AsOf()).Add("last_period_partial", tab.Partial)
	return a.writeResult(r)
}

// kpiBase reads the subscribers (and transactions) of clv kpi and clv cohort
// and places them on the observation window (as-of day, observation start).
func (a *app) kpiBase(in *inputFlags, tf *timeFlags, bf *baseFlags) (*clv.Base, error) {
	o, err := a.baseOptions(tf, bf)
	if err != nil {
		return nil, err
	}
	l, err := a.load(in, false, true)
	if err != nil {
		return nil, err
	}
	if l.subs.Len() == 0 {
		return nil, fmt.Errorf("%s: %w", in.subscribers, dataset.ErrEmpty)
	}
	return a.newBase(l, o)
}

// splitColumns parses a comma-separated list of column names ("plan,region").
func splitColumns(s string) []string {
	var out []string
	for _, c := range strings.Split(s, ",") {
		if c = strings.TrimSpace(c); c != "" {
			out = append(out, c)
		}
	}
	return out
}

// kpiNotes reports on stderr what the kpi and cohort tables left out.
func (a *app) kpiNotes(left kpi.Rows, skipped int, skippedFirst dataset.Day, what string) {
	if skipped > 0 {
		a.notef("left out %d %s from %s, before the observation start: the export has lost their churners", skipped, what, skippedFirst)
	}
	if left.Invalid > 0 {
		a.notef("left out %d subscribers whose churn date precedes the activation date", left.Invalid)
	}
	if left.NotStarted > 0 {
		a.notef("left out %d subscribers activated after the as-of date or without an activation date", left.NotStarted)
	}
	if left.ChurnedBeforeStart > 0 {
		a.notef("%d subscribers churned before the observation start (only in left-out periods)", left.ChurnedBeforeStart)
	}
	if left.UnmatchedTransactions > 0 {
		a.notef("left out %d transaction rows (revenue %.2f) of customers not in the subscriber file or left out of it", left.UnmatchedTransactions, left.UnmatchedRevenue)
	}
	if left.LateTransactions > 0 {
		a.notef("left out %d transaction rows after the as-of date", left.LateTransactions)
	}
}
