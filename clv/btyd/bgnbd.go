package btyd

import (
	"fmt"
	"math"

	"github.com/clvkit/clv/clv/special"

	"gonum.org/v1/gonum/mathext"

	"github.com/clvkit/clv/clv/mle"
)

// BGNBD is a fitted beta-geometric/NBD model (Fader, Hardie & Lee 2005).
// While alive a customer buys as a Poisson process with rate λ ~ Gamma(R, Alpha);
// after every purchase he drops out with probability p ~ Beta(A, B).
// Alpha is in the data's time unit.
type BGNBD struct{ R, Alpha, A, B float64 }

// MBGNBD is a fitted modified BG/NBD model (Batislam, Denizel & Filiztekin 2007):
// as BGNBD, but a customer may also drop out right after his first purchase,
// so a customer without repeat purchases is not certainly alive.
type MBGNBD struct{ R, Alpha, A, B float64 }

// bgLogLik is the log-likelihood of one customer under BG/NBD (off = 0) or MBG/NBD (off = 1).
func bgLogLik(r, alpha, a, b, off, x, tx, T float64) float64 {
	ll := lgam(r+x) - lgam(r) + r*math.Log(alpha) + lbeta(a, b+x+off) - lbeta(a, b) - (r+x)*math.Log(alpha+T)
	if x > 0 || off > 0 {
		ll += softplus(bgLogD(r, alpha, a, b, off, x, tx, T))
	}
	return ll
}

// bgLogD is log of the odds that the customer dropped out at his last purchase.
func bgLogD(r, alpha, a, b, off, x, tx, T float64) float64 {
	return math.Log(a) - math.Log(b+x-1+off) + (r+x)*(math.Log(alpha+T)-math.Log(alpha+tx))
}

// LogLikelihood returns the log-likelihood of one customer's (x, t_x, T).
func (m BGNBD) LogLikelihood(x, tx, T float64) float64 {
	return bgLogLik(m.R, m.Alpha, m.A, m.B, 0, x, tx, T)
}

// PAlive returns P(alive at T | x, t_x, T) (Fader, Hardie & Lee 2008 note):
// 1 / (1 + [x>0] a/(b+x-1) ((α+T)/(α+t_x))^(r+x)).
func (m BGNBD) PAlive(x, tx, T float64) float64 {
	if x == 0 {
		return 1
	}
	// 1/(1+e^d) = sigmoid(-d): no 1 - sigmoid(d) cancellation, so a
	// P(alive) of 1e-31 keeps its digits instead of rounding to 0.
	return sigmoid(-bgLogD(m.R, m.Alpha, m.A, m.B, 0, x, tx, T))
}

// ConditionalExpected returns E[Y(t) | x, t_x, T], the expected number of
// transactions in (T, T+t] (Fader, Hardie & Lee 2005, eq. 10):
// (a+b+x-1)/(a-1) [1 - ((α+T)/(α+T+t))^(r+x) 2F1(r+x, b+x; a+b+x-1; t/(α+T+t))] P(alive).
func (m BGNBD) ConditionalExpected(t, x, tx, T float64) (float64, error) {
	return bgConditional(m.R, m.Alpha, m.A, m.B, 0, t, x, T, m.PAlive(x, tx, T))
}

// ExpectedIfAlive returns E[Y(t) | alive at T, x, T]; ConditionalExpected is it times PAlive.
func (m BGNBD) ExpectedIfAlive(t, x, T float64) (float64, error) {
	return bgConditional(m.R, m.Alpha, m.A, m.B, 0, t, x, T, 1)
}

// Expected returns E[X(t)], the expected number of repeat transactions of a
// new customer in (0, t]: (a+b-1)/(a-1) [1 - (α/(α+t))^r 2F1(r, b; a+b-1; t/(α+t))].
func (m BGNBD) Expected(t float64) (float64, error) {
	return bgConditional(m.R, m.Alpha, m.A, m.B, 0, t, 0, 0, 1)
}

