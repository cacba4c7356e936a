package chart

import (
	"github.com/clvkit/clv/clv"
	"github.com/clvkit/clv/io/lang"
	"github.com/clvkit/clv/segment"
)

// ValueCurves draws the smoothed mean spend per subscriber by tenure, one
// line per group (the whole base when ungrouped): clv value curve --chart and
// the report.
func ValueCurves(v *clv.ValueCurves) *LineChart { return ValueCurvesIn(v, nil) }

// ValueCurvesIn is ValueCurves with titles and labels in the language of l
// (nil: English).
func ValueCurvesIn(v *clv.ValueCurves, l *lang.Catalog) *LineChart {
	names, curves := v.Names, v.Curves
	if v.By == "" {
		names, curves = []string{l.T("chart.curve.all")}, []*segment.Curve{v.Pool}
	}
	p := v.Period.String()
	lc := &LineChart{Title: l.T("chart.curve.title"), XLabel: l.T("chart.curve.x", l.Units(p), l.Unit(p)),
		YLabel: l.T("chart.curve.y", l.Unit(p)), LegendLeft: true}
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
