package clv

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/clvkit/clv/clv/dataset"
	"github.com/clvkit/clv/segment"
)

// ValueCurves are the value curves of the subscriber base (spend per
// subscriber by tenure period, see segment.Curve), one per value of a
// subscriber column and one for the whole base.
type ValueCurves struct {
	// By is the grouping column ("" = the whole base only).
	By     string
	Period dataset.Period
	// Names are the group names (sorted; "(blank)" for an empty value), with
	// Curves[k] the curve of group k (nil when Errs[k] says why).
	Names  []string
	Curves []*segment.Curve
	Errs   []error
	// Pool is the curve of the whole base.
	Pool *segment.Curve
	// Observations counts the subscriber-periods used.
	Observations int
}

// Curve returns the curve of group name, or the pooled curve when the group
// has none.
func (v *ValueCurves) Curve(name string) *segment.Curve {
	for k, n := range v.Names {
		if n == name && v.Curves[k] != nil {
			return v.Curves[k]
		}
	}
	return v.Pool
}

// curveBatch is the number of group curves built in one pass over the panel.
const curveBatch = 64

// curveFolds is the number of cross-validation folds of the value curves'
// smoothing penalty: subscriber row modulo curveFolds (deterministic).
const curveFolds = 5

type curveEntry struct {
	v   *ValueCurves
	err error
}

// ValueCurves builds the value curves by subscriber column by ("" or "none":
// the whole base only; "cohort" = activation year unless a column has that
// name) from the panel. An observation is one subscriber in one calendar
// period it was active for the whole of (the period ended before its churn
// date and on or before the as-of day), or the period of its activation;
// tenure counts calendar periods since the activation period. Subscribers
// whose activation is missing, or after the as-of day, are left out.
func (b *Base) ValueCurves(by string) (*ValueCurves, error) {
	if by == "none" {
		by = ""
	}
	if e, ok := b.curves[by]; ok {
		return e.v, e.err
	}
	v, err := b.buildCurves(by)
	if b.curves == nil {
		b.curves = map[string]curveEntry{}
	}
	b.curves[by] = curveEntry{v, err}
	return v, err
}

// curveObservations lists, per subscriber row, the panel observations of
// the value curve: tenure and spend. It calls f(row, tenure, spend).
func (b *Base) curveObservations(p *dataset.Panel, f func(row int, tenure int32, spend float64)) {
	s := b.Subs
	pr := p.Period
	// Last day of each column (increasing); columns before full end on or
	// before the as-of day.
	ends := make([]dataset.Day, p.Periods)
	for j := range ends {
		ends[j] = pr.End(p.First + j)
	}
	full, _ := slices.BinarySearch(ends, b.asOf+1)
	for c := range p.Customers {
		r := b.subRow(int32(c))
		if r < 0 {
			continue
		}
		a := s.Activation[r]
		if a == dataset.NoDay || a > b.asOf {
			continue
		}
		act := pr.Index(a)
		// Observed: from the activation column to the last column complete
		// at the as-of day and ended before the churn day.
		stop := full
		if churn := s.Churn[r]; churn != dataset.NoDay {
			served, _ := slices.BinarySearch(ends, churn)
			stop = min(stop, served)
		}
		cols, spend, _ := p.Cells(c)
		k := 0
		for j := max(0, act-p.First); j < stop; j++ {
			for k < len(cols) && int(cols[k]) < j {
				k++
			}
			x := 0.0
			if k < len(cols) && int(cols[k]) == j {
				x = spend[k]
			}
			f(int(r), int32(p.First+j-act), x)
		}
	}
}