// LogLikelihood returns the log-likelihood of one customer's (x, t_x, T).
func (m MBGNBD) LogLikelihood(x, tx, T float64) float64 {
	return bgLogLik(m.R, m.Alpha, m.A, m.B, 1, x, tx, T)
}

// PAlive returns P(alive at T | x, t_x, T) = 1 / (1 + a/(b+x) ((α+T)/(α+t_x))^(r+x)).
func (m MBGNBD) PAlive(x, tx, T float64) float64 {
	return sigmoid(-bgLogD(m.R, m.Alpha, m.A, m.B, 1, x, tx, T))
}

// ConditionalExpected returns E[Y(t) | x, t_x, T] (Batislam et al. 2007):
// (a+b+x)/(a-1) [1 - ((α+T)/(α+T+t))^(r+x) 2F1(r+x, b+x+1; a+b+x; t/(α+T+t))] P(alive).
func (m MBGNBD) ConditionalExpected(t, x, tx, T float64) (float64, error) {
	return bgConditional(m.R, m.Alpha, m.A, m.B, 1, t, x, T, m.PAlive(x, tx, T))
}

// ExpectedIfAlive returns E[Y(t) | alive at T, x, T]; ConditionalExpected is it times PAlive.
func (m MBGNBD) ExpectedIfAlive(t, x, T float64) (float64, error) {
	return bgConditional(m.R, m.Alpha, m.A, m.B, 1, t, x, T, 1)
}

// Expected returns E[X(t)] = b/(a-1) [1 - (α/(α+t))^r 2F1(r, b+1; a+b; t/(α+t))].
func (m MBGNBD) Expected(t float64) (float64, error) {
	return bgConditional(m.R, m.Alpha, m.A, m.B, 1, t, 0, 0, m.PAlive(0, 0, 0))
}

// bgConditional evaluates the (M)BG/NBD conditional expectation given P(alive).
// The factor 1/(a-1) and the bracket both change sign at a = 1; near it the
// expression is averaged across a = 1 ± 1e-7, where it is continuous.
func bgConditional(r, alpha, a, b, off, t, x, T, pAlive float64) (float64, error) {
	if t <= 0 {
		return 0, nil
	}
	if math.Abs(a-1) < 1e-7 {
		lo, err1 := bgConditionalAt(r, alpha, 1-2e-7, b, off, t, x, T, pAlive)
		hi, err2 := bgConditionalAt(r, alpha, 1+2e-7, b, off, t, x, T, pAlive)
		if err1 != nil || err2 != nil {
			return math.NaN(), fmt.Errorf("conditional expectation: %w", errSeries)
		}
		return (lo + hi) / 2, nil
	}
	return bgConditionalAt(r, alpha, a, b, off, t, x, T, pAlive)
}

func bgConditionalAt(r, alpha, a, b, off, t, x, T, pAlive float64) (float64, error) {
	z := t / (alpha + T + t)
	lf, sign, err := special.Hyp2F1(r+x, b+x+off, a+b+x-1+off, z)
	if err != nil {
		return math.NaN(), fmt.Errorf("conditional expectation at t=%g, x=%g, T=%g: %w", t, x, T, err)
	}
	l := lf + (r+x)*math.Log1p(-z)
	var bracket float64
	if sign > 0 {
		bracket = -math.Expm1(l)
	} else {
		bracket = 1 + math.Exp(l)
	}
	v := (a + b + x - 1 + off) / (a - 1) * bracket * pAlive
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return math.NaN(), fmt.Errorf("conditional expectation at t=%g, x=%g, T=%g is not finite", t, x, T)
	}
	return math.Max(v, 0), nil
}

