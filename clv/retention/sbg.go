package retention

import (
	"context"
	"errors"
	"fmt"
	"math"
	"time"

	"gonum.org/v1/gonum/optimize"

	"github.com/clvkit/clv/clv/mle"
)

// SBG is the shifted-beta-geometric model of contract duration (Fader, P. S.
// and Hardie, B. G. S., "How to project customer retention", Journal of
// Interactive Marketing 21(1), 2007): churn probability θ ~ beta(Alpha, Beta)
// across customers, constant for each customer.
type SBG struct {
	Alpha, Beta float64
}

// Retention returns r_t = (β + t − 1)/(α + β + t − 1), the probability that a
// customer active in period t renews into period t+1 (eq. 8).
func (m SBG) Retention(t int) float64 {
	v := m.Beta + float64(t) - 1
	return v / (m.Alpha + v)
}

// LogSurvival returns log S(t) = Σ_{k≤t} log r_k, accumulated term by term in
// log1p form so that it stays accurate for large β and long tenures.
func (m SBG) LogSurvival(t int) float64 {
	s := 0.0
	for k := 1; k <= t; k++ {
		s += math.Log1p(-m.Alpha / (m.Alpha + m.Beta + float64(k) - 1))
	}
	return s
}

// Survival returns S(t) = B(α, β+t)/B(α, β), the probability of surviving
// beyond period t (eq. 6).
func (m SBG) Survival(t int) float64 { return math.Exp(m.LogSurvival(t)) }

// Churn returns P(T = t) = S(t−1)(1 − r_t), the probability of being lost in
// period t (eq. 5).
func (m SBG) Churn(t int) float64 {
	if t < 1 {
		return 0
	}
	return math.Exp(m.LogSurvival(t-1)) * m.Alpha / (m.Alpha + m.Beta + float64(t) - 1)
}

// Projection is one period of the model's retention curve.
type Projection struct {
	Period    int
	Retention float64
	Survival  float64
}

// Project returns r_t and S(t) for t = 1..periods.
func (m SBG) Project(periods int) []Projection {
	out := make([]Projection, 0, periods)
	ls := 0.0
	for t := 1; t <= periods; t++ {
		r := m.Retention(t)
		ls += math.Log1p(-m.Alpha / (m.Alpha + m.Beta + float64(t) - 1))
		out = append(out, Projection{Period: t, Retention: r, Survival: math.Exp(ls)})
	}
	return out
}

// LogLikelihood returns the log-likelihood of d under m (see the package
// comment), or -Inf when the parameters are not positive and finite.
func (m SBG) LogLikelihood(d Durations) float64 {
	if !(m.Alpha > 0 && m.Beta > 0) || math.IsInf(m.Alpha, 0) || math.IsInf(m.Beta, 0) {
		return math.Inf(-1)
	}
	ll, _, _ := newSBGData(d).eval(m.Alpha, m.Beta, false)
	return ll
}

// sbgData is Durations rearranged for the likelihood:
//
//	LL = Σ_t [survived_t log r_t + churned_t log(1 − r_t)] + Σ_c w_c log(1 − f_c (1 − r_{t_c}))
//
// where survived_t is the weight known to have renewed after period t.
type sbgData struct {
	survived []float64 // index t−1
	churned  []float64 // index t−1
	cens     []Censored
	total    float64
}

func newSBGData(d Durations) *sbgData {
	h := d.horizon()
	s := &sbgData{survived: make([]float64, h), churned: make([]float64, h), total: d.Total()}
	copy(s.churned, d.Churned)
	// beyond[t] = weight lost or censored in periods > t.
	beyond := make([]float64, h+2)
	for t := h; t >= 1; t-- {
		beyond[t-1] = beyond[t] + s.churned[t-1]
	}
	cum := make([]float64, h+2) // censored weight in periods > t
	for _, c := range d.Censored {
		cum[c.Period-1] += c.Weight
		if c.Fraction > 0 {
			s.cens = append(s.cens, c)
		}
	}
	for t := h; t >= 1; t-- {
		cum[t-1] += cum[t]
	}
	for t := 1; t <= h; t++ {
		s.survived[t-1] = beyond[t] + cum[t]
	}
	// Left truncation: a subscriber entering in period e with share g of it
	// elapsed contributes −log S(e−1) − log(1 − g(1 − r_e)): it drops out of
	// the survival terms of periods before e and adds a censoring-like term
	// with negative weight.
	late := make([]float64, h+1) // weight entering after period t
	for _, e := range d.Entries {
		late[e.Period-1] += e.Weight
		if e.Fraction > 0 {
			s.cens = append(s.cens, Censored{Period: e.Period, Fraction: e.Fraction, Weight: -e.Weight})
		}
	}
	for t := h - 1; t >= 1; t-- {
		late[t-1] += late[t]
	}
	for t := 1; t < h; t++ {
		s.survived[t-1] -= late[t]
		if s.survived[t-1] < 1e-9*s.total {
			s.survived[t-1] = 0
		}
	}
	return s
}

