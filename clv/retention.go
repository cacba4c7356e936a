package clv

import (
	"errors"
	"fmt"

	"github.com/clvkit/clv/clv/dataset"
	"github.com/clvkit/clv/clv/retention"
)

// GroupFit is the life table and retention model of one group of subscribers.
type GroupFit struct {
	// Name is the group's value of the grouping column ("" for the whole base).
	Name string
	// Rows are the subscriber rows of the group (active or churned at the as-of day).
	Rows      []int
	Durations retention.Durations
	Life      []retention.LifeRow
	// Fit is the group's own sBG fit; Geo its constant-retention fit when the
	// sBG has no heterogeneity. Both nil when Err says why.
	Fit *retention.Fit
	Geo *retention.GeometricFit
	// Err says why the group has no model of its own.
	Err error
	// Model is the retention model that values the group: its own, or the
	// pooled one when Pooled.
	Model  retention.Model
	Pooled bool
}

// Own returns the group's own model (sBG, else constant retention), or nil.
func (g *GroupFit) Own() retention.Model {
	switch {
	case g.Fit != nil:
		return g.Fit.SBG
	case g.Geo != nil:
		return g.Geo.Geometric
	}
	return nil
}

// Retention is the retention analysis of the subscriber base.
type Retention struct {
	Period dataset.Period
	AsOf   dataset.Day
	// By is the grouping column ("" = one pooled group).
	By      string
	Tenures *retention.Tenures
	// Groups are sorted by name; one unnamed group when By is "".
	Groups []GroupFit
	// Pool is the fit of the whole base (the fallback of small groups); it is
	// Groups[0] when By is "".
	Pool *GroupFit
	// MinGroup is the smallest group fitted on its own.
	MinGroup int
}

// Label names group g for messages: "base" or "plan=prepaid".
func (r *Retention) Label(g *GroupFit) string {
	if r.By == "" {
		return "base"
	}
	return r.By + "=" + g.Name
}

// Tenures places every subscriber on the tenure axis at the as-of day, from
// the observation start.
func (b *Base) Tenures() (*retention.Tenures, error) {
	r, err := b.Retention()
	if err != nil {
		return nil, err
	}
	return r.Tenures, nil
}

// RetentionBy returns the retention grouping column in effect ("" = none).
func (b *Base) RetentionBy() string {
	by := b.opt.RetentionBy
	switch by {
	case "none":
		return ""
	case "":
		if b.Subs != nil && b.Subs.Attr("plan") != nil {
			return "plan"
		}
		return ""
	}
	return by
}

// Retention builds the life tables and fits the retention models, per group
// of Options.RetentionBy, with the pooled fit as the fallback.
func (b *Base) Retention() (*Retention, error) {
	if b.ret != nil || b.retErr != nil {
		return b.ret, b.retErr
	}
	b.ret, b.retErr = b.buildRetention()
	return b.ret, b.retErr
}

