package main

import (
	"errors"
	"fmt"
	"math"

	"github.com/spf13/cobra"

	"github.com/clvkit/clv/clv/retention"
	"github.com/clvkit/clv/io/render"
)

const valueRetentionLong = `Lifetime value of a customer with constant margin and retention (Berger & Nasr
1998), for a finite horizon or, with --value-horizon 0 (the default), in closed form over an
infinite one. With q = r/(1+d):

  --timing start (Berger & Nasr case 1): margins at the start of every period, the
    first at acquisition:  CLV = -A + m(1 - q^(n+1))/(1 - q) - C(1+d)^(-1/2)(1 - q^n)/(1 - q)
    infinite horizon:      CLV = -A + m(1+d)/(1+d-r) - C sqrt(1+d)/(1+d-r)
  --timing end: margins at the end of every period survived:
                           CLV = -A + m q(1 - q^n)/(1 - q) - C(1+d)^(-1/2)(1 - q^n)/(1 - q)
    infinite horizon:      CLV = -A + m r/(1+d-r) - ...   (the Gupta & Lehmann margin multiple)

A = --acquisition-cost at time 0; C = --retention-cost per customer per period, spent
in the middle of each period on the customers active at its start (B&N case 1).
--cycles-per-year p makes --discount annual and the periods purchase cycles of 1/p
year (B&N case 2): the rate per cycle is (1+d)^(1/p) - 1.

Output: the value and the cash flows per period: tenure (periods since acquisition;
the deprecated copy period follows at the end), survival (r^i), margin and
cost (expected, per acquired customer), discount_factor (on the margin),
discounted_value, cumulative (table cash_flows, the main one). For an infinite
horizon the rows stop when the margins left are below 0.1% of the total; tail_value
holds the rest. Table value: clv, rate_per_period, tail_value, margin_multiple.

Margin growth (Berger & Nasr case 3): --margin-growth g makes the k-th margin m(1+g)^(k-1)
(m(1+g)^t at time t with start timing). The margin sums run over q_g = r(1+g)/(1+d):
start m(1 - q_g^(n+1))/(1 - q_g), infinite m(1+d)/(1+d-r(1+g)); end m q(1 - q_g^n)/(1 - q_g),
infinite m r/(1+d-r(1+g)). An infinite horizon needs r(1+g) < 1+d; otherwise give --value-horizon.

Retention bought by spending (Berger & Nasr case 4): --retention-ceiling R --response k
replace --retention and --retention-cost by r(C) = R(1 - e^(-kC)) for retention spending C
per customer per period. The output lists CLV over --spend-steps+1 levels of C from 0 to
--spend-max (default ln(1000)/k, where r reaches 99.9% of R) and the C that maximises CLV
(a 200-point scan of [0, ln(1e9)/k], then golden-section search; at most 1000
valuations): table grid (the main one: retention_spending, retention, clv) and
table best (best_spending, best_retention, best_clv), also on stderr.`

