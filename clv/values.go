package clv

import (
	"fmt"
	"math"

	"github.com/clvkit/clv/clv/retention"
)

// Values is the residual lifetime value of every subscriber: margin per
// period × the discounted expected residual lifetime (DERL) under the
// retention model of its group. Slices are indexed by subscriber row.
type Values struct {
	// Group is the retention group of each subscriber (index into
	// Retention.Groups), -1 when it is not active or churned at the as-of day.
	Group []int
	// Margin is the margin per period: the mean revenue of the last
	// Options.MarginWindow periods × Options.MarginRate (never below 0), or
	// the constant Options.Margin.
	Margin []float64
	// Tenure is the number of completed tenure periods.
	Tenure []int32
	// RetentionNext, DERL and Value are 0 for churned subscribers and for
	// groups without a model.
	RetentionNext, DERL, Value []float64
	// GroupTotal is the total value per group; Total the sum over all.
	GroupTotal []float64
	Total      float64
	// DEL is the discounted expected lifetime of a new subscriber per group
	// (NaN-free: 0 with DELErr set when it cannot be computed).
	DEL    []float64
	DELErr []error
	// Discount is the discount rate per period used.
	Discount float64
	// Description says in words how the values were computed.
	Description string
}

// SubscriberValues values every subscriber with the retention model of its
// group (see Retention).
func (b *Base) SubscriberValues() (*Values, error) {
	if b.values != nil || b.valuesErr != nil {
		return b.values, b.valuesErr
	}
	b.values, b.valuesErr = b.buildValues()
	return b.values, b.valuesErr
}

// Margins returns the margin per period of every subscriber row (see Values.Margin).
func (b *Base) Margins() ([]float64, error) {
	s := b.Subs
	if s == nil {
		return nil, fmt.Errorf("%w: margins per subscriber need -s", ErrNoSubscribers)
	}
	m := make([]float64, s.Len())
	if b.opt.MarginSet {
		for i := range m {
			m[i] = b.opt.Margin
		}
		return m, nil
	}
	m, err := retention.Margins(b.Tx, b.SubOf, s, retention.MarginOptions{
		Period: b.opt.Period, AsOf: b.asOf, Window: b.opt.MarginWindow, Rate: b.opt.MarginRate})
	if err != nil {
		return nil, err
	}
	for i, v := range m {
		m[i] = math.Max(0, v)
	}
	return m, nil
}

func (b *Base) buildValues() (*Values, error) {
	r, err := b.Retention()
	if err != nil {
		return nil, err
	}
	margins, err := b.Margins()
	if err != nil {
		return nil, err
	}
	n := b.Subs.Len()
	v := &Values{
		Group: make([]int, n), Margin: margins, Tenure: make([]int32, n),
		RetentionNext: make([]float64, n), DERL: make([]float64, n), Value: make([]float64, n),
		GroupTotal: make([]float64, len(r.Groups)), DEL: make([]float64, len(r.Groups)), DELErr: make([]error, len(r.Groups)),
		Discount: b.opt.Discount,
	}
	for i := range v.Group {
		v.Group[i] = -1
	}
	for gi := range r.Groups {
		g := &r.Groups[gi]
		for _, i := range g.Rows {
			v.Group[i] = gi
			v.Tenure[i] = int32(r.Tenures.Completed(i))
		}
		if g.Model == nil {
			v.DELErr[gi] = fmt.Errorf("%s: no retention model: %w", r.Label(g), g.Err)
			continue
		}
		res, err := retention.ResidualValues(r.Tenures, g.Rows, g.Model, margins, b.opt.Discount)
		if err != nil {
			return nil, fmt.Errorf("%s: residual value: %w", r.Label(g), err)
		}
		for j, i := range g.Rows {
			v.RetentionNext[i], v.DERL[i], v.Value[i] = res.RetentionNext[j], res.DERL[j], res.Value[j]
		}
		v.GroupTotal[gi] = res.Total
		v.Total += res.Total
		if del, err := g.Model.DEL(b.opt.Discount); err == nil {
			v.DEL[gi] = del
		} else {
			v.DELErr[gi] = err
		}
	}
	v.Description = b.valueDescription(r)
	return v, nil
}

// valueDescription says how residual values are computed, with the fits.
func (b *Base) valueDescription(r *Retention) string {
	p := b.opt.Period
	margin := fmt.Sprintf("margin per %s (mean revenue of the last %d %ss)", p, b.opt.MarginWindow, p)
	if b.opt.MarginSet {
		margin = fmt.Sprintf("margin %g per %s", b.opt.Margin, p)
	}
	desc := fmt.Sprintf("sBG residual lifetime value: %s × discounted expected residual lifetime at %g%% per %s", margin, 100*b.opt.Discount, p)
	if r.By == "" {
		if f := r.Pool.Fit; f != nil {
			desc += fmt.Sprintf("; sBG alpha %.4g (± %.2g), beta %.4g (± %.2g)", f.Alpha, f.AlphaSE, f.Beta, f.BetaSE)
		}
		return desc
	}
	desc += fmt.Sprintf("; one sBG fit per %s", r.By)
	var pooled []string
	for i := range r.Groups {
		if r.Groups[i].Pooled {
			pooled = append(pooled, r.Groups[i].Name)
		}
	}
	if len(pooled) > 0 {
		desc += fmt.Sprintf(" (pooled fit for %v: fewer than %d subscribers or no fit)", pooled, r.MinGroup)
	}
	return desc
}
