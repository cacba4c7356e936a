package chart

import (
	"math"
	"strconv"

	"github.com/clvkit/clv/clv/kpi"
	"github.com/clvkit/clv/io/lang"
)

// Cohort builds the heat map of a pivoted cohort table (kpi.Cohorts.Pivot):
// one row per cohort (labelled by its start date, and group when there are
// groups), one column per tenure. Retention is drawn from the lowest value
// (rounded down to a tenth) to 1; revenue metrics from 0 to the largest value.
func Cohort(m *kpi.Matrix, title string) *Heatmap { return CohortIn(m, title, nil) }

// CohortIn is Cohort with axis labels in the language of l (nil: English).
func CohortIn(m *kpi.Matrix, title string, l *lang.Catalog) *Heatmap {
	h := &Heatmap{Title: title, XLabel: l.T("chart.cohort.x"), YLabel: l.T("chart.cohort.y"),
		Values: m.Values, Max: 1}
	h.Missing = make([][]bool, len(m.Values))
	for i := range m.Values {
		label := m.Cohort[i].String()
		if m.Group[i] != "" {
			label = m.Group[i] + " " + label
		}
		h.Labels = append(h.Labels, label)
		h.Missing[i] = make([]bool, len(m.Present[i]))
		for j, ok := range m.Present[i] {
			h.Missing[i][j] = !ok
		}
	}
	for k := 1; k <= m.Tenures; k++ {
		h.Columns = append(h.Columns, strconv.Itoa(k))
	}
	lo, hi := 1.0, 0.0
	for i, row := range m.Values {
		for j, v := range row {
			if m.Present[i][j] {
				lo, hi = min(lo, v), max(hi, v)
			}
		}
	}
	if m.Metric == kpi.MetricRetention {
		h.Min = math.Floor(lo*10) / 10
		if h.Min >= 1 {
			h.Min = 0
		}
	} else {
		h.Min, h.Max = 0, hi
	}
	return h
}
