package main

import (
	"fmt"
	"strconv"

	"github.com/clvkit/clv/clv/dataset"
	"github.com/clvkit/clv/io/render"
	"github.com/clvkit/clv/rfm"
)

// rfmDims names the three dimensions as the report shows them.
var rfmDims = []string{"recency_days", "frequency", "monetary"}

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

// rfmReportDoc lays the report out as tables.
func rfmReportDoc(rep *rfm.Report, asOf dataset.Day, cfg *rfmConfig) *render.Doc {
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
	segTable := &render.Table{Title: "segments", Columns: []render.Column{
		render.Strings("segment", name),
		render.Ints("customers", cust),
		digits(render.Floats("customer_share", cshare), 4),
		digits(render.Floats("revenue", rev), 2),
		digits(render.Floats("revenue_share", rshare), 4),
		render.Ints("active", act),
		digits(render.Floats("mean_recency_days", mr), 1),
		digits(render.Floats("mean_frequency", mf), 2),
		digits(render.Floats("mean_monetary", mm), 2),
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
	scaleTable := &render.Table{Title: "thresholds", Columns: []render.Column{
		render.Strings("metric", metric),
		render.Ints("score", score),
		render.Ints("customers", custs),
		digits(render.Floats("min", lo), 2),
		digits(render.Floats("max", hi), 2),
		render.Strings("interval", interval),
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
	return &render.Doc{Title: "RFM report", Sections: []render.Section{
		{Title: "segments", Text: cfg.describe(asOf) + fmt.Sprintf(" %d customers, %d with transactions, revenue %s.",
			rep.Customers, rep.Active, strconv.FormatFloat(rep.Revenue, 'f', 2, 64)), Table: segTable},
		{Title: "thresholds", Text: thresholdsText(cfg.opt.Method), Table: scaleTable},
		{Title: "R×F grid: customers", Table: &render.Table{Title: "rf_customers", Columns: countCols}},
		{Title: "R×F grid: mean monetary", Table: &render.Table{Title: "rf_mean_monetary", Columns: monCols}},
	}}
}

// rfmReportJSON is the JSON form of the report.
type rfmReportJSONValue struct {
	AsOf       string             `json:"as_of"`
	Method     string             `json:"method"`
	Bins       int                `json:"bins"`
	Frequency  string             `json:"frequency"`
	Monetary   string             `json:"monetary"`
	Weights    map[string]float64 `json:"weights"`
	Rules      string             `json:"segment_rules"`
	Customers  int                `json:"customers"`
	Active     int                `json:"active"`
	Revenue    float64            `json:"revenue"`
	Thresholds struct {
		Recency   []float64 `json:"recency"`
		Frequency []float64 `json:"frequency"`
		Monetary  []float64 `json:"monetary"`
	} `json:"thresholds"`
	Scales struct {
		Recency   []rfmBinJSON `json:"recency"`
		Frequency []rfmBinJSON `json:"frequency"`
		Monetary  []rfmBinJSON `json:"monetary"`
	} `json:"scales"`
	Segments []rfmSegmentJSON `json:"segments"`
	Grid     []rfmCellJSON    `json:"grid"`
}

type rfmBinJSON struct {
	Score     int     `json:"score"`
	Customers int     `json:"customers"`
	Min       float64 `json:"min"`
	Max       float64 `json:"max"`
}

type rfmSegmentJSON struct {
	Name            string  `json:"name"`
	Customers       int     `json:"customers"`
	CustomerShare   float64 `json:"customer_share"`
	Revenue         float64 `json:"revenue"`
	RevenueShare    float64 `json:"revenue_share"`
	Active          int     `json:"active"`
	MeanRecencyDays float64 `json:"mean_recency_days"`
	MeanFrequency   float64 `json:"mean_frequency"`
	MeanMonetary    float64 `json:"mean_monetary"`
}

type rfmCellJSON struct {
	R            int     `json:"r"`
	F            int     `json:"f"`
	Customers    int     `json:"customers"`
	MeanMonetary float64 `json:"mean_monetary"`
}

func rfmReportJSON(rep *rfm.Report, asOf dataset.Day, cfg *rfmConfig) *rfmReportJSONValue {
	v := &rfmReportJSONValue{
		AsOf: asOf.String(), Method: cfg.opt.Method.String(), Bins: rep.Bins,
		Frequency: "transactions", Monetary: "total", Rules: cfg.rulesName,
		Weights:   map[string]float64{"r": cfg.opt.Weights.R, "f": cfg.opt.Weights.F, "m": cfg.opt.Weights.M},
		Customers: rep.Customers, Active: rep.Active, Revenue: rep.Revenue,
		Segments: []rfmSegmentJSON{}, Grid: []rfmCellJSON{},
	}
	if cfg.days {
		v.Frequency = "days"
	}
	if cfg.mean {
		v.Monetary = "mean"
	}
	v.Thresholds.Recency, v.Thresholds.Frequency, v.Thresholds.Monetary = rep.Recency.Cuts, rep.Frequency.Cuts, rep.Monetary.Cuts
	bins := func(s *rfm.Scale) []rfmBinJSON {
		out := make([]rfmBinJSON, len(s.Bins))
		for j, b := range s.Bins {
			out[j] = rfmBinJSON{Score: b.Score, Customers: b.Customers, Min: b.Min, Max: b.Max}
		}
		return out
	}
	v.Scales.Recency, v.Scales.Frequency, v.Scales.Monetary = bins(&rep.Recency), bins(&rep.Frequency), bins(&rep.Monetary)
	for _, s := range rep.Segments {
		v.Segments = append(v.Segments, rfmSegmentJSON{Name: s.Name, Customers: s.Customers, CustomerShare: s.CustomerShare,
			Revenue: s.Revenue, RevenueShare: s.RevenueShare, Active: s.Active,
			MeanRecencyDays: s.MeanRecency, MeanFrequency: s.MeanFrequency, MeanMonetary: s.MeanMonetary})
	}
	for _, c := range rep.Grid {
		v.Grid = append(v.Grid, rfmCellJSON{R: c.R, F: c.F, Customers: c.Customers, MeanMonetary: c.MeanMonetary})
	}
	return v
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
