package chart

import (
	"fmt"

	"github.com/clvkit/clv/clv/kpi"
	"github.com/clvkit/clv/io/lang"
)

// KPITrend builds the trend charts of one group of a base-movement table
// (group "" is the whole base): subscribers in network (closing base), gross
// adds and churners, and — when withRevenue — ARPU. The x axis is the
// period's start in decimal years (2024.5 = July 2024). It fails when the
// group has no rows.
func KPITrend(t *kpi.Table, group string, withRevenue bool) ([]*LineChart, error) {
	return KPITrendIn(t, group, withRevenue, nil)
}

// KPITrendIn is KPITrend with titles and labels in the language of l (nil:
// English).
func KPITrendIn(t *kpi.Table, group string, withRevenue bool, l *lang.Catalog) ([]*LineChart, error) {
	var x, base, adds, churners, arpu []float64
	for _, r := range t.Rows {
		if r.Group != group {
			continue
		}
		y, m, _ := r.Period.Date()
		x = append(x, float64(y)+float64(m-1)/12)
		base = append(base, float64(r.ClosingBase))
		adds = append(adds, float64(r.GrossAdds))
		churners = append(churners, float64(r.Churners))
		arpu = append(arpu, r.ARPU)
	}
	if len(x) == 0 {
		return nil, fmt.Errorf("chart: the base-movement table has no rows for group %q", group)
	}
	name := l.T("chart.kpi.whole")
	if group != "" {
		name = group
	}
	per := l.Unit(t.Options.Period.String())
	month, subs := l.T("chart.kpi.month"), l.T("chart.kpi.subscribers")
	charts := []*LineChart{
		{Title: l.T("chart.kpi.base", per, name), XLabel: month, XMonths: true, YLabel: subs,
			Series: []Series{{Name: l.T("chart.kpi.closing"), X: x, Y: base, Points: len(x) < 40}}, LegendBottom: true},
		{Title: l.T("chart.kpi.flows", per, name), XLabel: month, XMonths: true, YLabel: subs, LegendBottom: true, LegendLeft: true,
			Series: []Series{{Name: l.T("chart.kpi.adds"), X: x, Y: adds, Points: len(x) < 40}, {Name: l.T("chart.kpi.churners"), X: x, Y: churners, Points: len(x) < 40}}},
	}
	if withRevenue {
		charts = append(charts, &LineChart{Title: l.T("chart.kpi.arpu", per, name), XLabel: month, XMonths: true, YLabel: l.T("chart.kpi.revenue"),
			Series: []Series{{Name: "ARPU", X: x, Y: arpu, Points: len(x) < 40}}, LegendBottom: true})
	}
	return charts, nil
}
