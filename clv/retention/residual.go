package retention

import (
	"fmt"
	"math"

	"github.com/clvkit/clv/clv/dataset"
)

// MarginOptions says how a subscriber's margin per period is measured.
type MarginOptions struct {
	// Period is the tenure period length (month, quarter, year).
	Period dataset.Period
	// AsOf is the last observed day (inclusive).
	AsOf dataset.Day
	// Window is the number of periods looked back: the window is
	// [AsOf + 1 − Window periods, AsOf]. At least 1.
	Window int
	// Rate turns revenue into margin (1 = revenue).
	Rate float64
}

// Margins returns, per subscriber of s, the mean amount per period over the
// last opt.Window periods before the as-of date, times opt.Rate. The amounts
// of the window are divided by the number of the subscriber's tenure periods
// that overlap it (at most Window, at least 1), so a subscriber activated
// inside the window is not diluted by periods before its activation.
// subOf maps each customer of t to its subscriber row (or −1), as returned by
// dataset.Join.
func Margins(t *dataset.Transactions, subOf []int32, s *dataset.Subscribers, opt MarginOptions) ([]float64, error) {
	if opt.Window < 1 {
		return nil, fmt.Errorf("%w: margin window %d (want >= 1 periods)", ErrInvalidInput, opt.Window)
	}
	if math.IsNaN(opt.Rate) || math.IsInf(opt.Rate, 0) {
		return nil, fmt.Errorf("%w: margin rate %g", ErrInvalidInput, opt.Rate)
	}
	if opt.AsOf == dataset.NoDay {
		return nil, fmt.Errorf("%w: margins need an as-of date", ErrInvalidInput)
	}
	k := opt.Period.Months()
	end := opt.AsOf + 1
	from := AddMonths(end, -opt.Window*k)
	sum := make([]float64, s.Len())
	for i, c := range t.Customer {
		d := t.Day[i]
		if d < from || d >= end || int(c) >= len(subOf) {
			continue
		}
		if r := subOf[c]; r >= 0 {
			sum[r] += t.Amount[i]
		}
	}
	out := make([]float64, s.Len())
	for r := range out {
		a := s.Activation[r]
		if a == dataset.NoDay || a > opt.AsOf {
			continue
		}
		// Tenure periods j, covering [a + jk, a + (j+1)k months), that
		// overlap [from, end): those started before end minus those that
		// ended on or before from.
		n := periodsStarted(a, end, k) - max(0, periodsStarted(a, from+1, k)-1)
		n = min(max(n, 1), opt.Window)
		out[r] = sum[r] / float64(n) * opt.Rate
	}
	return out, nil
}

// Residual is the residual value of a set of subscribers under one sBG model.
// All slices are indexed like the rows given to ResidualValues.
type Residual struct {
	// Tenure is the number of completed tenure periods (renewals made).
	Tenure []int32
	// RetentionNext is the probability of the next renewal, r_{n+1}; 0 for
	// churned subscribers.
	RetentionNext []float64
	// DERL is the discounted expected residual lifetime in periods; 0 for
	// churned subscribers.
	DERL []float64
	// Value is margin × DERL, the residual lifetime value.
	Value []float64
	// Total is the sum of Value.
	Total float64
}

// ResidualValues values the subscribers listed in rows (all when nil) under
// the sBG model or its constant-retention limit: an
// active subscriber with n completed periods is worth margin[i] × DERL(d | n),
// a churned one 0. DERL is computed once per distinct tenure, so the cost is
// one table lookup per subscriber. NotStarted and Invalid rows get zeros.
func ResidualValues(t *Tenures, rows []int, m Model, margin []float64, d float64) (*Residual, error) {
	if len(margin) != t.Len() {
		return nil, fmt.Errorf("%w: %d margins for %d subscribers", ErrInvalidInput, len(margin), t.Len())
	}
	n := t.Len()
	if rows != nil {
		n = len(rows)
	}
	row := func(j int) int {
		if rows == nil {
			return j
		}
		return rows[j]
	}
	maxN := 0
	for j := 0; j < n; j++ {
		if i := row(j); t.Status[i] == Active {
			maxN = max(maxN, t.Completed(i))
		}
	}
	table, err := DERLTable(m, d, maxN)
	if err != nil {
		return nil, err
	}
	r := &Residual{
		Tenure:        make([]int32, n),
		RetentionNext: make([]float64, n),
		DERL:          make([]float64, n),
		Value:         make([]float64, n),
	}
	for j := 0; j < n; j++ {
		i := row(j)
		switch t.Status[i] {
		case Active:
			c := t.Completed(i)
			r.Tenure[j] = int32(c)
			r.RetentionNext[j] = m.Retention(c + 1)
			r.DERL[j] = table[c]
			v := margin[i] * table[c]
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return nil, fmt.Errorf("%w: residual value of subscriber row %d is %g (margin %g)", ErrInvalidInput, i, v, margin[i])
			}
			r.Value[j] = v
			r.Total += v
		case Churned:
			r.Tenure[j] = int32(t.Completed(i))
		}
	}
	return r, nil
}
