package hazard

import (
	"context"
	"errors"
	"fmt"

	"github.com/clvkit/clv/clv/dataset"
)

// Sentinel errors; the wrapping messages say what failed and why.
var (
	// ErrInvalidInput reports an argument outside its domain.
	ErrInvalidInput = errors.New("invalid input")
	// ErrTooLittleData reports too few subscriber-periods or churn events
	// to fit the model.
	ErrTooLittleData = errors.New("too little data to fit the churn model")
	// ErrNotConverged reports a fit the optimiser did not finish within its
	// iteration and time budget.
	ErrNotConverged = errors.New("churn model fit did not converge")
)

// Options configures Fit.
type Options struct {
	// Period is the length of a hazard period (month, quarter, year).
	Period dataset.Period
	// AsOf is the last day of data the model may use, inclusive; nothing
	// dated after it (transactions, activations, churn dates) is read.
	AsOf dataset.Day
	// Horizon is the number of periods ahead the churn probability covers
	// (at least 1).
	Horizon int
	// Attributes are the subscriber attributes used as categorical
	// covariates; nil means every attribute with 2 to 200 distinct values.
	Attributes []string
	// MaxLag is the number of lag models fitted: the hazard of period
	// k ≤ MaxLag after the cutoff has its own regression, later periods reuse
	// the last one. 0 means min(Horizon, 6).
	MaxLag int
	// MaxRows caps the training rows per lag model: the oldest cutoffs are
	// dropped first. 0 means 3,000,000.
	MaxRows int
	// Fit bounds each logistic fit.
	Fit FitOptions
	// Context, when set, stops the work between fits.
	Context context.Context
}

func (o Options) withDefaults() (Options, error) {
	if o.AsOf == dataset.NoDay {
		return o, fmt.Errorf("%w: the churn model needs an as-of date", ErrInvalidInput)
	}
	if o.Period != dataset.PeriodMonth && o.Period != dataset.PeriodQuarter && o.Period != dataset.PeriodYear {
		return o, fmt.Errorf("%w: period %d", ErrInvalidInput, o.Period)
	}
	if o.Horizon < 1 || o.Horizon > 120 {
		return o, fmt.Errorf("%w: horizon %d periods (want 1 to 120)", ErrInvalidInput, o.Horizon)
	}
	if o.MaxLag == 0 {
		o.MaxLag = min(o.Horizon, 6)
	}
	if o.MaxLag < 1 || o.MaxLag > 24 {
		return o, fmt.Errorf("%w: max lag %d (want 1 to 24)", ErrInvalidInput, o.MaxLag)
	}
	o.MaxLag = min(o.MaxLag, o.Horizon)
	if o.MaxRows == 0 {
		o.MaxRows = 3_000_000
	}
	if o.MaxRows < 100 {
		return o, fmt.Errorf("%w: max rows %d (want at least 100)", ErrInvalidInput, o.MaxRows)
	}
	if o.Context == nil {
		o.Context = context.Background()
	}
	return o, nil
}

// Model is a fitted churn-hazard model: one logistic regression per lag k,
// giving the probability that a subscriber in service at the end of a
// period churns k periods later, given that it is still in service at the
// start of that period.
type Model struct {
	Options Options
	// Lags[k−1] is the regression of lag k.
	Lags []*Regression
	// Cutoffs is the number of training cutoffs (period ends) used.
	Cutoffs int
	// FirstCutoff and LastCutoff are the first and last training cutoffs.
	FirstCutoff, LastCutoff dataset.Day
	design                  design
}

// Names returns the model's column names (intercept first).
func (m *Model) Names() []string { return m.design.names() }

// trainingRow is one subscriber at one cutoff.
type trainingRow struct {
	sub int32
	col int32 // panel column of the cutoff
}