// eval returns the log-likelihood and, if grad, its gradient in (α, β).
func (s *sbgData) eval(a, b float64, grad bool) (ll, ga, gb float64) {
	for i := range s.survived {
		t := float64(i + 1)
		v := b + t - 1
		u := a + v
		if w := s.survived[i]; w > 0 {
			ll += w * (math.Log(v) - math.Log(u))
			if grad {
				ga -= w / u
				gb += w * (1/v - 1/u)
			}
		}
		if w := s.churned[i]; w > 0 {
			ll += w * (math.Log(a) - math.Log(u))
			if grad {
				ga += w * (1/a - 1/u)
				gb -= w / u
			}
		}
	}
	for _, c := range s.cens {
		t := float64(c.Period)
		v := b + t - 1
		u := a + v
		h := a / u
		g := 1 - c.Fraction*h
		ll += c.Weight * math.Log(g)
		if grad {
			// ∂h/∂α = v/u², ∂h/∂β = −α/u².
			ga -= c.Weight * c.Fraction * (v / (u * u)) / g
			gb += c.Weight * c.Fraction * (a / (u * u)) / g
		}
	}
	return ll, ga, gb
}

// FitOptions tunes FitSBG (and FitGeometric, which uses MinSubscribers only).
type FitOptions struct {
	// MinSubscribers is the smallest total weight that is fitted; smaller
	// groups return an error wrapping ErrTooLittleData. 0 means 30.
	MinSubscribers float64
	// MaxEvaluations bounds the likelihood evaluations over all starting
	// points (default mle.DefaultMaxEvaluations).
	MaxEvaluations int
	// Timeout is the wall-clock budget of the fit (default mle.DefaultTimeout,
	// 30 s); a fit that exhausts it fails with ErrNotConverged.
	Timeout time.Duration
	// Context, when set, cancels the fit.
	Context context.Context
}

// Fit is a fitted sBG model.
type Fit struct {
	SBG
	// AlphaSE and BetaSE are asymptotic standard errors from the inverse of
	// the observed information matrix (in log α, log β, by the delta method;
	// see clv/mle); 0 when it is not positive definite (a flat likelihood).
	AlphaSE, BetaSE float64
	// Cov is the covariance matrix of (α, β) from the same inverse
	// information: Cov[0][0] = AlphaSE², Cov[0][1] = Cov[1][0] the
	// covariance, Cov[1][1] = BetaSE². All zero when the information is not
	// positive definite. Parameter draws for intervals need the covariance,
	// not only the standard errors: α and β are strongly correlated.
	Cov [2][2]float64
	// LogLik is the maximised log-likelihood.
	LogLik float64
	// Converged reports that the optimiser met its gradient tolerance.
	Converged bool
	// Iterations is the number of optimiser iterations over all starts.
	Iterations int
	// N is the number (weight) of subscribers fitted.
	N float64
}

// maxLogParam bounds |log α| and |log β|: beyond it the likelihood has no
// finite maximum (for example churn that does not vary with tenure sends α
// and β to infinity together).
const maxLogParam = 18