// bgObjective is the negative log-likelihood of the collapsed data with its
// analytic gradient (off = 0 for BG/NBD, 1 for MBG/NBD). Per evaluation,
// log-gamma and digamma terms are computed once per distinct x and log(α+t)
// once per distinct time; a row then costs one softplus.
func bgObjective(d *countData, off float64) objective {
	nx := len(d.xs)
	c0 := make([]float64, nx)
	dr := make([]float64, nx)
	da := make([]float64, nx)
	db := make([]float64, nx)
	lk := make([]float64, nx)
	kb := make([]float64, nx)
	lt := make([]float64, len(d.tv))
	it := make([]float64, len(d.tv))
	return objective{
		names:       []string{"r", "alpha", "a", "b"},
		analytic:    true,
		moreThuente: true,
		weight:      d.weight,
		rows:        len(d.x),
		nll: func(theta, grad []float64) float64 {
			r, alpha, a, b := theta[0], theta[1], theta[2], theta[3]
			la := math.Log(alpha)
			lgr, lgab, lgb := lgam(r), lgam(a+b), lgam(b)
			var psr, psab, psb float64
			if grad != nil {
				psr, psab, psb = mathext.Digamma(r), mathext.Digamma(a+b), mathext.Digamma(b)
			}
			var sum, gr, gal, ga, gb float64
			for k, x := range d.xs {
				xb := x + off
				c0[k] = lgam(r+x) - lgr + r*la + lgam(b+xb) + lgab - lgam(a+b+xb) - lgb
				if x > 0 || off > 0 {
					lk[k] = math.Log(a) - math.Log(b+x-1+off)
					kb[k] = 1 / (b + x - 1 + off)
				}
				sum += d.xw[k] * c0[k]
				if grad != nil {
					dr[k] = mathext.Digamma(r+x) - psr + la
					pabx := mathext.Digamma(a + b + xb)
					da[k] = psab - pabx
					db[k] = mathext.Digamma(b+xb) + psab - pabx - psb
					gr += d.xw[k] * dr[k]
					gal += d.xw[k] * r / alpha
					ga += d.xw[k] * da[k]
					gb += d.xw[k] * db[k]
				}
			}
			for j, v := range d.tv {
				lt[j] = math.Log(alpha + v)
				it[j] = 1 / (alpha + v)
			}
			acc := [5]float64{}
			blockSum(len(d.x), 5, acc[:], func(lo, hi int, s []float64) {
				var ll, sr, sal, sa, sb float64
				// Σ log(1+D) over rows of weight 1 is taken as the log of a
				// running product (renormalised by its binary exponent), so
				// those rows cost one exponential and no logarithm.
				prod := logProduct{p: 1}
				for i := lo; i < hi; i++ {
					x, w := d.x[i], d.w[i]
					k := d.xi[i]
					lT, iT := lt[d.Ti[i]], it[d.Ti[i]]
					rx := r + x
					ll -= w * rx * lT
					if grad != nil {
						sr -= w * lT
						sal -= w * rx * iT
					}
					if x > 0 || off > 0 {
						ltx, itx := lt[d.txi[i]], it[d.txi[i]]
						lD := lk[k] + rx*(lT-ltx)
						var pi float64
						if lD > 35 {
							ll += w * lD
							pi = 1
						} else {
							e := math.Exp(lD)
							v := 1 + e
							if w == 1 {
								prod.mul(v)
							} else {
								ll += w * math.Log(v)
							}
							pi = e / v
						}
						if grad != nil {
							p := w * pi
							sr += p * (lT - ltx)
							sal += p * rx * (iT - itx)
							sa += p
							sb += p * kb[k]
						}
					}
				}
				ll += prod.log()
				s[0] += ll
				s[1] += sr
				s[2] += sal
				s[3] += sa
				s[4] += sb
			})
			sum += acc[0]
			if grad != nil {
				grad[0] = -(gr + acc[1])
				grad[1] = -(gal + acc[2])
				grad[2] = -(ga + acc[3]/a)
				grad[3] = -(gb - acc[4])
			}
			return -sum
		},
	}
}

// bgStarts returns deterministic starting points in rescaled time.
func bgStarts(d *countData, user []float64) [][]float64 {
	rate := d.repeatRate()
	var s [][]float64
	if user != nil {
		u := append([]float64(nil), user...)
		if len(u) == 4 {
			u[1] /= d.scale
		}
		s = append(s, u)
	}
	return append(s,
		[]float64{1, 1 / rate, 1, 1},
		[]float64{0.3, 0.3 / rate, 0.5, 3},
		[]float64{3, 3 / rate, 2, 6},
	)
}