// Fit builds subscriber-period rows from d as known at opt.AsOf and fits
// the lag models. Training cutoffs are the ends of the panel's periods from
// the third one on; the outcome of lag k at cutoff q is a churn date in
// period q + k, which must end on or before opt.AsOf.
func Fit(d Data, opt Options) (*Model, error) {
	opt, err := opt.withDefaults()
	if err != nil {
		return nil, err
	}
	if d.Subs == nil {
		return nil, fmt.Errorf("%w: the churn model needs the subscriber export", ErrInvalidInput)
	}
	attrs, err := chooseAttrs(d.Subs, opt.AsOf, opt.Attributes)
	if err != nil {
		return nil, err
	}
	b, err := newBase(d, opt.Period, opt.AsOf, attrs)
	if err != nil {
		return nil, err
	}
	m := &Model{Options: opt, design: design{Period: opt.Period, Attrs: attrs}}
	p := b.panel
	// Last complete period (column) on or before AsOf.
	lastOut := p.Periods - 1
	if p.Period.End(p.First+lastOut) > opt.AsOf {
		lastOut--
	}
	firstCut := min(history-1, p.Periods-1)
	if lastOut-1 < firstCut {
		return nil, fmt.Errorf("%w: %d complete %ss of history up to %s (need at least %d)", ErrTooLittleData, lastOut+1, opt.Period, opt.AsOf, history+1)
	}
	// Rows per cutoff, newest first, within MaxRows.
	nsub := d.Subs.Len()
	var rows []trainingRow
	for q := lastOut - 1; q >= firstCut; q-- {
		cut := p.Period.End(p.First + q)
		var add []trainingRow
		for r := 0; r < nsub; r++ {
			if b.eligible(r, cut) {
				add = append(add, trainingRow{int32(r), int32(q)})
			}
		}
		if len(rows)+len(add) > opt.MaxRows && len(rows) > 0 {
			break
		}
		rows = append(rows, add...)
		m.Cutoffs++
		m.FirstCutoff = cut
		if m.LastCutoff == 0 {
			m.LastCutoff = cut
		}
	}
	w := m.design.width()
	x := make([]float64, len(rows)*w)
	for i, tr := range rows {
		cut := p.Period.End(p.First + int(tr.col))
		b.features(x[i*w:(i+1)*w], int(tr.sub), cut, int(tr.col), &m.design)
	}
	names := m.design.names()
	for k := 1; k <= opt.MaxLag; k++ {
		if err := opt.Context.Err(); err != nil {
			return nil, err
		}
		// Rows whose outcome period q+k is complete and who are still in
		// service at its start.
		var sel []int32
		var ys []bool
		for i, tr := range rows {
			out := int(tr.col) + k
			if out > lastOut {
				continue
			}
			start := p.Period.Start(p.First + out)
			end := p.Period.End(p.First + out)
			c := b.churn[tr.sub]
			if c != dataset.NoDay && c < start {
				continue
			}
			sel = append(sel, int32(i))
			ys = append(ys, c != dataset.NoDay && c <= end)
		}
		g, err := fitLogit(x, w, sel, ys, names, opt.Fit)
		if err != nil {
			return nil, fmt.Errorf("churn hazard, %d %s(s) ahead: %w", k, opt.Period, err)
		}
		m.Lags = append(m.Lags, g)
	}
	return m, nil
}

// Reason is one feature that raises a subscriber's churn risk.
type Reason struct {
	// Feature names the feature group: tenure, recency, no_purchase,
	// spend_level, spend_trend, spend_change, active_share, or an attribute
	// name.
	Feature string
	// Text describes the subscriber's value, e.g. "no purchase for 45 days".
	Text string
	// Contribution is the mean over the lag models of Σ β (x − mean x)
	// on the log-odds scale (positive raises the risk).
	Contribution float64
}

// Scores are the churn probabilities of the subscribers in service at the
// as-of date.
type Scores struct {
	// Rows are the subscriber rows (indices into Data.Subs), in order.
	Rows []int
	// Probability is P(churn within Horizon periods after AsOf).
	Probability []float64
	// Hazard[i][k−1] is the hazard of period k after AsOf.
	Hazard [][]float64
	// Reasons are up to three features that raise the risk most.
	Reasons [][]Reason
	// X holds the feature rows (Width columns each), for intervals.
	X     []float64
	Width int
}

// Score scores every subscriber of d in service at the end of the model's
// as-of day, using nothing dated after it.
func (m *Model) Score(d Data) (*Scores, error) {
	asOf := m.Options.AsOf
	b, err := newBase(d, m.Options.Period, asOf, m.design.Attrs)
	if err != nil {
		return nil, err
	}
	p := b.panel
	col := p.Column(asOf)
	w := m.design.width()
	s := &Scores{Width: w}
	var rws []raw
	for r := 0; r < d.Subs.Len(); r++ {
		if !b.eligible(r, asOf) {
			continue
		}
		row := make([]float64, w)
		rws = append(rws, b.features(row, r, asOf, col, &m.design))
		s.Rows = append(s.Rows, r)
		s.X = append(s.X, row...)
	}
	n := len(s.Rows)
	s.Probability = make([]float64, n)
	s.Hazard = make([][]float64, n)
	s.Reasons = make([][]Reason, n)
	for i := 0; i < n; i++ {
		x := s.X[i*w : (i+1)*w]
		s.Hazard[i] = make([]float64, m.Options.Horizon)
		s.Probability[i] = m.probability(m.coefs(), x, s.Hazard[i])
		s.Reasons[i] = m.reasons(x, rws[i], s.Rows[i], d.Subs)
	}
	return s, nil
}

// coefs returns the fitted coefficients of every lag.
func (m *Model) coefs() [][]float64 {
	out := make([][]float64, len(m.Lags))
	for k, g := range m.Lags {
		out[k] = g.Coef
	}
	return out
}

// probability returns 1 − Π_k (1 − h_k) over the horizon for feature row x
// under coefficients beta (one slice per lag); hz receives the hazards.
func (m *Model) probability(beta [][]float64, x []float64, hz []float64) float64 {
	surv := 1.0
	for k := 0; k < m.Options.Horizon; k++ {
		l := min(k, len(m.Lags)-1)
		h := sigmoid(m.Lags[l].etaWith(beta[l], x))
		if hz != nil {
			hz[k] = h
		}
		surv *= 1 - h
	}
	return 1 - surv
}