func newValueRetentionCmd(a *app) *cobra.Command {
	var s retention.Scenario
	var timing string
	var resp retention.Response
	var spendMax float64
	var spendSteps int
	cmd := &cobra.Command{
		Use:     "retention --margin M --retention r --discount d [--value-horizon n]",
		Short:   "Closed-form CLV for constant margin and retention (Berger & Nasr, Gupta & Lehmann)",
		Long:    valueRetentionLong,
		Example: "  clv value retention --margin 100 --retention 0.8 --discount 0.1 --value-horizon 5\n  clv value retention --margin 30 --retention 0.97 --discount 0.01 --timing end",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			spending := cmd.Flags().Changed("retention-ceiling") || cmd.Flags().Changed("response")
			need := []string{"margin", "retention", "discount"}
			if spending {
				need = []string{"margin", "retention-ceiling", "response", "discount"}
				for _, f := range []string{"retention", "retention-cost"} {
					if cmd.Flags().Changed(f) {
						return usagef("--%s with --retention-ceiling/--response: retention and its cost follow from the spending levels", f)
					}
				}
			}
			for _, f := range need {
				if !cmd.Flags().Changed(f) {
					return usagef("missing --%s", f)
				}
			}
			t, err := retention.ParseTiming(timing)
			if err != nil {
				return usagef("--timing: %v", err)
			}
			s.Timing = t
			if !finite(s.Margin, s.AcquisitionCost, s.RetentionCost, s.MarginGrowth, spendMax) {
				return usagef("--margin, --acquisition-cost, --retention-cost, --margin-growth and --spend-max must be finite numbers")
			}
			if s.MarginGrowth <= -1 {
				return usagef("--margin-growth must be above -1, got %v", s.MarginGrowth)
			}
			if !spending && !(s.Retention >= 0 && s.Retention <= 1) {
				return usagef("--retention must be between 0 and 1, got %v", s.Retention)
			}
			if spending {
				if !(resp.Ceiling > 0 && resp.Ceiling <= 1) {
					return usagef("--retention-ceiling must be above 0 and at most 1, got %v", resp.Ceiling)
				}
				if !(resp.K > 0) || math.IsInf(resp.K, 0) {
					return usagef("--response must be a finite number above 0, got %v", resp.K)
				}
				if spendSteps < 1 || spendSteps > 10000 {
					return usagef("--spend-steps must be between 1 and 10000, got %d", spendSteps)
				}
				if spendMax < 0 {
					return usagef("--spend-max must be 0 (automatic) or more, got %v", spendMax)
				}
			}
			if err := checkDiscount(s.Discount); err != nil {
				return err
			}
			if s.Periods < 0 {
				return usagef("--value-horizon must be 0 (infinite) or more, got %d", s.Periods)
			}
			if !(s.CyclesPerYear >= 0) || math.IsInf(s.CyclesPerYear, 0) {
				return usagef("--cycles-per-year must be 0 or more, got %v", s.CyclesPerYear)
			}
			if spending {
				if err := checkDiscount(s.Discount); err != nil {
					return err
				}
				if s.CyclesPerYear > 0 {
					s.Discount = math.Expm1(math.Log1p(s.Discount) / s.CyclesPerYear)
					s.CyclesPerYear = 0
				}
				opt, err := retention.OptimalSpending(s, resp, spendMax, spendSteps)
				if err != nil {
					if errors.Is(err, retention.ErrInvalidInput) || errors.Is(err, retention.ErrInfiniteValue) {
						return usageError{err}
					}
					return err
				}
				return a.writeSpending(s, resp, opt)
			}
			v, err := retention.Value(s)
			if err != nil {
				if errors.Is(err, retention.ErrInvalidInput) || errors.Is(err, retention.ErrInfiniteValue) {
					return usageError{err}
				}
				return err
			}
			return a.writeValueRetention(s, v)
		},
	}
	fl := cmd.Flags()
	fl.Float64Var(&s.Margin, "margin", 0, "margin m per retained customer per period (cycle)")
	fl.Float64Var(&s.Retention, "retention", 0, "retention rate r per period, between 0 and 1 (0.8 = 80%)")
	fl.Float64Var(&s.Discount, "discount", 0, "discount rate d per period, e.g. 0.1 = 10% (per year with --cycles-per-year)")
	fl.IntVar(&s.Periods, "value-horizon", 0, "horizon n in periods after acquisition; 0 = infinite (closed form)")
	aliasFlag(fl, "value-horizon", "periods")
	fl.Float64Var(&s.AcquisitionCost, "acquisition-cost", 0, "acquisition cost A, spent at time 0")
	fl.Float64Var(&s.RetentionCost, "retention-cost", 0, "retention spending C per customer per period, at mid-period")
	fl.StringVar(&timing, "timing", "start", "when margins arrive: start (Berger & Nasr, first margin at acquisition) or end (Gupta & Lehmann)")
	fl.Float64Var(&s.CyclesPerYear, "cycles-per-year", 0, "purchase cycles per year; makes --discount annual (Berger & Nasr case 2)")
	fl.Float64Var(&s.MarginGrowth, "margin-growth", 0, "margin growth g per period: the k-th margin is m(1+g)^(k-1) (Berger & Nasr case 3)")
	fl.Float64Var(&resp.Ceiling, "retention-ceiling", 0, "highest retention R that spending can buy: r(C) = R(1-e^(-kC)) (Berger & Nasr case 4)")
	fl.Float64Var(&resp.K, "response", 0, "response k of retention to spending C per customer per period (case 4)")
	fl.Float64Var(&spendMax, "spend-max", 0, "largest retention spending listed (case 4); 0 = ln(1000)/k")
	fl.IntVar(&spendSteps, "spend-steps", 20, "spending levels listed are --spend-steps+1 (case 4)")
	return cmd
}

// horizonMeta adds value_horizon (null: infinite) in periods.
func horizonMeta(r *render.Result, periods int) {
	if periods > 0 {
		r.AddUnit("value_horizon", periods, "period")
	} else {
		r.AddUnit("value_horizon", nil, "period")
	}
}

