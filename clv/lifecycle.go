package clv

import (
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
