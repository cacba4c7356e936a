package retention

import (
	"errors"
	"fmt"
	"math"
)

// ErrNoHeterogeneity reports an sBG fit whose maximum lies at α, β → ∞ with
// α/(α+β) fixed: churn does not vary across subscribers, so retention does not
// rise with tenure and the constant-retention (geometric) model is the right
// one. FitSBG wraps it together with ErrNotIdentified.
var ErrNoHeterogeneity = errors.New("churn does not vary with tenure")

// Model is a retention model that values subscribers: the sBG model or its
// homogeneous limit, Geometric.
type Model interface {
	// Retention returns r_t, the probability of renewing at the end of period t.
	Retention(t int) float64
	// DEL returns the discounted expected lifetime of a new subscriber.
	DEL(d float64) (float64, error)
	// DERL returns the discounted expected residual lifetime after n renewals.
	DERL(d float64, n int) (float64, error)
}

// Geometric is the constant-retention model: every subscriber renews with the
// same probability Retention each period, the limit of the sBG model as α and
// β grow with α/(α+β) = 1 − Retention.
type Geometric struct {
	Rate float64
}

// Retention returns the constant retention rate.
func (g Geometric) Retention(int) float64 { return g.Rate }

// DEL returns Σ_{t≥0} r^t/(1+d)^t = (1+d)/(1+d−r).
func (g Geometric) DEL(d float64) (float64, error) {
	if err := g.check(d); err != nil {
		return 0, err
	}
	return (1 + d) / (1 + d - g.Rate), nil
}

// DERL returns Σ_{k≥1} r^k/(1+d)^(k−1) = r(1+d)/(1+d−r), the same for every n
// (the timing of SBG.DERL).
func (g Geometric) DERL(d float64, n int) (float64, error) {
	if err := g.check(d); err != nil {
		return 0, err
	}
	if n < 0 {
		return 0, fmt.Errorf("%w: renewals n = %d < 0", ErrInvalidInput, n)
	}
	return g.Rate * (1 + d) / (1 + d - g.Rate), nil
}

func (g Geometric) check(d float64) error {
	if !(g.Rate >= 0 && g.Rate <= 1) {
		return fmt.Errorf("%w: retention %g outside [0, 1]", ErrInvalidInput, g.Rate)
	}
	if !(d >= 0) || math.IsInf(d, 0) {
		return fmt.Errorf("%w: discount %g (want a finite rate >= 0)", ErrInvalidInput, d)
	}
	if 1+d-g.Rate <= 0 {
		return fmt.Errorf("%w: retention 1 without discount", ErrInfiniteValue)
	}
	return nil
}

// GeometricFit is a fitted constant-retention model.
type GeometricFit struct {
	Geometric
	// SE is the asymptotic standard error of the retention rate.
	SE float64
	// LogLik is the maximised log-likelihood.
	LogLik float64
	// N is the number (weight) of subscribers fitted.
	N float64
}

// FitGeometric fits the constant-retention model to d by maximum likelihood,
// with the same censoring and truncation terms as FitSBG (h = 1 − r):
//
//	LL = survived log r + churned log h + Σ_c w_c log(1 − f_c h)
//
// The maximum is found by bisection on the score, which is decreasing in r.
func FitGeometric(d Durations, opt FitOptions) (*GeometricFit, error) {
	minN := opt.MinSubscribers
	if minN == 0 {
		minN = 30
	}
	total := d.Total()
	if !(total >= minN) {
		return nil, fmt.Errorf("%w: %.0f subscribers (need at least %.0f)", ErrTooLittleData, total, minN)
	}
	s := newSBGData(d)
	var surv, churn float64
	for i := range s.survived {
		surv += s.survived[i]
		churn += s.churned[i]
	}
	if churn == 0 || surv <= 0 {
		return nil, notIdentified("need both renewals and churn to estimate a retention rate")
	}
	ll := func(r float64) float64 {
		h := 1 - r
		v := surv*math.Log(r) + churn*math.Log(h)
		for _, c := range s.cens {
			v += c.Weight * math.Log1p(-c.Fraction*h)
		}
		return v
	}
	score := func(r float64) float64 {
		h := 1 - r
		v := surv/r - churn/h
		for _, c := range s.cens {
			v += c.Weight * c.Fraction / (1 - c.Fraction*h)
		}
		return v
	}
	lo, hi := 1e-12, 1-1e-12
	for range 200 {
		mid := (lo + hi) / 2
		if score(mid) > 0 {
			lo = mid
		} else {
			hi = mid
		}
	}
	r := (lo + hi) / 2
	// Observed information by a central difference of the score.
	step := 1e-6 * math.Min(r, 1-r)
	info := -(score(r+step) - score(r-step)) / (2 * step)
	fit := &GeometricFit{Geometric: Geometric{r}, LogLik: ll(r), N: total}
	if info > 0 {
		fit.SE = 1 / math.Sqrt(info)
	}
	if math.IsNaN(fit.LogLik) || math.IsInf(fit.LogLik, 0) {
		return nil, fmt.Errorf("%w: non-finite log-likelihood of the constant-retention model", ErrNotConverged)
	}
	return fit, nil
}

// Curve returns the retention r_t and survival S(t) of m for t = 1..periods,
// with survival accumulated in log space.
func Curve(m Model, periods int) []Projection {
	out := make([]Projection, 0, periods)
	ls := 0.0
	for t := 1; t <= periods; t++ {
		r := m.Retention(t)
		ls += math.Log(r)
		out = append(out, Projection{Period: t, Retention: r, Survival: math.Exp(ls)})
	}
	return out
}
