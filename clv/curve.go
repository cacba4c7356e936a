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
	// Two passes over the panel: count, then fill slices of the exact size
	// (appending would hold up to twice the observations while growing).
	n := 0
	groupN := make([]int, len(v.Names))
	b.curveObservations(p, func(row int, _ int32, _ float64) {
		n++
		if gid != nil {
			groupN[gid[row]]++
		}
	})
	obs := curveObs{t: make([]int32, 0, n), spend: make([]float64, 0, n), fold: make([]int8, 0, n),
		subject: make([]int32, 0, n), season: make([]int8, 0, n)}
	b.curveObservations(p, func(row int, tenure int32, spend float64) {
		obs.add(tenure, spend, int8(row%curveFolds), int32(row), int8(seasonOf(row, tenure)))
	})
	v.Observations = n
	v.Pool, err = segment.BuildCurve(obs.t, obs.spend, segment.CurveOptions{Fold: obs.fold, Subject: obs.subject, Season: obs.season, Seasons: seasons})
	if err != nil {
		return nil, fmt.Errorf("value curve: %w", err)
	}
	// Groups without observations have no curve and are not listed.
	var order []int
	for _, k := range sortedOrder(v.Names) {
		if groupN[k] > 0 {
			order = append(order, k)
		}
	}
	names := make([]string, len(order))
	for i, k := range order {
		names[i] = v.Names[k]
		// One group's observations at a time, in the pool's order.
		m := groupN[k]
		g := curveObs{t: make([]int32, 0, m), spend: make([]float64, 0, m), fold: make([]int8, 0, m),
			subject: make([]int32, 0, m), season: make([]int8, 0, m)}
		for j, row := range obs.subject {
			if gid[row] == int32(k) {
				g.add(obs.t[j], obs.spend[j], obs.fold[j], row, obs.season[j])
			}
		}
		c, err := segment.BuildCurve(g.t, g.spend, segment.CurveOptions{Fold: g.fold, Subject: g.subject, Season: g.season, Seasons: seasons})
		if err != nil && !errors.Is(err, segment.ErrNoCurve) {
			return nil, fmt.Errorf("value curve of %s=%s: %w", by, names[i], err)
		}
		v.Curves = append(v.Curves, c)
		v.Errs = append(v.Errs, err)
	}
	v.Names = names
	return v, nil
}

// curveObs are the observations of a value curve as parallel columns.
type curveObs struct {
	t       []int32
	spend   []float64
	fold    []int8
	subject []int32
	season  []int8
}

func (o *curveObs) add(t int32, spend float64, fold int8, subject int32, season int8) {
	o.t = append(o.t, t)
	o.spend = append(o.spend, spend)
	o.fold = append(o.fold, fold)
	o.subject = append(o.subject, subject)
	o.season = append(o.season, season)
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
