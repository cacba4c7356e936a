package kpi

import (
	"fmt"

	"github.com/clvkit/clv/clv/dataset"
)

// Change compares the latest reported period of a group with the period
// before it and with the same period a year earlier (for the summary of a
// report: "churn rate 1.7 %, −0.3 points on the month").
type Change struct {
	Period dataset.Day // start of the latest period
	Latest Movement
	// Previous is the period before; HasPrevious is false when there is
	// none. YearAgo is the period a year before (12 months, 4 quarters or 1
	// year); HasYearAgo is false when it is not reported.
	Previous, YearAgo       Movement
	HasPrevious, HasYearAgo bool
	// Partial reports that the latest period ends after the as-of day: its
	// figures cover part of it.
	Partial bool
}

// Changes returns the Change of group ("" = the whole base).
func (t *Table) Changes(group string) (*Change, error) {
	var rows []Movement
	for _, r := range t.Rows {
		if r.Group == group {
			rows = append(rows, r)
		}
	}
	if len(rows) == 0 {
		return nil, fmt.Errorf("%w: no rows for group %q", ErrInvalidInput, group)
	}
	n := len(rows)
	c := &Change{Period: rows[n-1].Period, Latest: rows[n-1], Partial: t.Partial}
	if n >= 2 {
		c.Previous, c.HasPrevious = rows[n-2], true
	}
	if y := 12 / t.Options.Period.Months(); n > y {
		c.YearAgo, c.HasYearAgo = rows[n-1-y], true
	}
	return c, nil
}