// FitSBG fits the sBG model to d by maximum likelihood: BFGS over (log α,
// log β) with the analytic gradient from four fixed starting points
// (deterministic), the best of them kept, bounded by the evaluation cap and
// time budget of opt (see clv/mle). Data that cannot identify the model wrap
// ErrNotIdentified (and ErrTooLittleData); an estimate running off to the
// boundary wraps ErrNotIdentified (with ErrNoHeterogeneity when α and β grow
// together); a fit that stops early wraps ErrNotConverged.
func FitSBG(d Durations, opt FitOptions) (*Fit, error) {
	minN := opt.MinSubscribers
	if minN == 0 {
		minN = 30
	}
	total := d.Total()
	if !(total > 0) || math.IsInf(total, 0) {
		return nil, fmt.Errorf("%w: no subscribers", ErrTooLittleData)
	}
	if total < minN {
		return nil, fmt.Errorf("%w: %.0f subscribers (need at least %.0f)", ErrTooLittleData, total, minN)
	}
	for _, w := range d.Churned {
		if !(w >= 0) || math.IsInf(w, 0) {
			return nil, fmt.Errorf("%w: churn weight %g", ErrInvalidInput, w)
		}
	}
	for _, c := range d.Censored {
		if c.Period < 1 || !(c.Fraction >= 0 && c.Fraction <= 1) || !(c.Weight >= 0) || math.IsInf(c.Weight, 0) {
			return nil, fmt.Errorf("%w: censored group %+v", ErrInvalidInput, c)
		}
	}
	s := newSBGData(d)
	churned := 0.0
	for _, w := range s.churned {
		churned += w
	}
	if churned == 0 {
		return nil, notIdentified("no subscriber churned, so retention does not identify the model")
	}
	if s.survived[0] == 0 {
		return nil, notIdentified("no subscriber was observed beyond the first tenure period")
	}
	observed := 0
	for i := range s.survived {
		if s.survived[i]+s.churned[i] > 0 {
			observed++
		}
	}
	if observed < 2 {
		return nil, notIdentified("only one tenure period has renewals or churn; alpha and beta are not separately identified")
	}

	problem := mle.Problem{
		Names:    []string{"alpha", "beta"},
		Analytic: true,
		Weight:   total,
		Func: func(th, g []float64) float64 {
			ll, ga, gb := s.eval(th[0], th[1], g != nil)
			if g != nil {
				g[0], g[1] = -ga, -gb
			}
			return -ll
		},
	}
	// Starting points: (1, 1), and α = 1 with the mean of θ matched to the
	// first-period churn, and a more heterogeneous and a less heterogeneous
	// guess.
	c1 := s.churned[0] / (s.churned[0] + s.survived[0])
	c1 = math.Min(math.Max(c1, 1e-3), 1-1e-3)
	odds := (1 - c1) / c1
	starts := [][]float64{{1, 1}, {1, odds}, {0.2, 0.2 * odds}, {5, 5 * odds}}
	res, err := mle.Minimize(problem, starts, mle.Settings{
		MaxIterations: 2000, MaxEvaluations: opt.MaxEvaluations, Timeout: opt.Timeout, Context: opt.Context,
		GradientThreshold: 1e-9, Tolerance: 1e-6, Strategy: mle.AllStarts, Bound: maxLogParam,
		Converger: &optimize.FunctionConverge{Absolute: 1e-10, Iterations: 100},
	})
	var be *mle.BoundaryError
	switch {
	case errors.As(err, &be):
		if len(be.Params) == 2 && be.Params[0].ToInfinity && be.Params[1].ToInfinity {
			// Index order is alpha, beta.
			return nil, fmt.Errorf("sbg: %w: %w: alpha and beta grow without bound (alpha %.3g, beta %.3g), so the constant-retention model fits at least as well", ErrNotIdentified, ErrNoHeterogeneity, be.Params[0].Estimate, be.Params[1].Estimate)
		}
		if len(be.Params) == 1 && be.Params[0].Name == "beta" && !be.Params[0].ToInfinity {
			return nil, fmt.Errorf("sbg: %w: nearly everyone churns in the first period", err)
		}
		return nil, fmt.Errorf("sbg: %w", err)
	case err != nil:
		return nil, fmt.Errorf("sbg: %w", err)
	}
	a, b := res.Theta[0], res.Theta[1]
	ll := -res.F
	if math.IsNaN(ll) || math.IsInf(ll, 0) {
		return nil, fmt.Errorf("sbg: %w: non-finite log-likelihood %g", ErrNotConverged, ll)
	}
	fit := &Fit{SBG: SBG{a, b}, LogLik: ll, Converged: true, Iterations: res.Iterations, N: total}
	if res.HasSE {
		fit.AlphaSE, fit.BetaSE = res.SE[0], res.SE[1]
		fit.Cov = [2][2]float64{{res.Cov[0][0], res.Cov[0][1]}, {res.Cov[1][0], res.Cov[1][1]}}
	}
	return fit, nil
}