// FitBGNBD fits the BG/NBD model by maximum likelihood to per-customer
// (x, t_x, T): x repeat transactions, the last at t_x, observed for T (t_x and
// T in one time unit, measured from the first purchase). w holds optional
// row weights (nil for all ones). Identical rows are collapsed, time is
// rescaled so the largest T is 1, and log-parameters are optimised with BFGS
// and an analytic gradient from several deterministic starting points.
func FitBGNBD(x, tx, T, w []float64, opt Options) (*Result, error) {
	return fitBG("bgnbd", 0, x, tx, T, w, opt)
}

// FitMBGNBD fits the MBG/NBD model; arguments as FitBGNBD.
func FitMBGNBD(x, tx, T, w []float64, opt Options) (*Result, error) {
	return fitBG("mbgnbd", 1, x, tx, T, w, opt)
}

func fitBG(name string, off float64, x, tx, T, w []float64, opt Options) (*Result, error) {
	d, err := newCountData(x, tx, T, w, true)
	if err != nil {
		return nil, err
	}
	if err := d.checkRepeat(); err != nil {
		return nil, err
	}
	obj := bgObjective(d, off)
	f, err := minimise(obj, bgStarts(d, opt.Start), opt, []float64{1, d.scale, 1, 1})
	res := countResult(name, obj.names, d, f, opt)
	if res != nil {
		res.scale(1, d.scale)
		res.LogLikelihood = unscaledLogLik(obj, f.Theta, d)
	}
	if err != nil {
		return res, fmt.Errorf("%s: %w", name, err)
	}
	return res, finiteResult(res)
}

// countResult turns an optimiser outcome into a Result (time-unit parameters are rescaled by the caller).
func countResult(name string, names []string, d *countData, f *mle.Result, opt Options) *Result {
	if f == nil {
		return nil
	}
	return &Result{
		Model: name, Names: names,
		Params: append([]float64(nil), f.Theta...), SE: append([]float64(nil), f.SE...), HasSE: f.HasSE, Cov: copyCov(f.Cov),
		Customers: d.weight, Unique: len(d.x), Iterations: f.Iterations, Evaluations: f.Evaluations,
		Starts: f.Starts, Converged: f.Converged, Status: f.Status, Penalizer: opt.Penalizer, TimeScale: d.scale,
	}
}

// unscaledLogLik returns the log-likelihood at the (rescaled) estimate theta
// in the data's own time unit. Dividing every time by k multiplies the
// density of a customer's x purchase times by k^x, so
// LL = LL_rescaled - log(k) Σ w x.
func unscaledLogLik(obj objective, theta []float64, d *countData) float64 {
	return -obj.nll(theta, nil) - math.Log(d.scale)*d.sumWX
}

// collapsedLogLik sums ll over the collapsed rows in the original time unit.
func collapsedLogLik(d *countData, ll func(x, tx, T float64) float64) float64 {
	s := 0.0
	for i := range d.x {
		s += d.w[i] * ll(d.x[i], d.tx[i]*d.scale, d.T[i]*d.scale)
	}
	return s
}

// finiteResult rejects a result with non-finite numbers.
func finiteResult(r *Result) error {
	if math.IsNaN(r.LogLikelihood) || math.IsInf(r.LogLikelihood, 0) {
		r.Converged = false
		return fmt.Errorf("%s: %w: log-likelihood is not finite at the estimate", r.Model, ErrNotConverged)
	}
	for i, p := range r.Params {
		if math.IsNaN(p) || math.IsInf(p, 0) || math.IsNaN(r.SE[i]) || math.IsInf(r.SE[i], 0) {
			r.Converged = false
			return fmt.Errorf("%s: %w: parameter %s is not finite", r.Model, ErrNotConverged, r.Names[i])
		}
	}
	return nil
}
