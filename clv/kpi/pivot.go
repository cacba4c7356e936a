package kpi

import (
	"fmt"

	"github.com/clvkit/clv/clv/dataset"
)

// Metric selects the value of a cohort cell shown in a pivot or heat map.
type Metric int

// Cohort metrics.
const (
	// MetricRetention is Cell.Retention (active ÷ subscribers).
	MetricRetention Metric = iota
	// MetricRevenue is Cell.RevenuePerSubscriber (cumulative revenue per
	// original member).
	MetricRevenue
	// MetricARPU is Cell.ARPU (the tenure period's revenue per member in
	// service at its start).
	MetricARPU
)

// String returns "retention", "revenue" or "arpu".
func (m Metric) String() string {
	switch m {
	case MetricRevenue:
		return "revenue"
	case MetricARPU:
		return "arpu"
	}
	return "retention"
}

// ParseMetric parses "retention", "revenue" or "arpu".
func ParseMetric(s string) (Metric, error) {
	switch s {
	case "retention":
		return MetricRetention, nil
	case "revenue":
		return MetricRevenue, nil
	case "arpu":
		return MetricARPU, nil
	}
	return 0, fmt.Errorf("%w: unknown metric %q (want retention, revenue or arpu)", ErrInvalidInput, s)
}

// Value returns the cell's value of metric m.
func (c *Cell) Value(m Metric) float64 {
	switch m {
	case MetricRevenue:
		return c.RevenuePerSubscriber
	case MetricARPU:
		return c.ARPU
	}
	return c.Retention
}

// Matrix is the cohort table pivoted wide: one row per cohort (and group),
// one column per tenure 1..Tenures.
type Matrix struct {
	Metric      Metric
	Cohort      []dataset.Day
	Group       []string
	Subscribers []int64
	Tenures     int
	// Values[i][k-1] is the metric at tenure k; Present[i][k-1] is false
	// where the cohort has no cell (not yet observed), Censored[i][k-1] true
	// where some member's k-th anniversary is after the as-of date.
	Values   [][]float64
	Present  [][]bool
	Censored [][]bool
}

// Pivot turns the cohort table wide with the values of metric m. A revenue
// metric needs a table built with transactions.
func (c *Cohorts) Pivot(m Metric) (*Matrix, error) {
	if m != MetricRetention && !c.Revenue {
		return nil, fmt.Errorf("%w: metric %s needs transactions", ErrInvalidInput, m)
	}
	out := &Matrix{Metric: m, Tenures: c.MaxTenure}
	for i := range c.Cells {
		cell := &c.Cells[i]
		r := len(out.Cohort) - 1
		if r < 0 || out.Cohort[r] != cell.Cohort || out.Group[r] != cell.Group {
			out.Cohort = append(out.Cohort, cell.Cohort)
			out.Group = append(out.Group, cell.Group)
			out.Subscribers = append(out.Subscribers, cell.Subscribers)
			out.Values = append(out.Values, make([]float64, c.MaxTenure))
			out.Present = append(out.Present, make([]bool, c.MaxTenure))
			out.Censored = append(out.Censored, make([]bool, c.MaxTenure))
			r++
		}
		out.Values[r][cell.Tenure-1] = cell.Value(m)
		out.Present[r][cell.Tenure-1] = true
		out.Censored[r][cell.Tenure-1] = cell.Censored > 0
	}
	return out, nil
}
