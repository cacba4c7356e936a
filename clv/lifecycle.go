package clv

import (
	"fmt"

	"github.com/clvkit/clv/clv/dataset"
	"github.com/clvkit/clv/clv/retention"
	"github.com/clvkit/clv/segment/lifecycle"
)

// Lifecycle is a Markov chain of customer states estimated from the panel.
type Lifecycle struct {
	*lifecycle.Model
	// Returns counts the observed moves out of the churned state (a
	// reactivation after a recorded churn, or a purchase after a lapse).
	// They are kept in the counts but not in the transition matrix, where
	// churned is absorbing (lost for good).
	Returns int64
}

// Lifecycle estimates the chain of opt.Scheme on the panel of the window,
// with activation and churn dates from the subscriber export when there is
// one. The stage scheme uses the run's segment rules unless opt.Rules is set.
func (b *Base) Lifecycle(opt lifecycle.Options) (*Lifecycle, error) {
	panel, err := b.Panel()
	if err != nil {
		return nil, err
	}
	if opt.Rules == (lifecycle.Options{}).Rules {
		opt.Rules = b.opt.Segment.Rules
	}
	if b.Subs != nil {
		opt.Start, opt.Churn = lifecycle.StartChurn(panel, b.Subs, b.SubOf)
	}
	m, err := lifecycle.Build(panel, opt)
	if err != nil {
		return nil, err
	}
	l := &Lifecycle{Model: m}
	if m.Scheme != lifecycle.Recency {
		for j, c := range m.Fit.Counts[m.ChurnState] {
			if j != m.ChurnState {
				l.Returns += c
			}
		}
	}
	return l, nil
}

// Migration fits the recency-state migration model (Berger & Nasr case 5)
// on the complete periods of the panel; it returns the options used (with
// Periods set).
func (b *Base) Migration(opt retention.MigrationOptions) (*retention.Migration, *dataset.Panel, retention.MigrationOptions, error) {
	panel, err := b.Panel()
	if err != nil {
		return nil, nil, opt, err
	}
	p := panel.Period
	opt.Periods = panel.Periods
	if panel.AsOf != p.End(panel.First+panel.Periods-1) {
		opt.Periods--
		b.notef("left out %s, which is not complete at the as-of date %s", panel.Label(panel.Periods-1), panel.AsOf)
	}
	if opt.Periods < 2 {
		return nil, nil, opt, fmt.Errorf("%w: %w: the window has %d complete %ss", retention.ErrNotIdentified, retention.ErrTooLittleData, opt.Periods, p)
	}
	m, err := retention.FitMigration(panel, opt)
	if err != nil {
		return nil, nil, opt, err
	}
	return m, panel, opt, nil
}
