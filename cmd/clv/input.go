package main

import (
	"fmt"

	"github.com/clvkit/clv/clv/dataset"
	"github.com/clvkit/clv/io/read"
)

// checkPanelPeriods checks a --panel file against the analysis period p:
// every row must be dated on the first day of a month, and the panel's own
// period (the coarsest of month, quarter and year whose first days hold
// every row) must not be coarser than p. A finer panel is summed into p's
// periods; a coarser one would put, say, a quarter's spend into its first month.
//
// It returns the last day of the panel's last period, the default as-of day
// of a panel (NoDay without --panel).
func checkPanelPeriods(f *inputFlags, l *loaded, p dataset.Period) (dataset.Day, error) {
	if f.panel == "" {
		return dataset.NoDay, nil
	}
	coarsest := dataset.PeriodYear
	last := dataset.NoDay
	for i, d := range l.tx.Day {
		last = max(last, d)
		if m := dataset.PeriodMonth; m.Start(m.Index(d)) != d {
			return dataset.NoDay, usagef("--panel %s: row %d has period %s, which is not the first day of a month (want the period start, as clv panel writes it)", f.panel, i+1, d)
		}
		for _, q := range []dataset.Period{dataset.PeriodYear, dataset.PeriodQuarter} {
			if coarsest == q && q.Start(q.Index(d)) != d {
				coarsest = q - 1
			}
		}
	}
	if coarsest.Months() > p.Months() {
		return dataset.NoDay, usagef("--panel %s holds %sly periods: it cannot be analysed per %s (use --period %s or a finer panel)", f.panel, coarsest, p, coarsest)
	}
	if last == dataset.NoDay {
		return dataset.NoDay, nil
	}
	// The last row's period, at the panel's own granularity (a monthly
	// panel's rows all start months, so a month is the safe reading).
	g := dataset.PeriodMonth
	if coarsest.Months() > 1 {
		g = coarsest
	}
	return g.End(g.Index(last)), nil
}

// loadSummary reads a per-customer summary file (--summary).
func (a *app) loadSummary(f *inputFlags) (*loaded, error) {
	opt, finish, err := a.readOptions(f)
	if err != nil {
		return nil, err
	}
	s, st, err := read.Summary(f.summary, opt)
	if ferr := finish(err == nil); err == nil && ferr != nil {
		err = ferr
	}
	if err != nil {
		return nil, err
	}
	a.notef("%s: %s", f.summary, st)
	return &loaded{tx: &dataset.Transactions{}, summary: s, stats: []read.Stats{st}}, nil
}

// summaryUnit checks --unit against a summary file, which does not record
// the unit of its t_x and T: with a tenure_days column the unit is inferred
// (dataset.Summary.TenureUnit). A default --unit gives way to it (noted);
// an explicit one that disagrees is a usage error; no clear unit is a
// warning. Commands without --unit (rfm) do not use t_x and T.
func (a *app) summaryUnit(f *inputFlags, t *timeFlags, s *dataset.Summary, unit dataset.Unit) (dataset.Unit, error) {
	if t.unitFlag == nil {
		return unit, nil
	}
	u, ok := s.TenureUnit()
	switch {
	case ok && u != unit && t.unitFlag.Changed:
		return unit, usagef("%s: t_x and T are in %ss (tenure_days / T = %g for most customers), but --unit is %s; run with --unit %s", f.summary, u, u.Days(), unit, u)
	case ok && u != unit:
		a.notef("%s: t_x and T are in %ss (tenure_days / T = %g for most customers); using --unit %s", f.summary, u, u.Days(), u)
		return u, nil
	case !ok && s.Tenure != nil:
		msg := fmt.Sprintf("%s: cannot tell the unit of t_x and T from tenure_days; taking --unit %s", f.summary, unit)
		if f.strict {
			return unit, fmt.Errorf("%w: %s", errDoubtful, msg)
		}
		a.warnf("%s", msg)
	}
	return unit, nil
}

// summarize builds the per-customer summary in --unit from --summary or from
// the transactions (and subscribers, when given), through the analysis layer.
func (a *app) summarize(f *inputFlags, t *timeFlags) (*dataset.Summary, *loaded, error) {
	unit, err := t.unitValue()
	if err != nil {
		return nil, nil, err
	}
	o, err := a.baseOptions(t, nil)
	if err != nil {
		return nil, nil, err
	}
	var l *loaded
	if f.summary != "" {
		if f.transactions != "" {
			return nil, nil, usagef("give either --summary or --transactions, not both")
		}
		l, err = a.loadSummary(f)
		if err == nil {
			unit, err = a.summaryUnit(f, t, l.summary, unit)
		}
	} else if streamable(f) {
		l, err = a.loadStreamed(f, unit, o.AsOf)
	} else {
		l, err = a.load(f, true, false)
	}
	if err != nil {
		return nil, nil, err
	}
	base, err := a.newBase(l, o)
	if err != nil {
		return nil, nil, err
	}
	s, err := base.Summary(unit)
	if err != nil {
		return nil, nil, err
	}
	return s, l, nil
}
