package retention

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/optimize"
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

// FitOptions tunes FitSBG.
type FitOptions struct {
	// MinSubscribers is the smallest total weight that is fitted; smaller
	// groups return an error wrapping ErrTooLittleData. 0 means 30.
	MinSubscribers float64
}

// Fit is a fitted sBG model.
type Fit struct {
	SBG
	// AlphaSE and BetaSE are asymptotic standard errors from the inverse of
	// the observed information matrix (negative Hessian of LogLik in α, β).
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
	// Iterations is the number of optimiser iterations of the best start.
	Iterations int
	// N is the number (weight) of subscribers fitted.
	N float64
}

// Parameter bounds: |log α|, |log β| beyond this means the likelihood has no
// finite maximum (for example churn that does not vary with tenure sends α
// and β to infinity together).
const maxLogParam = 18

// FitSBG fits the sBG model to d by maximum likelihood. The optimisation runs
// in (log α, log β) with BFGS and an analytic gradient from a few fixed
// starting points (deterministic); the best converged one wins.
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
		return nil, fmt.Errorf("%w: no subscriber churned, so retention does not identify the model", ErrTooLittleData)
	}
	if s.survived[0] == 0 {
		return nil, fmt.Errorf("%w: no subscriber was observed beyond the first tenure period", ErrTooLittleData)
	}
	observed := 0
	for i := range s.survived {
		if s.survived[i]+s.churned[i] > 0 {
			observed++
		}
	}
	if observed < 2 {
		return nil, fmt.Errorf("%w: only one tenure period has renewals or churn; alpha and beta are not separately identified", ErrTooLittleData)
	}

	scale := 1 / total
	problem := optimize.Problem{
		Func: func(x []float64) float64 {
			if math.Abs(x[0]) > 3*maxLogParam || math.Abs(x[1]) > 3*maxLogParam {
				return math.Inf(1)
			}
			ll, _, _ := s.eval(math.Exp(x[0]), math.Exp(x[1]), false)
			return -ll * scale
		},
		Grad: func(g, x []float64) {
			a, b := math.Exp(x[0]), math.Exp(x[1])
			_, ga, gb := s.eval(a, b, true)
			g[0] = -ga * a * scale
			g[1] = -gb * b * scale
		},
	}
	// Starting points: (1, 1), and α = 1 with the mean of θ matched to the
	// first-period churn, and a more heterogeneous and a less heterogeneous
	// guess.
	c1 := s.churned[0] / (s.churned[0] + s.survived[0])
	c1 = math.Min(math.Max(c1, 1e-3), 1-1e-3)
	starts := [][]float64{{0, 0}, {0, math.Log((1 - c1) / c1)}, {math.Log(0.2), math.Log(0.2 * (1 - c1) / c1)}, {math.Log(5), math.Log(5 * (1 - c1) / c1)}}
	var best *optimize.Result
	for _, x0 := range starts {
		res, err := optimize.Minimize(problem, x0, &optimize.Settings{GradientThreshold: 1e-9, MajorIterations: 2000}, &optimize.BFGS{})
		if res == nil || (err != nil && res.Status != optimize.GradientThreshold) {
			continue
		}
		if math.IsNaN(res.F) || math.IsInf(res.F, 0) {
			continue
		}
		if best == nil || res.F < best.F {
			best = res
		}
	}
	if best == nil {
		return nil, fmt.Errorf("%w: the optimiser failed from every starting point (non-finite log-likelihood)", ErrNotConverged)
	}
	la, lb := best.X[0], best.X[1]
	if math.Abs(la) > maxLogParam || math.Abs(lb) > maxLogParam {
		why := "parameters run off"
		if la > 8 && lb > 8 {
			return nil, fmt.Errorf("%w: %w: alpha and beta grow without bound (log alpha = %.1f, log beta = %.1f), so the constant-retention model fits at least as well", ErrNotConverged, ErrNoHeterogeneity, la, lb)
		} else if la < -maxLogParam {
			why = "alpha goes to 0"
		} else if lb < -maxLogParam {
			why = "beta goes to 0: nearly everyone churns in the first period"
		}
		return nil, fmt.Errorf("%w: log alpha = %.1f, log beta = %.1f: %s", ErrNotConverged, la, lb, why)
	}
	a, b := math.Exp(la), math.Exp(lb)
	ll, ga, gb := s.eval(a, b, true)
	// Gradient per subscriber in log-parameter space must be ~0.
	gnorm := math.Hypot(ga*a*scale, gb*b*scale)
	converged := best.Status == optimize.GradientThreshold || gnorm < 1e-6
	if !converged {
		return nil, fmt.Errorf("%w: gradient norm %.3g at alpha = %.4g, beta = %.4g (%v)", ErrNotConverged, gnorm, a, b, best.Status)
	}
	fit := &Fit{SBG: SBG{a, b}, LogLik: ll, Converged: true, Iterations: best.Stats.MajorIterations, N: total}
	fit.Cov = s.covariance(a, b)
	fit.AlphaSE, fit.BetaSE = math.Sqrt(fit.Cov[0][0]), math.Sqrt(fit.Cov[1][1])
	if math.IsNaN(ll) || math.IsInf(ll, 0) {
		return nil, fmt.Errorf("%w: non-finite log-likelihood %g", ErrNotConverged, ll)
	}
	return fit, nil
}

// covariance returns the asymptotic covariance of (α, β): the inverse
// observed information, with the Hessian from central differences of the
// analytic gradient. It is all zero when the information matrix is not
// positive definite (a flat likelihood).
func (s *sbgData) covariance(a, b float64) [2][2]float64 {
	ha, hb := 1e-5*a, 1e-5*b
	_, gap, gbp := s.eval(a+ha, b, true)
	_, gam, gbm := s.eval(a-ha, b, true)
	_, gap2, gbp2 := s.eval(a, b+hb, true)
	_, gam2, gbm2 := s.eval(a, b-hb, true)
	haa := (gap - gam) / (2 * ha)
	hab := ((gbp-gbm)/(2*ha) + (gap2-gam2)/(2*hb)) / 2
	hbb := (gbp2 - gbm2) / (2 * hb)
	info := mat.NewSymDense(2, []float64{-haa, -hab, -hab, -hbb})
	var ch mat.Cholesky
	if !ch.Factorize(info) {
		return [2][2]float64{}
	}
	var cov mat.SymDense
	if err := ch.InverseTo(&cov); err != nil {
		return [2][2]float64{}
	}
	va, vb := cov.At(0, 0), cov.At(1, 1)
	if !(va >= 0) || !(vb >= 0) {
		return [2][2]float64{}
	}
	return [2][2]float64{{va, cov.At(0, 1)}, {cov.At(1, 0), vb}}
}