func (b *Base) buildCurves(by string) (*ValueCurves, error) {
	if b.Subs == nil {
		return nil, fmt.Errorf("%w: value curves need activation dates (-s)", ErrNoSubscribers)
	}
	p, err := b.Panel()
	if err != nil {
		return nil, err
	}
	v := &ValueCurves{By: by, Period: p.Period}
	var values []string
	if by != "" {
		values = b.Subs.Attr(by)
		if values == nil && by == "cohort" {
			values = cohorts(b.Subs)
		}
		if values == nil {
			return nil, fmt.Errorf("%w: value curve by %q: the subscribers have no such column (columns: %v; cohort = activation year)", ErrBadOption, by, b.Subs.AttrNames)
		}
	}
	// Seasons: the period of the year (12 months, 4 quarters; none for years).
	seasons := 12 / p.Period.Months()
	seasonOf := func(row int, tenure int32) int {
		if seasons <= 1 {
			return 0
		}
		idx := p.Period.Index(b.Subs.Activation[row]) + int(tenure)
		return ((idx % seasons) + seasons) % seasons
	}
	// Group of each subscriber row (one name lookup per subscriber, not per
	// observation); nil without grouping.
	var gid []int32
	if values != nil {
		gid = make([]int32, len(values))
		index := map[string]int32{}
		for row, name := range values {
			if name == "" {
				name = "(blank)"
			}
			k, ok := index[name]
			if !ok {
				k = int32(len(v.Names))
				index[name] = k
				v.Names = append(v.Names, name)
			}
			gid[row] = k
		}
	}
	// Two passes over the panel: count the observations per group and
	// tenure, then feed them to one curve builder for the whole base and one
	// per group, sized exactly (no observation columns are kept: the
	// builders hold the spends per tenure and sums).
	nt := segment.DefaultMaxTenure + 1
	counts := make([]int, (len(v.Names)+1)*nt) // group g at g*nt, the whole base last
	pool := len(v.Names)
	b.curveObservations(p, func(row int, tenure int32, _ float64) {
		t := min(int(tenure), nt-1)
		counts[pool*nt+t]++
		if gid != nil {
			counts[int(gid[row])*nt+t]++
		}
	})
	groupN := make([]int, len(v.Names)+1)
	for g := range groupN {
		for t := range nt {
			groupN[g] += counts[g*nt+t]
		}
	}
	v.Observations = groupN[pool]
	newBuilder := func(g int) (*segment.CurveBuilder, error) {
		cb, err := segment.NewCurveBuilder(segment.CurveBuilderOptions{Folds: true, Subjects: true, Seasons: seasons})
		if err != nil {
			return nil, err
		}
		for t := range nt {
			cb.Reserve(t, counts[g*nt+t])
		}
		return cb, nil
	}
	// Groups without observations have no curve and are not listed.
	var order []int
	for _, k := range sortedOrder(v.Names) {
		if groupN[k] > 0 {
			order = append(order, k)
		}
	}
	names := make([]string, len(order))
	v.Curves, v.Errs = make([]*segment.Curve, len(order)), make([]error, len(order))
	// One pass over the panel per batch of curveBatch groups (the first
	// with the whole base): a builder holds some 100 kB besides its spends,
	// so a column with thousands of values must not open them all at once.
	slot := make([]int, len(v.Names))
	for start := 0; start == 0 || start < len(order); start += curveBatch {
		batch := order[start:min(start+curveBatch, len(order))]
		for k := range slot {
			slot[k] = -1
		}
		builders := make([]*segment.CurveBuilder, len(batch))
		for i, k := range batch {
			slot[k] = i
			if builders[i], err = newBuilder(k); err != nil {
				return nil, err
			}
		}
		var whole *segment.CurveBuilder
		if start == 0 {
			if whole, err = newBuilder(pool); err != nil {
				return nil, err
			}
		}
		var addErr error
		b.curveObservations(p, func(row int, tenure int32, spend float64) {
			if addErr != nil {
				return
			}
			fold, season := int8(row%curveFolds), int8(seasonOf(row, tenure))
			if whole != nil {
				addErr = whole.Add(tenure, spend, fold, int32(row), season)
			}
			if gid != nil && addErr == nil {
				if i := slot[gid[row]]; i >= 0 {
					addErr = builders[i].Add(tenure, spend, fold, int32(row), season)
				}
			}
		})
		if addErr != nil {
			return nil, fmt.Errorf("value curve: %w", addErr)
		}
		if whole != nil {
			if v.Pool, err = whole.Curve(); err != nil {
				return nil, fmt.Errorf("value curve: %w", err)
			}
		}
		for i, k := range batch {
			j := start + i
			names[j] = v.Names[k]
			c, err := builders[i].Curve()
			builders[i] = nil
			if err != nil && !errors.Is(err, segment.ErrNoCurve) {
				return nil, fmt.Errorf("value curve of %s=%s: %w", by, names[j], err)
			}
			v.Curves[j], v.Errs[j] = c, err
		}
	}
	v.Names = names
	return v, nil
}

// cohorts returns the activation year of every subscriber ("" without one).
func cohorts(s *dataset.Subscribers) []string {
	values := make([]string, s.Len())
	for i, d := range s.Activation {
		if d != dataset.NoDay {
			y, _, _ := d.Date()
			values[i] = strconv.Itoa(y)
		}
	}
	return values
}

// sortedOrder returns the indices of names in ascending name order.
func sortedOrder(names []string) []int {
	order := make([]int, len(names))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(x, y int) int { return strings.Compare(names[x], names[y]) })
	return order
}
