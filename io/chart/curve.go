package chart

import (
	"github.com/clvkit/clv/clv"
	"github.com/clvkit/clv/segment"
)

// ValueCurves draws the smoothed mean spend per subscriber by tenure, one
// line per group (the whole base when ungrouped): clv value curve --chart and
// the report.
func ValueCurves(v *clv.ValueCurves) *LineChart {
	names, curves := v.Names, v.Curves
	if v.By == "" {
		names, curves = []string{"all"}, []*segment.Curve{v.Pool}
	}
	lc := &LineChart{Title: "Value curve: mean spend by tenure (smoothed)", XLabel: "tenure (" + v.Period.String() + "s since activation)",
		YLabel: "spend per subscriber per " + v.Period.String(), LegendLeft: true}
	for k, c := range curves {
		if c == nil {
			continue
		}
		s := Series{Name: names[k]}
		for _, p := range c.Points {
			s.X, s.Y = append(s.X, float64(p.Tenure)), append(s.Y, p.Fitted)
		}
		lc.Series = append(lc.Series, s)
	}
	return lc
}
