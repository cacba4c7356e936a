package main

import (
	"fmt"
	"strconv"

	"github.com/clvkit/clv/clv/dataset"
	"github.com/clvkit/clv/io/render"
	"github.com/clvkit/clv/rfm"
)

// rfmDims names the three dimensions as the report shows them.
var rfmDims = []string{"recency_days", "frequency", "spend"}

func (cfg *rfmConfig) describe(asOf dataset.Day) string {
	freq, mon := "transactions", "total spend"
	if cfg.days {
		freq = "distinct transaction days"
	}
	if cfg.mean {
		mon = "mean spend per transaction"
	}
	w := cfg.opt.Weights
	return fmt.Sprintf("As of %s; method %s, %d bins; frequency = %s, monetary = %s; rfm_score weights R %g, F %g, M %g; segment rules: %s.",
		asOf, cfg.opt.Method, cfg.opt.Bins, freq, mon, w.R, w.F, w.M, cfg.rulesName)
}

// rfmReportResult lays the report out as tables: segments (main),
// thresholds, the R×F grid long (grid) and wide (rf_customers, rf_mean_spend).
func rfmReportResult(rep *rfm.Report, asOf dataset.Day, cfg *rfmConfig) *render.Result {
	ns := len(rep.Segments)
	name := make([]string, ns)
	cust, act := make([]int64, ns), make([]int64, ns)
	cshare, rev, rshare := make([]float64, ns), make([]float64, ns), make([]float64, ns)
	mr, mf, mm := make([]float64, ns), make([]float64, ns), make([]float64, ns)
	for j, s := range rep.Segments {
		name[j], cust[j], act[j] = s.Name, int64(s.Customers), int64(s.Active)
		cshare[j], rev[j], rshare[j] = s.CustomerShare, s.Revenue, s.RevenueShare
		mr[j], mf[j], mm[j] = s.MeanRecency, s.MeanFrequency, s.MeanMonetary
	}
	digits := func(c render.Column, d int) render.Column { c.Digits = d; return c }
	segTable := &render.Table{Name: "segments", Title: "Segments", Columns: []render.Column{
		render.Strings("segment", name),
		render.Ints("customers", cust),
		digits(render.Floats("customer_share", cshare), 4),
		digits(render.Floats("revenue", rev), 2),
		digits(render.Floats("revenue_share", rshare), 4),
		render.Ints("active", act),
		digits(render.Floats("mean_recency_days", mr), 1),
		digits(render.Floats("mean_frequency", mf), 2),
		digits(render.Floats("mean_spend", mm), 2),
	}}

	k := rep.Bins
	var metric, interval []string
	var score, custs []int64
	var lo, hi []float64
	for d, sc := range []*rfm.Scale{&rep.Recency, &rep.Frequency, &rep.Monetary} {
		for _, b := range sc.Bins {
			metric = append(metric, rfmDims[d])
			score = append(score, int64(b.Score))
			custs = append(custs, int64(b.Customers))
			lo = append(lo, b.Min)
			hi = append(hi, b.Max)
			interval = append(interval, scoreInterval(sc, b.Score, k))
		}
	}
	scaleTable := &render.Table{Name: "thresholds", Title: "Score thresholds", Columns: []render.Column{
		render.Strings("dimension", metric),
		render.Ints("score", score),
		render.Ints("customers", custs),
		digits(render.Floats("min", lo), 2),
		digits(render.Floats("max", hi), 2),
		render.Strings("score_range", interval),
	}}

	rows := make([]string, k)
	countCols := []render.Column{}
	monCols := []render.Column{}
	for r := 0; r < k; r++ {
		rows[r] = "R" + strconv.Itoa(k-r)
	}
	countCols = append(countCols, render.Strings("r_score", rows))
	monCols = append(monCols, render.Strings("r_score", rows))
	for f := 1; f <= k; f++ {
		cnt := make([]int64, k)
		mon := make([]float64, k)
		for r := 0; r < k; r++ {
			c := rep.Grid[r*k+f-1]
			cnt[r], mon[r] = int64(c.Customers), c.MeanMonetary
		}
		countCols = append(countCols, render.Ints("F"+strconv.Itoa(f), cnt))
		monCols = append(monCols, digits(render.Floats("F"+strconv.Itoa(f), mon), 2))
	}
	ng := len(rep.Grid)
	gr, gf, gc := make([]int64, ng), make([]int64, ng), make([]int64, ng)
	gm := make([]float64, ng)
	for i, c := range rep.Grid {
		gr[i], gf[i], gc[i], gm[i] = int64(c.R), int64(c.F), int64(c.Customers), c.MeanMonetary
	}
	grid := &render.Table{Name: "grid", Title: "R×F grid (long)", Columns: []render.Column{
		render.Ints("r_score", gr), render.Ints("f_score", gf), render.Ints("customers", gc), digits(render.Floats("mean_spend", gm), 2),
	}}
	var cm []string
	var ck []int64
	var cv []float64
	for d, sc := range []*rfm.Scale{&rep.Recency, &rep.Frequency, &rep.Monetary} {
		for j, c := range sc.Cuts {
			cm, ck, cv = append(cm, rfmDims[d]), append(ck, int64(j+1)), append(cv, c)
		}
	}
	cuts := &render.Table{Name: "cut_points", Title: "Cut points (increasing)", Columns: []render.Column{
		render.Strings("dimension", cm), render.Ints("cut", ck), render.Floats("cut_point", cv)}}
	res := &render.Result{Name: "rfm", Title: "RFM report", Main: "segments", Tables: []*render.Table{segTable, scaleTable, cuts, grid,
		{Name: "rf_customers", Title: "R×F grid: customers", Columns: countCols},
		{Name: "rf_mean_spend", Title: "R×F grid: mean spend", Columns: monCols},
	}}
	freq, mon := "transactions", "total"
	if cfg.days {
		freq = "days"
	}
	if cfg.mean {
		mon = "mean"
	}
	res.Add("as_of", asOf).Add("method", cfg.opt.Method.String()).Add("bins", rep.Bins).Add("frequency_measure", freq).
		Add("monetary_measure", mon).Add("weight_r", cfg.opt.Weights.R).Add("weight_f", cfg.opt.Weights.F).Add("weight_m", cfg.opt.Weights.M).
		Add("segment_rules", cfg.rulesName).Add("customers", rep.Customers).Add("active", rep.Active).Add("revenue", rep.Revenue).
		Add("description", cfg.describe(asOf)).Add("thresholds_note", thresholdsText(cfg.opt.Method))
	return res
}

