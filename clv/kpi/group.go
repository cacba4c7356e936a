package kpi

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/clvkit/clv/clv/dataset"
)

// ErrInvalidInput reports options or inputs the tables cannot be built from.
var ErrInvalidInput = errors.New("kpi: invalid input")

// GroupSeparator joins the values of several --by columns into one group name.
const GroupSeparator = "/"

// Blank names the group of subscribers whose --by values are all empty (the
// whole base is the group "").
const Blank = "(blank)"

// maxGroups bounds the number of groups (distinct --by value combinations).
const maxGroups = 10000

// maxPeriods bounds the number of reported periods (a century of months).
const maxPeriods = 1200

// grouping assigns every subscriber row a group index; names[g] is group g.
type grouping struct {
	names []string
	of    []int32 // per subscriber row
}

// groupBy builds the groups of subscribers over the attribute columns by
// (none: no groups). Group names are the column values joined with
// GroupSeparator, sorted.
func groupBy(subs *dataset.Subscribers, by []string) (*grouping, error) {
	if len(by) == 0 {
		return nil, nil
	}
	cols := make([][]string, len(by))
	for k, name := range by {
		cols[k] = subs.Attr(name)
		if cols[k] == nil {
			return nil, fmt.Errorf("%w: no subscriber column %q (have %s)", ErrInvalidInput, name, strings.Join(subs.AttrNames, ", "))
		}
	}
	index := map[string]int32{}
	g := &grouping{of: make([]int32, subs.Len())}
	var key []byte
	for i := range subs.Len() {
		key = key[:0]
		for k, c := range cols {
			if k > 0 {
				key = append(key, GroupSeparator...)
			}
			key = append(key, c[i]...)
		}
		if len(key) == 0 {
			key = append(key, Blank...)
		}
		id, ok := index[string(key)] // no allocation for the lookup
		if !ok {
			if len(index) >= maxGroups {
				return nil, fmt.Errorf("%w: more than %d groups of %s", ErrInvalidInput, maxGroups, strings.Join(by, ", "))
			}
			id = int32(len(index))
			index[string(key)] = id
			g.names = append(g.names, string(key))
		}
		g.of[i] = id
	}
	// Sort the names and renumber (stable, deterministic output).
	order := make([]int32, len(g.names))
	for i := range order {
		order[i] = int32(i)
	}
	slices.SortFunc(order, func(a, b int32) int { return strings.Compare(g.names[a], g.names[b]) })
	rank := make([]int32, len(order))
	sorted := make([]string, len(order))
	for r, old := range order {
		rank[old] = int32(r)
		sorted[r] = g.names[old]
	}
	for i, id := range g.of {
		g.of[i] = rank[id]
	}
	g.names = sorted
	return g, nil
}

// Rows counts the subscribers a table could not use.
type Rows struct {
	// Invalid subscribers have a churn date before their activation date;
	// they are left out of every count.
	Invalid int
	// NotStarted subscribers were activated after the as-of date or have no
	// activation date.
	NotStarted int
	// ChurnedBeforeStart churned before the observation start (a truncated
	// export should not hold them); they only affect left-out periods.
	ChurnedBeforeStart int
	// UnmatchedTransactions are transaction rows (in the window) of customers
	// who are not in the subscriber export, or whose subscriber row is left
	// out (invalid, not started); UnmatchedRevenue is their sum. They are in
	// no row of the tables.
	UnmatchedTransactions int
	UnmatchedRevenue      float64
	// LateTransactions are rows dated after the as-of date (left out).
	LateTransactions int
}

// status classifies subscriber i at asOf: 0 usable, 1 invalid, 2 not started.
func status(subs *dataset.Subscribers, i int, asOf dataset.Day) int {
	a, c := subs.Activation[i], subs.Churn[i]
	switch {
	case a == dataset.NoDay || a > asOf:
		return 2
	case c != dataset.NoDay && c < a:
		return 1
	}
	return 0
}

// observedChurn returns the churn date of subscriber i as known at asOf:
// NoDay when it is empty or after asOf.
func observedChurn(subs *dataset.Subscribers, i int, asOf dataset.Day) dataset.Day {
	if c := subs.Churn[i]; c != dataset.NoDay && c <= asOf {
		return c
	}
	return dataset.NoDay
}

// ymd is a calendar date split into year, month and day.
type ymd struct{ y, m, d int }

func split(d dataset.Day) ymd {
	y, m, dd := d.Date()
	return ymd{y, m, dd}
}

// monthsDone returns the number of whole months from a to d (d on or after
// a) under the anniversary rule of the life table: the n-th monthly
// anniversary of a is in the n-th month after a's, on a's day of month
// clamped to that month's length (31 January + 1 month = 28 or 29 February),
// the rule of retention.AddMonths. The count is the largest n whose
// anniversary is on or before d.
func monthsDone(a, d ymd) int {
	n := (d.y-a.y)*12 + (d.m - a.m)
	if d.d < min(a.d, dataset.DaysIn(d.y, d.m)) {
		n--
	}
	return n
}

// anniversaries returns the number of tenure anniversaries j ≥ 1 of a
// subscriber activated on day a that fall on or before day d, with periods
// of k months (0 when d is before a).
func anniversaries(a, d dataset.Day, k int) int {
	if d < a {
		return 0
	}
	return monthsDone(split(a), split(d)) / k
}

// checkOptions validates the shared options.
func checkOptions(p dataset.Period, asOf, from dataset.Day) error {
	if p != dataset.PeriodMonth && p != dataset.PeriodQuarter && p != dataset.PeriodYear {
		return fmt.Errorf("%w: period %d", ErrInvalidInput, p)
	}
	if asOf == dataset.NoDay {
		return fmt.Errorf("%w: an as-of date is required", ErrInvalidInput)
	}
	if from != dataset.NoDay && from > asOf {
		return fmt.Errorf("%w: observation start %s is after the as-of date %s", ErrInvalidInput, from, asOf)
	}
	return nil
}

// firstReported returns the index of the first period that starts on or
// after from.
func firstReported(p dataset.Period, from dataset.Day) int {
	i := p.Index(from)
	if p.Start(i) < from {
		i++
	}
	return i
}

// ratio returns num/den, or 0 when den is 0 (an empty base has no rate).
func ratio(num, den float64) float64 {
	if den == 0 {
		return 0
	}
	return num / den
}