func (b *Base) buildRetention() (*Retention, error) {
	s := b.Subs
	if s == nil {
		return nil, fmt.Errorf("%w: retention needs activation and churn dates (-s)", ErrNoSubscribers)
	}
	if s.Len() == 0 {
		return nil, dataset.ErrEmpty
	}
	tn, err := retention.ComputeTenures(s, retention.TenureOptions{Period: b.opt.Period, AsOf: b.asOf, From: b.trunc.From})
	if err != nil {
		return nil, err
	}
	if n := tn.Truncated(); n > 0 {
		b.notef("left out %d subscribers who churned before the observation start %s", n, b.trunc.From)
	}
	if act, churned, ns, inv := tn.Count(); ns+inv > 0 {
		b.notef("%d active and %d churned subscribers at %s; left out %d activated after it or without an activation date, %d with a churn date before activation", act, churned, b.asOf, ns, inv)
	}
	r := &Retention{Period: b.opt.Period, AsOf: b.asOf, By: b.RetentionBy(), Tenures: tn, MinGroup: b.opt.MinGroup}
	names, rows, err := groupRows(s, tn, r.By)
	if err != nil {
		return nil, err
	}
	if len(names) == 0 {
		return nil, fmt.Errorf("%w: no subscriber active or churned at %s", dataset.ErrEmpty, b.asOf)
	}
	fo := retention.FitOptions{MinSubscribers: float64(b.opt.MinGroup), Timeout: b.opt.FitTimeout, Context: b.opt.Context}
	pool := fitGroup("", allRows(tn), tn, fo)
	pool.Model = pool.Own()
	r.Pool = &pool
	if r.By == "" {
		r.Groups = []GroupFit{pool}
		r.Pool = &r.Groups[0]
		if pool.Geo != nil {
			b.notef("base: churn does not vary with tenure (sBG alpha, beta unbounded); using constant retention %.4f", pool.Geo.Rate)
		}
		return r, nil
	}
	r.Groups = make([]GroupFit, len(names))
	for k := range names {
		g := fitGroup(names[k], rows[k], tn, fo)
		g.Model = g.Own()
		if g.Geo != nil {
			b.notef("%s: churn does not vary with tenure (sBG alpha, beta unbounded); using constant retention %.4f", r.Label(&g), g.Geo.Rate)
		}
		if g.Model == nil && pool.Model != nil {
			g.Model, g.Pooled = pool.Model, true
			b.notef("%s: %v; valued with the pooled fit of the whole base", r.Label(&g), g.Err)
		}
		r.Groups[k] = g
	}
	return r, nil
}

// fitGroup builds the life table of rows and fits the sBG model (the
// constant-retention model when the sBG has no heterogeneity).
func fitGroup(name string, rows []int, tn *retention.Tenures, fo retention.FitOptions) GroupFit {
	d := tn.Durations(rows)
	g := GroupFit{Name: name, Rows: rows, Durations: d, Life: retention.LifeTable(d)}
	g.Fit, g.Err = retention.FitSBG(d, fo)
	if errors.Is(g.Err, retention.ErrNoHeterogeneity) {
		if geo, err := retention.FitGeometric(d, fo); err == nil {
			g.Fit, g.Geo, g.Err = nil, geo, nil
		}
	}
	if g.Err != nil {
		g.Fit = nil
	}
	return g
}

// allRows returns the rows of the subscribers active or churned at the as-of day.
func allRows(tn *retention.Tenures) []int {
	var rows []int
	for i, st := range tn.Status {
		if st == retention.Active || st == retention.Churned {
			rows = append(rows, i)
		}
	}
	return rows
}

// groupRows splits the subscribers active or churned at the as-of day by the
// values of column by (sorted by name); by "" gives one unnamed group.
func groupRows(s *dataset.Subscribers, tn *retention.Tenures, by string) ([]string, [][]int, error) {
	if by == "" {
		rows := allRows(tn)
		if len(rows) == 0 {
			return nil, nil, nil
		}
		return []string{""}, [][]int{rows}, nil
	}
	values := s.Attr(by)
	if values == nil && by == "cohort" {
		values = cohorts(s)
	}
	if values == nil {
		return nil, nil, fmt.Errorf("%w: retention groups by %q: the subscribers have no such column (columns: %v; cohort = activation year)", ErrBadOption, by, s.AttrNames)
	}
	index := map[string]int{}
	var names []string
	var rows [][]int
	for i, v := range values {
		if st := tn.Status[i]; st != retention.Active && st != retention.Churned {
			continue
		}
		if v == "" {
			v = "(blank)"
		}
		k, ok := index[v]
		if !ok {
			k = len(names)
			index[v] = k
			names = append(names, v)
			rows = append(rows, nil)
		}
		rows[k] = append(rows[k], i)
	}
	order := sortedOrder(names)
	on, or := make([]string, len(order)), make([][]int, len(order))
	for i, k := range order {
		on[i], or[i] = names[k], rows[k]
	}
	return on, or, nil
}
