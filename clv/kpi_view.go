package clv

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/clvkit/clv/clv/dataset"
	"github.com/clvkit/clv/clv/kpi"
)

// kpiKey identifies a base-movement or cohort table: period and groups.
type kpiKey struct {
	period dataset.Period
	by     string
}

// kpiOptions are the clv/kpi options of the base: its as-of day and
// observation start, the given period and group columns.
func (b *Base) kpiOptions(period dataset.Period, by []string) (kpi.Options, error) {
	if b.Subs == nil {
		return kpi.Options{}, fmt.Errorf("%w: the operating view needs the subscriber export", ErrNoSubscribers)
	}
	return kpi.Options{Period: period, AsOf: b.asOf, From: b.trunc.From, By: slices.Clone(by)}, nil
}

// KPI returns the base movement per calendar period (opening base, gross
// adds, churners, churn rate, revenue, ARPU, ...; see package clv/kpi) of the
// whole base and of every combination of the subscriber columns by, from the
// observation start (periods before it are left out and counted) to the as-of
// day. Computed once per period and grouping.
func (b *Base) KPI(period dataset.Period, by []string) (*kpi.Table, error) {
	key := kpiKey{period, strings.Join(by, "\x00")}
	if t, ok := b.kpis[key]; ok {
		return t, nil
	}
	opt, err := b.kpiOptions(period, by)
	if err != nil {
		return nil, err
	}
	t, err := kpi.Movements(b.Subs, b.Tx, b.SubOf, opt)
	if err != nil {
		return nil, badOption(err)
	}
	if b.kpis == nil {
		b.kpis = map[kpiKey]*kpi.Table{}
	}
	b.kpis[key] = t
	return t, nil
}

// Cohorts returns the cohort table (activation period × tenure: retention,
// censored members and, with transactions, revenue; see package clv/kpi) of
// the whole base and of every combination of the subscriber columns by.
// Cohorts that start before the observation start are left out and counted.
// Computed once per period and grouping.
func (b *Base) Cohorts(period dataset.Period, by []string) (*kpi.Cohorts, error) {
	key := kpiKey{period, strings.Join(by, "\x00")}
	if c, ok := b.cohorts[key]; ok {
		return c, nil
	}
	opt, err := b.kpiOptions(period, by)
	if err != nil {
		return nil, err
	}
	c, err := kpi.BuildCohorts(b.Subs, b.Tx, b.SubOf, opt)
	if err != nil {
		return nil, badOption(err)
	}
	if b.cohorts == nil {
		b.cohorts = map[kpiKey]*kpi.Cohorts{}
	}
	b.cohorts[key] = c
	return c, nil
}

// badOption marks clv/kpi's invalid-input errors (a group column that does
// not exist, an empty window) as option errors.
func badOption(err error) error {
	if errors.Is(err, kpi.ErrInvalidInput) {
		return fmt.Errorf("%w: %w", ErrBadOption, err)
	}
	return err
}
