package retention

import (
	"fmt"
	"math"

	"github.com/clvkit/clv/clv/special"
)

// DEL returns the discounted expected lifetime of a newly acquired customer,
// in periods of cash flow: Σ_{t≥0} S(t)/(1+d)^t = 2F1(1, β; α+β; 1/(1+d))
// (Fader & Hardie 2010, eq. 4). The first period counts in full
// (undiscounted). At d = 0 it is the expected lifetime (α+β−1)/(α−1), finite
// only for α > 1; otherwise the error wraps ErrInfiniteValue.
func (m SBG) DEL(d float64) (float64, error) {
	if err := m.check(d); err != nil {
		return 0, err
	}
	if d == 0 {
		if m.Alpha <= 1 {
			return 0, fmt.Errorf("%w: undiscounted expected lifetime with alpha = %.4g <= 1", ErrInfiniteValue, m.Alpha)
		}
		return (m.Alpha + m.Beta - 1) / (m.Alpha - 1), nil
	}
	return hyp2f1One(m.Beta, m.Alpha+m.Beta, 1/(1+d))
}

// DERL returns the discounted expected residual lifetime of a customer who
// has made n renewals (completed n periods) and is still active, evaluated
// just before the next renewal decision (Fader & Hardie 2010, eq. 6):
//
//	DERL(d | α, β, n) = Σ_{k≥1} [S(n+k)/S(n)] / (1+d)^(k−1)
//	                  = (β+n)/(α+β+n) · 2F1(1, β+n+1; α+β+n+1; 1/(1+d))
//
// Multiplied by the margin per period it gives the residual lifetime value.
// At d = 0 it is (β+n)/(α−1), finite only for α > 1.
func (m SBG) DERL(d float64, n int) (float64, error) {
	if err := m.check(d); err != nil {
		return 0, err
	}
	if n < 0 {
		return 0, fmt.Errorf("%w: renewals n = %d < 0", ErrInvalidInput, n)
	}
	bn := m.Beta + float64(n)
	if d == 0 {
		if m.Alpha <= 1 {
			return 0, fmt.Errorf("%w: undiscounted expected residual lifetime with alpha = %.4g <= 1", ErrInfiniteValue, m.Alpha)
		}
		return bn / (m.Alpha - 1), nil
	}
	h, err := hyp2f1One(bn+1, m.Alpha+bn+1, 1/(1+d))
	if err != nil {
		return 0, err
	}
	return bn / (m.Alpha + bn) * h, nil
}

// DERLTable returns DERL(d | n) for n = 0..maxN under m, for valuing many
// subscribers that share the model (each subscriber then costs one lookup).
func DERLTable(m Model, d float64, maxN int) ([]float64, error) {
	out := make([]float64, maxN+1)
	for n := range out {
		v, err := m.DERL(d, n)
		if err != nil {
			return nil, err
		}
		out[n] = v
	}
	return out, nil
}

func (m SBG) check(d float64) error {
	if !(m.Alpha > 0) || !(m.Beta > 0) || math.IsInf(m.Alpha, 0) || math.IsInf(m.Beta, 0) {
		return fmt.Errorf("%w: sBG parameters alpha = %g, beta = %g (want finite and > 0)", ErrInvalidInput, m.Alpha, m.Beta)
	}
	if !(d >= 0) || math.IsInf(d, 0) {
		return fmt.Errorf("%w: discount %g (want a finite rate >= 0)", ErrInvalidInput, d)
	}
	return nil
}

// hyp2f1One returns the Gauss hypergeometric function 2F1(1, b; c; z) for
// 0 < b < c and 0 <= z < 1, the only case the sBG lifetimes need, from
// special.Hyp2F1; the error wraps ErrNotConverged.
func hyp2f1One(b, c, z float64) (float64, error) {
	l, s, err := special.Hyp2F1(1, b, c, z)
	if err != nil || s <= 0 || math.IsInf(l, 0) {
		return 0, fmt.Errorf("%w: 2F1(1, %g; %g; %g) did not converge (discount too close to 0 for these parameters)", ErrNotConverged, b, c, z)
	}
	return math.Exp(l), nil
}
