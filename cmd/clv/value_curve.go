package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/clvkit/clv/clv"
	"github.com/clvkit/clv/io/chart"
	"github.com/clvkit/clv/io/render"
	"github.com/clvkit/clv/segment"
)

const valueCurveLong = `The value curve over the relationship: spend per subscriber by tenure period, per
plan (--by COLUMN picks another subscriber column, cohort = activation year, none = the
whole base), from the customer x period panel.

Tenure counts calendar --periods since the activation period (0 = the period of
activation). A subscriber counts in a period it was active for the whole of (the period
ended before its churn date and on or before --as-of), and in its activation period; the
period of its churn and a period incomplete at --as-of are left out. Tenures beyond 120
periods are pooled into 120.

Columns: group, tenure, subscribers (subscriber-periods observed), mean, p25, p50, p75,
p90 (type-7 quantiles), fitted, within.
  fitted  the smoothed mean: a Whittaker smoother (a penalised spline, one coefficient per
          tenure, second-difference penalty on the log(1 + tenure) axis) of log mean
          spend, weighted by subscribers, with the penalty chosen by 5-fold
          cross-validation that leaves whole subscribers out
  within  the within-subscriber curve: spend = subscriber level x g(tenure), estimated by
          comparing each subscriber with itself (alternating least squares of the
          multiplicative Poisson model), smoothed the same way and scaled to spend. The
          cross-sectional mean mixes the curve with who survives: long tenures hold the
          subscribers who churn least, who may spend differently; within does not. It is
          the curve potential value projects along ('clv value potential').
The tenure of the highest fitted and within values (peak) per group, and the penalty,
are in the table groups (group, peak_tenure, peak_value, within_peak_tenure, lambda)
and on stderr; the curve is the main table. --chart FILE.svg draws fitted (solid)
per group.`

func newValueCurveCmd(a *app) *cobra.Command {
	var o retentionFlags
	var chartFile string
	cmd := &cobra.Command{
		Use:     "curve -s SUBSCRIBERS -t TRANSACTIONS [--by plan] [--period month] [--chart curve.svg]",
		Short:   "Value curve: mean and quantile spend per subscriber by tenure period, smoothed, with its peak",
		Long:    valueCurveLong,
		Example: "  clv value curve -s examples/telecom/subscribers.csv -t examples/telecom/transactions.csv --by plan --chart curve.svg",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if chartFile != "" {
				if f, err := chartFormat(chartFile); err != nil {
					return err
				} else if f != "svg" {
					return usagef("--chart %q: the value curve chart is SVG (name the file .svg)", chartFile)
				}
			}
			opt, err := a.baseOptions(&o.tf, &o.bf)
			if err != nil {
				return err
			}
			l, err := a.load(&o.in, true, true)
			if err != nil {
				return err
			}
			base, err := a.newBase(l, opt)
			if err != nil {
				return err
			}
			by := o.bf.retentionBy
			if by == "" {
				by = base.RetentionBy()
			}
			v, err := base.ValueCurves(by)
			if err != nil {
				return layerError(err)
			}
			return a.writeValueCurve(base, v, chartFile)
		},
	}
	addInputFlags(cmd, &o.in, withSubscribers|withTransactions)
	fl := cmd.Flags()
	fl.StringVar(&o.bf.retentionBy, "by", "", "one curve per value of this subscriber `COLUMN` (cohort = activation year; default: plan when the export has it; none = the whole base)")
	addBaseFlags(cmd, &o.bf, withObserved)
	addAsOf(cmd, &o.tf)
	fl.StringVar(&o.tf.period, "period", "month", "tenure period: month, quarter or year")
	fl.StringVar(&chartFile, "chart", "", "draw the fitted curves to `FILE` (.svg)")
	return cmd
}

// writeValueCurve writes the spend curves by tenure: curve (main, long:
// one row per group and tenure) and groups (peak, within-subscriber peak,
// penalty).
func (a *app) writeValueCurve(b *clv.Base, v *clv.ValueCurves, chartFile string) error {
	names, curves := v.Names, v.Curves
	if v.By == "" {
		names, curves = []string{"all"}, []*segment.Curve{v.Pool}
	}
	var gt tableBuilder
	var group []string
	var tenure, subs []int64
	var mean, q25, q50, q75, q90, fitted, within []float64
	var notes []string
	for k, c := range curves {
		if c == nil {
			notes = append(notes, fmt.Sprintf("%s: %v", names[k], v.Errs[k]))
			continue
		}
		gt.str("group", names[k], true)
		gt.num("peak_tenure", float64(c.Peak))
		gt.num("peak_value", c.PeakValue)
		note := fmt.Sprintf("%s: mean spend peaks at tenure %d (fitted %.2f per %s)", names[k], c.Peak, c.PeakValue, v.Period)
		if c.HasWithin {
			w := c.WithinPeak
			gt.num("within_peak_tenure", float64(w))
			note += fmt.Sprintf(", within-subscriber curve at tenure %d", w)
		}
		if !c.HasWithin {
			gt.opt("within_peak_tenure", nil)
		}
		gt.num("lambda", c.Lambda)
		gt.end()
		notes = append(notes, note+fmt.Sprintf("; penalty %g", c.Lambda))
		for _, p := range c.Points {
			group = append(group, names[k])
			tenure = append(tenure, int64(p.Tenure))
			subs = append(subs, int64(p.Subscribers))
			mean = append(mean, p.Mean)
			q25, q50, q75, q90 = append(q25, p.Quantiles[0]), append(q50, p.Quantiles[1]), append(q75, p.Quantiles[2]), append(q90, p.Quantiles[3])
			fitted = append(fitted, p.Fitted)
			within = append(within, p.Within)
		}
	}
	if chartFile != "" {
		if err := a.writeSVG(chartFile, chart.ValueCurves(v).SVG); err != nil {
			return err
		}
		a.notef("wrote %s", chartFile)
	}
	table := &render.Table{Name: "curve", Title: "Spend by tenure", Columns: []render.Column{
		render.Strings("group", group),
		render.Ints("tenure", tenure),
		render.Ints("subscribers", subs),
		withDigits(render.Floats("mean", mean), 2),
		withDigits(render.Floats("p25", q25), 2),
		withDigits(render.Floats("p50", q50), 2),
		withDigits(render.Floats("p75", q75), 2),
		withDigits(render.Floats("p90", q90), 2),
		withDigits(render.Floats("fitted", fitted), 2),
		withDigits(render.Floats("within", within), 2),
	}}
	for _, n := range notes {
		a.notef("%s", n)
	}
	groups := gt.table("groups", "Peaks per group")
	if gt.rows == 0 {
		groups = &render.Table{Name: "groups", Title: "Peaks per group", Columns: []render.Column{
			render.Strings("group", nil), render.Floats("peak_tenure", nil), render.Floats("peak_value", nil),
			render.Floats("within_peak_tenure", nil), render.Floats("lambda", nil)}}
	}
	r := &render.Result{Name: "value curve", Title: "Value curve over the relationship", Main: "curve", Tables: []*render.Table{table, groups}}
	r.Add("calendar_period", v.Period.String()).Add("as_of", b.AsOf()).Add("group_by", v.By).Add("subscriber_periods", v.Observations)
	return a.writeResult(r)
}
