package main

import (
	"io"

	"github.com/spf13/cobra"

	"github.com/clvkit/clv/clv/dataset"
	"github.com/clvkit/clv/clv/kpi"
	"github.com/clvkit/clv/io/chart"
	"github.com/clvkit/clv/io/render"
)

func init() {
	register(newCohortCmd)
}

const cohortLong = `Cohort table of a subscriber base: activation cohort x tenure, in long format.

A cohort is the calendar period (--cohort month, quarter or year) containing the
activation date. Tenure k counts whole periods of the same length from each
subscriber's own activation day, with the anniversary rule of clv retention (the day
of month is kept and clamped: activated 31 Jan -> 29 Feb, 31 Mar, ...). The churn date
is the first day without service. Columns:

  cohort                  first day of the cohort period (ISO date)
  group                   the --by values (only with --by; the whole base is "")
  tenure                  k = 1, 2, ...
  subscribers             cohort size
  active                  members whose churn date is empty or after the k-th anniversary
  survival                active / subscribers: the share of the cohort still active
                          (was called retention; that name follows at the end as a
                          deprecated copy for one release)
  censored                members whose k-th anniversary is after --as-of: the cell is
                          only partly observed (they count as active unless they churned
                          by --as-of)
With -t:
  revenue                 the members' amounts dated in tenure period k
                          [anniversary k-1, anniversary k)
  revenue_per_subscriber  cumulative revenue of periods 1..k / subscribers
  arpu                    revenue / members in service at the start of period k

A cohort has rows up to the largest tenure any member has reached by --as-of.
--format wide pivots the table: one row per cohort, one column per tenure (1, 2, ...)
holding --metric (retention; revenue = revenue_per_subscriber; arpu), written as CSV
(or a table on a terminal). --chart FILE.svg|.png draws the same matrix as a heat map.

--observed-from: cohorts activated before the observation start of a left-truncated
export hold only survivors; they are left out and counted on stderr (see clv kpi).`

type cohortOptions struct {
	in        inputFlags
	tf        timeFlags
	bf        baseFlags
	cohort    string
	by        string
	metric    string
	chartFile string
	wide      bool
}

func newCohortCmd(a *app) *cobra.Command {
	var o cohortOptions
	cmd := &cobra.Command{
		Use:   "cohort -s SUBSCRIBERS [-t TRANSACTIONS] [--cohort month] [--metric retention]",
		Short: "Cohort table: retention and revenue by activation cohort and tenure",
		Long:  cohortLong,
		Example: "  clv cohort -s examples/telecom/subscribers.csv -t examples/telecom/transactions.csv\n" +
			"  clv cohort -s examples/telecom/subscribers.csv --format wide --chart cohorts.svg",
		Args: cobra.NoArgs,
		// --format wide is this command's own: take it out before the
		// global format check.
		PersistentPreRunE: func(cmd *cobra.Command, args []string) error {
			if a.global.format == "wide" {
				o.wide, a.global.format = true, ""
			}
			return a.preRun(cmd)
		},
		RunE: func(cmd *cobra.Command, args []string) error { return a.runCohort(&o) },
	}
	addInputFlags(cmd, &o.in, withSubscribers|withTransactions)
	addAsOf(cmd, &o.tf)
	cmd.Flags().StringVar(&o.cohort, "cohort", "month", "cohort and tenure period: month, quarter or year")
	cmd.Flags().StringVar(&o.by, "by", "", "also report per value of these subscriber `COLUMNS` (comma-separated)")
	addBaseFlags(cmd, &o.bf, withObserved|withFutureAsOf)
	cmd.Flags().StringVar(&o.metric, "metric", "retention", "value of --format wide and --chart: retention, revenue (cumulative per subscriber) or arpu")
	cmd.Flags().StringVar(&o.chartFile, "chart", "", "write a heat map of --metric to `FILE` (.svg or .png)")
	return cmd
}

func (a *app) runCohort(o *cohortOptions) error {
	period, err := dataset.ParsePeriod(o.cohort)
	if err != nil {
		return usagef("--cohort: %v", err)
	}
	o.tf.period = o.cohort // the base's period: the as-of limit is one cohort period
	metric, err := kpi.ParseMetric(o.metric)
	if err != nil {
		return usagef("--metric: %v", err)
	}
	chartFmt, err := chartFormat(o.chartFile)
	if err != nil {
		return err
	}
	if metric != kpi.MetricRetention && o.in.transactions == "" && (o.wide || o.chartFile != "") {
		return usagef("--metric %s needs --transactions", metric)
	}
	b, err := a.kpiBase(&o.in, &o.tf, &o.bf)
	if err != nil {
		return err
	}
	c, err := b.Cohorts(period, splitColumns(o.by))
	if err != nil {
		return layerError(err)
	}
	a.kpiNotes(c.Left, c.Skipped, c.SkippedFirst, "activation "+period.String()+"s")
	if c.SkippedMembers > 0 {
		a.notef("left out %d subscribers activated before the observation start", c.SkippedMembers)
	}
	if c.BeforeActivation > 0 {
		a.notef("left out %d transaction rows dated before their subscriber's activation", c.BeforeActivation)
	}
	if len(c.Cells) == 0 {
		return usagef("no cohort has reached its first anniversary by %s", b.AsOf())
	}
	if o.wide || o.chartFile != "" {
		m, err := c.Pivot(metric)
		if err != nil {
			return usageError{err}
		}
		if o.chartFile != "" {
			h := chart.Cohort(m, "Cohorts: "+metric.String()+" by tenure ("+period.String()+"s)")
			if err := a.writeAtomic(o.chartFile, func(w io.Writer) error { return h.Write(w, chartFmt) }); err != nil {
				return err
			}
		}
		if o.wide {
			a.notef("cells to the right of each cohort's first censored tenure are only partly observed (see the censored column of the long format)")
			t := render.CohortPivot(m, len(c.Groups) > 0)
			t.Name = "cohorts_wide"
			r := single("cohort", t.Title, t)
			r.Add("cohort_period", period.String()).Add("as_of", b.AsOf()).Add("metric", metric.String())
			return a.writeResult(r)
		}
	}
	t := render.CohortTable(c)
	t.Name = "cohorts"
	r := single("cohort", t.Title, t)
	r.Add("cohort_period", period.String()).Add("as_of", b.AsOf())
	a.deprecatedColumn(r, "cohorts", "survival", "retention")
	return a.writeResult(r)
}