func thresholdsText(m rfm.Method) string {
	t := "Per score: the metric interval the cut points give it (recency: fewer days score higher), the customers holding it and the range of their values."
	switch m {
	case rfm.Ntile:
		t += " With ntile the cut points are the bin boundaries (the largest value of each lower bin); tied values at a boundary are split between neighbouring scores, so min and max can overlap."
	case rfm.Quantile:
		t += " Cut points are R type-7 quantiles at i/k; equal cut points leave a score empty."
	}
	return t
}

// scoreInterval describes the metric values that score s under the cut
// points of sc: "≤ 30", "(30, 90]" or "> 365".
func scoreInterval(sc *rfm.Scale, s, k int) string {
	lo, hi := s-2, s-1 // indices into Cuts of the open lower and closed upper bound
	if sc.Descending {
		lo, hi = k-s-1, k-s
	}
	// Ten significant digits: cut points that are sums of amounts print as 158.08, not 158.07999999999998.
	f := func(j int) string { return strconv.FormatFloat(sc.Cuts[j], 'g', 10, 64) }
	switch {
	case lo < 0 && hi >= len(sc.Cuts):
		return "all"
	case lo < 0:
		return "≤ " + f(hi)
	case hi >= len(sc.Cuts):
		return "> " + f(lo)
	}
	return "(" + f(lo) + ", " + f(hi) + "]"
}
