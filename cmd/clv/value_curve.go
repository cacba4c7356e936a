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
follow in the table, markdown and json formats and go to stderr with csv and parquet.
--chart FILE.svg draws fitted (solid) per group.
--format json prints {"period", "as_of", "by", "groups": [{"group", "peak_tenure",
"peak_value", "within_peak_tenure", "lambda", "points": [...]}]}.`

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

type curvePointJSON struct {
	Tenure      int     `json:"tenure"`
	Subscribers int     `json:"subscribers"`
	Mean        float64 `json:"mean"`
	P25         float64 `json:"p25"`
	P50         float64 `json:"p50"`
	P75         float64 `json:"p75"`
	P90         float64 `json:"p90"`
	Fitted      float64 `json:"fitted"`
	Within      float64 `json:"within"`
}

type curveGroupJSON struct {
	Group            string           `json:"group"`
	PeakTenure       int              `json:"peak_tenure"`
	PeakValue        float64          `json:"peak_value"`
	WithinPeakTenure *int             `json:"within_peak_tenure"`
	Lambda           float64          `json:"lambda"`
	Points           []curvePointJSON `json:"points"`
}

type valueCurveJSON struct {
	Period string           `json:"period"`
	AsOf   string           `json:"as_of"`
	By     string           `json:"by"`
	Groups []curveGroupJSON `json:"groups"`
}

func (a *app) writeValueCurve(b *clv.Base, v *clv.ValueCurves, chartFile string) error {
	names, curves := v.Names, v.Curves
	if v.By == "" {
		names, curves = []string{"all"}, []*segment.Curve{v.Pool}
	}
	js := valueCurveJSON{Period: v.Period.String(), AsOf: b.AsOf().String(), By: v.By}
	var group []string
	var tenure, subs []int64
	var mean, q25, q50, q75, q90, fitted, within []float64
	var notes []string
	for k, c := range curves {
		if c == nil {
			notes = append(notes, fmt.Sprintf("%s: %v", names[k], v.Errs[k]))
			continue
		}
		g := curveGroupJSON{Group: names[k], PeakTenure: c.Peak, PeakValue: c.PeakValue, Lambda: c.Lambda}
		note := fmt.Sprintf("%s: mean spend peaks at tenure %d (fitted %.2f per %s)", names[k], c.Peak, c.PeakValue, v.Period)
		if c.HasWithin {
			w := c.WithinPeak
			g.WithinPeakTenure = &w
			note += fmt.Sprintf(", within-subscriber curve at tenure %d", w)
		}
		notes = append(notes, note+fmt.Sprintf("; penalty %g", c.Lambda))
		for _, p := range c.Points {
			group = append(group, names[k])
			tenure = append(tenure, int64(p.Tenure))
			subs = append(subs, int64(p.Subscribers))
			mean = append(mean, p.Mean)
			q25, q50, q75, q90 = append(q25, p.Quantiles[0]), append(q50, p.Quantiles[1]), append(q75, p.Quantiles[2]), append(q90, p.Quantiles[3])
			fitted = append(fitted, p.Fitted)
			within = append(within, p.Within)
			g.Points = append(g.Points, curvePointJSON{p.Tenure, p.Subscribers, p.Mean, p.Quantiles[0], p.Quantiles[1], p.Quantiles[2], p.Quantiles[3], p.Fitted, p.Within})
		}
		js.Groups = append(js.Groups, g)
	}
	if chartFile != "" {
		if err := a.writeSVG(chartFile, chart.ValueCurves(v).SVG); err != nil {
			return err
		}
		a.notef("wrote %s", chartFile)
	}
	table := &render.Table{Columns: []render.Column{
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
	f, err := a.outputFormat()
	if err != nil {
		return err
	}
	if f == render.FormatCSV || f == render.FormatParquet {
		for _, n := range notes {
			a.notef("%s", n)
		}
		return a.writeTable(table)
	}
	text := fmt.Sprintf("spend per subscriber per %s by tenure, as of %s, %d subscriber-periods", v.Period, b.AsOf(), v.Observations)
	for _, n := range notes {
		text += "\n" + n
	}
	doc := &render.Doc{Title: "Value curve over the relationship", Sections: []render.Section{{Title: "Spend by tenure", Text: text, Table: table}}}
	return a.writeDoc(doc, js)
}
