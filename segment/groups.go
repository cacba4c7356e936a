package segment

import (
	"cmp"
	"fmt"
	"math"
	"slices"
)

// GroupOptions grade group customers (集团客户): a group gets the first grade
// whose monthly-revenue and active-line thresholds it both reaches, else the
// last grade.
type GroupOptions struct {
	// Grades are the grade names, highest first (default A, B, C, D).
	Grades []string
	// Revenue are the monthly-revenue thresholds of every grade but the
	// last, decreasing (default 20000, 5000, 1000).
	Revenue []float64
	// Lines are the active-line thresholds of every grade but the last,
	// non-increasing (default 10, 5, 2).
	Lines []int
	// KeyMembers is the number of members named per group, by CLV (default 3).
	KeyMembers int
}

// DefaultGroupOptions returns the documented defaults.
func DefaultGroupOptions() GroupOptions {
	return GroupOptions{Grades: []string{"A", "B", "C", "D"}, Revenue: []float64{20000, 5000, 1000}, Lines: []int{10, 5, 2}, KeyMembers: 3}
}

// Validate reports an error wrapping ErrRules when the options are inconsistent.
func (o GroupOptions) Validate() error {
	k := len(o.Grades)
	if k < 1 {
		return fmt.Errorf("%w: no group grades", ErrRules)
	}
	if len(o.Revenue) != k-1 || len(o.Lines) != k-1 {
		return fmt.Errorf("%w: %d group grades need %d revenue and %d line thresholds (got %d and %d)", ErrRules, k, k-1, k-1, len(o.Revenue), len(o.Lines))
	}
	for i, v := range o.Revenue {
		if !(v >= 0) || math.IsInf(v, 0) || (i > 0 && v >= o.Revenue[i-1]) {
			return fmt.Errorf("%w: group revenue thresholds must be finite, non-negative and decreasing (got %v)", ErrRules, o.Revenue)
		}
	}
	for i, v := range o.Lines {
		if v < 0 || (i > 0 && v > o.Lines[i-1]) {
			return fmt.Errorf("%w: group line thresholds must be non-negative and non-increasing (got %v)", ErrRules, o.Lines)
		}
	}
	if o.KeyMembers < 0 {
		return fmt.Errorf("%w: key members %d is negative", ErrRules, o.KeyMembers)
	}
	return nil
}

// GroupInput is what Result.Groups needs besides the result, one value per
// result row.
type GroupInput struct {
	// Group is the group id of each customer ("" = not in a group).
	Group []string
	// Active says the line is in service at the as-of day (no churn date on
	// or before it).
	Active []bool
	// Monthly is the customer's recent revenue per month.
	Monthly []float64
}

// GroupRow is one group customer.
type GroupRow struct {
	Group string
	Grade string
	// Lines are the members; ActiveLines those in service.
	Lines, ActiveLines int
	// Revenue is the members' spend in the observation window;
	// MonthlyRevenue their recent revenue per month (GroupInput.Monthly).
	Revenue, MonthlyRevenue float64
	// CLV and ValueAtRisk are the members' totals.
	CLV, ValueAtRisk float64
	// Warning counts members on the early-warning list.
	Warning int
	// KeyMembers are the rows of the members with the highest CLV (ties by
	// id), at most GroupOptions.KeyMembers.
	KeyMembers []int
}

// Groups rolls the customers up by group: lines, active lines, revenue,
// value and grade per group, ordered by monthly revenue descending, ties by
// group id. threshold is the early-warning risk threshold.
func (r *Result) Groups(in GroupInput, opt GroupOptions, threshold float64) ([]GroupRow, error) {
	if err := opt.Validate(); err != nil {
		return nil, err
	}
	n := r.Len()
	if len(in.Group) != n || len(in.Active) != n || len(in.Monthly) != n {
		return nil, fmt.Errorf("segment: group input has %d/%d/%d rows, the result %d", len(in.Group), len(in.Active), len(in.Monthly), n)
	}
	idx := map[string]int{}
	var out []GroupRow
	var members [][]int
	for i, g := range in.Group {
		if g == "" {
			continue
		}
		k, ok := idx[g]
		if !ok {
			k = len(out)
			idx[g] = k
			out = append(out, GroupRow{Group: g})
			members = append(members, nil)
		}
		row := &out[k]
		row.Lines++
		if in.Active[i] {
			row.ActiveLines++
		}
		row.Revenue += r.Revenue[i]
		row.MonthlyRevenue += in.Monthly[i]
		row.CLV += r.CLV[i]
		row.ValueAtRisk += r.ValueAtRisk[i]
		if warningIndex(r.Stage[i], r.Risk[i], threshold) == warnListed {
			row.Warning++
		}
		members[k] = append(members[k], i)
	}
	for k := range out {
		row := &out[k]
		row.Grade = opt.Grades[len(opt.Grades)-1]
		for g := range opt.Revenue {
			if row.MonthlyRevenue >= opt.Revenue[g] && row.ActiveLines >= opt.Lines[g] {
				row.Grade = opt.Grades[g]
				break
			}
		}
		m := members[k]
		slices.SortFunc(m, func(a, b int) int {
			if c := cmp.Compare(r.CLV[b], r.CLV[a]); c != 0 {
				return c
			}
			return cmp.Compare(r.IDs[a], r.IDs[b])
		})
		row.KeyMembers = m[:min(len(m), opt.KeyMembers)]
	}
	slices.SortFunc(out, func(a, b GroupRow) int {
		if c := cmp.Compare(b.MonthlyRevenue, a.MonthlyRevenue); c != 0 {
			return c
		}
		return cmp.Compare(a.Group, b.Group)
	})
	return out, nil
}