// writeValueRetention writes Berger & Nasr's value: cash_flows (main, one
// row per period) and value (one row: clv, rate, tail, margin multiple).
func (a *app) writeValueRetention(s retention.Scenario, v *retention.Valuation) error {
	n := len(v.Flows)
	cols := struct {
		period                                      []int64
		surv, margin, cost, disc, value, cumulative []float64
	}{make([]int64, n), make([]float64, n), make([]float64, n), make([]float64, n), make([]float64, n), make([]float64, n), make([]float64, n)}
	for i, f := range v.Flows {
		cols.period[i] = int64(f.Period)
		cols.surv[i], cols.margin[i], cols.cost[i], cols.disc[i], cols.value[i], cols.cumulative[i] = f.Survival, f.Margin, f.Cost, f.Discount, f.Value, f.Cumulative
	}
	flows := &render.Table{Name: "cash_flows", Title: "Cash flows", Columns: []render.Column{
		render.Ints("tenure", cols.period),
		render.Floats("survival", cols.surv),
		render.Floats("margin", cols.margin),
		render.Floats("cost", cols.cost),
		render.Floats("discount_factor", cols.disc),
		render.Floats("discounted_value", cols.value),
		render.Floats("cumulative", cols.cumulative),
	}}
	mm, mmNull := 0.0, true
	if m, err := retention.MarginMultiple(s.Retention, v.Rate); err == nil && s.MarginGrowth == 0 {
		mm, mmNull = m, false
	}
	summary := &render.Table{Name: "value", Title: "Value", Columns: []render.Column{
		render.Floats("clv", []float64{v.CLV}),
		render.Floats("rate_per_period", []float64{v.Rate}),
		render.Floats("tail_value", []float64{v.Tail}),
		render.Floats("margin_multiple", []float64{mm}).WithNull([]bool{mmNull}),
	}}
	r := &render.Result{Name: "value retention", Title: "Customer lifetime value (Berger & Nasr)", Main: "cash_flows",
		Tables: []*render.Table{flows, summary}}
	r.Add("margin", s.Margin).Add("margin_growth", s.MarginGrowth).Add("retention", s.Retention).
		AddUnit("discount", v.Rate, "per period").Add("timing", s.Timing.String())
	horizonMeta(r, s.Periods)
	a.deprecatedColumn(r, "cash_flows", "tenure", "period")
	return a.writeResult(r)
}

func growthText(g float64) string {
	if g == 0 {
		return ""
	}
	return fmt.Sprintf(" growing %g per period", g)
}

// writeSpending prints Berger & Nasr's case 4: CLV over the spending grid
// and the spending that maximises it.
func (a *app) writeSpending(s retention.Scenario, p retention.Response, opt *retention.Spending) error {
	horizon := "infinite"
	if s.Periods > 0 {
		horizon = fmt.Sprintf("%d periods", s.Periods)
	}
	n := len(opt.Grid)
	c, r, v := make([]float64, n), make([]float64, n), make([]float64, n)
	for i, g := range opt.Grid {
		c[i], r[i], v[i] = g.Spend, g.Retention, g.CLV
	}
	grid := &render.Table{Name: "grid", Title: "CLV by retention spending", Columns: []render.Column{
		render.Floats("retention_spending", c),
		render.Floats("retention", r),
		render.Floats("clv", v),
	}}
	text := fmt.Sprintf("r(C) = %g(1 - e^(-%g C)); margin %g%s, discount %g per period, %s timing, %s horizon; CLV is highest, %.6g, at retention spending %.6g per period (retention %.6g)",
		p.Ceiling, p.K, s.Margin, growthText(s.MarginGrowth), s.Discount, s.Timing, horizon, opt.Best.CLV, opt.Best.Spend, opt.Best.Retention)
	a.notef("%s", text)
	best := &render.Table{Name: "best", Title: "Best spending", Columns: []render.Column{
		render.Floats("best_spending", []float64{opt.Best.Spend}),
		render.Floats("best_retention", []float64{opt.Best.Retention}),
		render.Floats("best_clv", []float64{opt.Best.CLV}),
	}}
	res := &render.Result{Name: "value retention", Title: "Customer lifetime value and retention spending (Berger & Nasr case 4)",
		Main: "grid", Tables: []*render.Table{grid, best}}
	res.Add("margin", s.Margin).Add("margin_growth", s.MarginGrowth).Add("retention_ceiling", p.Ceiling).Add("response", p.K).
		AddUnit("discount", s.Discount, "per period").Add("timing", s.Timing.String())
	horizonMeta(res, s.Periods)
	return a.writeResult(res)
}
