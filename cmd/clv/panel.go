package main

import (
	"github.com/spf13/cobra"

	"github.com/clvkit/clv/clv/dataset"
	"github.com/clvkit/clv/io/render"
)

func init() {
	register(newPanelCmd)
}

const panelLong = `The customer x period spend panel, long: one row per customer and calendar period
(--period month, quarter or year) with at least one transaction in the window:

  customer_id   the customer
  period        first day of the period (ISO date)
  amount        sum of the amounts dated in the period
  transactions  number of transaction rows in the period

The window runs from the earliest transaction (or --from DATE) to --as-of (default:
the latest transaction); rows outside it are left out. This is the aggregate the
lifecycle, Markov and segment analyses are built from; examples/sql/panel*.sql
build the same table in DuckDB, Spark SQL and Hive.`

type panelOptions struct {
	in   inputFlags
	tf   timeFlags
	from string
}

func newPanelCmd(a *app) *cobra.Command {
	var o panelOptions
	cmd := &cobra.Command{
		Use:     "panel -t TRANSACTIONS [--period month] [--from DATE] [--as-of DATE]",
		Short:   "Spend and transaction count per customer and period (long format)",
		Long:    panelLong,
		Example: "  clv panel -t examples/telecom/transactions.csv --period quarter",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			period, err := o.tf.periodValue()
			if err != nil {
				return err
			}
			asOf, err := o.tf.asOfDay()
			if err != nil {
				return err
			}
			from := dataset.NoDay
			if o.from != "" {
				if from, err = parseFlagDate("--from", o.from); err != nil {
					return err
				}
			}
			l, err := a.load(&o.in, true, false)
			if err != nil {
				return err
			}
			limit, err := a.memoryLimit()
			if err != nil {
				return err
			}
			p, err := dataset.BuildPanel(l.tx, dataset.PanelOptions{Period: period, AsOf: asOf, From: from, MaxBytes: limit})
			if err != nil {
				return err
			}
			t := render.PanelTable(p, l.tx.IDs)
			t.Name = "panel"
			r := single("panel", t.Title, t)
			r.Add("calendar_period", period.String()).Add("window_start", p.Period.Start(p.First)).Add("as_of", asOf)
			return a.writeResult(r)
		},
	}
	addInputFlags(cmd, &o.in, withTransactions)
	addAsOf(cmd, &o.tf)
	addPeriod(cmd, &o.tf)
	cmd.Flags().StringVar(&o.from, "from", "", "first day of the window (default: the earliest transaction)")
	return cmd
}
