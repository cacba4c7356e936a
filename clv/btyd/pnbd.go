package btyd

import (
	"fmt"
	"math"

	"github.com/clvkit/clv/clv/special"

	"gonum.org/v1/gonum/mathext"
)

// ParetoNBD is a fitted Pareto/NBD model (Schmittlein, Morrison & Colombo 1987).
// While alive a customer buys as a Poisson process with rate λ ~ Gamma(R, Alpha);
// his lifetime is exponential with rate μ ~ Gamma(S, Beta). Alpha and Beta are
// in the data's time unit.
type ParetoNBD struct{ R, Alpha, S, Beta float64 }

// pnbdLogA0 returns log A0 of Fader & Hardie's (2005) note on the Pareto/NBD
// likelihood, with k = r+s+x:
//
//	α >= β: A0 = 2F1(k, s+1; k+1; (α-β)/(α+t_x)) / (α+t_x)^k - 2F1(k, s+1; k+1; (α-β)/(α+T)) / (α+T)^k
//	α <  β: A0 = 2F1(k, r+x; k+1; (β-α)/(β+t_x)) / (β+t_x)^k - 2F1(k, r+x; k+1; (β-α)/(β+T)) / (β+T)^k
//
// A0 is (r+s+x) times the integral over dropout times τ in (t_x, T] of
// (α+τ)^-(r+x) (β+τ)^-(s+1), so it is never negative. It is -Inf when t_x = T.
func pnbdLogA0(r, alpha, s, beta, x, tx, T float64) (float64, error) {
	l1, err := pnbdLogTerm(r, alpha, s, beta, x, tx)
	if err != nil {
		return math.NaN(), err
	}
	l2, err := pnbdLogTerm(r, alpha, s, beta, x, T)
	if err != nil {
		return math.NaN(), err
	}
	return logSubExp(l1, l2), nil
}

// pnbdLogTerm is log of one of the two terms of A0 at time t.
func pnbdLogTerm(r, alpha, s, beta, x, t float64) (float64, error) {
	k := r + s + x
	var lf float64
	var err error
	if alpha >= beta {
		lf, _, err = special.Hyp2F1(k, s+1, k+1, (alpha-beta)/(alpha+t))
		return lf - k*math.Log(alpha+t), err
	}
	lf, _, err = special.Hyp2F1(k, r+x, k+1, (beta-alpha)/(beta+t))
	return lf - k*math.Log(beta+t), err
}

// pnbdLogLikRest is the customer log-likelihood without lgamma(r+x) - lgamma(r) + r log α + s log β.
func pnbdLogLikRest(r, alpha, s, beta, x, T, logA0 float64) float64 {
	k := r + s + x
	return logAddExp(-(r+x)*math.Log(alpha+T)-s*math.Log(beta+T), math.Log(s/k)+logA0)
}

// LogLikelihood returns the log-likelihood of one customer's (x, t_x, T), or
// NaN when the hypergeometric series cannot be evaluated.
func (m ParetoNBD) LogLikelihood(x, tx, T float64) float64 {
	la0, err := pnbdLogA0(m.R, m.Alpha, m.S, m.Beta, x, tx, T)
	if err != nil {
		return math.NaN()
	}
	return lgam(m.R+x) - lgam(m.R) + m.R*math.Log(m.Alpha) + m.S*math.Log(m.Beta) +
		pnbdLogLikRest(m.R, m.Alpha, m.S, m.Beta, x, T, la0)
}

// PAlive returns P(alive at T | x, t_x, T) =
// 1 / (1 + s/(r+s+x) (α+T)^(r+x) (β+T)^s A0).
func (m ParetoNBD) PAlive(x, tx, T float64) float64 {
	la0, err := pnbdLogA0(m.R, m.Alpha, m.S, m.Beta, x, tx, T)
	if err != nil {
		return math.NaN()
	}
	k := m.R + m.S + x
	return sigmoid(-(math.Log(m.S/k) + (m.R+x)*math.Log(m.Alpha+T) + m.S*math.Log(m.Beta+T) + la0))
}

// ConditionalExpected returns E[Y(t) | x, t_x, T] (Schmittlein et al. 1987, eq. 22):
// (r+x)(β+T) / ((α+T)(s-1)) [1 - ((β+T)/(β+T+t))^(s-1)] P(alive), with the
// limit (r+x)(β+T)/(α+T) log((β+T+t)/(β+T)) P(alive) at s = 1.
func (m ParetoNBD) ConditionalExpected(t, x, tx, T float64) (float64, error) {
	if t <= 0 {
		return 0, nil
	}
	p := m.PAlive(x, tx, T)
	if math.IsNaN(p) {
		return math.NaN(), fmt.Errorf("P(alive) at x=%g, t_x=%g, T=%g: %w", x, tx, T, errSeries)
	}
	v, _ := m.ExpectedIfAlive(t, x, T)
	return v * p, nil
}

// ExpectedIfAlive returns E[Y(t) | alive at T, x, T]; ConditionalExpected is it times PAlive.
func (m ParetoNBD) ExpectedIfAlive(t, x, T float64) (float64, error) {
	if t <= 0 {
		return 0, nil
	}
	return (m.R + x) / (m.Alpha + T) * (m.Beta + T) * powRatioMinus(math.Log((m.Beta+T)/(m.Beta+T+t)), m.S-1), nil
}

// Expected returns E[X(t)] = rβ/(α(s-1)) [1 - (β/(β+t))^(s-1)].
func (m ParetoNBD) Expected(t float64) (float64, error) {
	if t <= 0 {
		return 0, nil
	}
	return m.R / m.Alpha * m.Beta * powRatioMinus(math.Log(m.Beta/(m.Beta+t)), m.S-1), nil
}

// pnbdSeries sums S = Σ_n c_n z^n with c_0 = 1 and c_{n+1} = c_n (p+n)/(q+n),
// which is 2F1(1, p; q; z), together with the sums the gradient needs:
// Sp = Σ c_n z^n Σ_{j<n} 1/(p+j), Sq = Σ c_n z^n Σ_{j<n} 1/(q+j) (the
// derivatives of log c_n in p and -q) and Sz = dS/dz. For 0 <= p < q every
// term is at most z^n, so the series converges geometrically for z < 1.
func pnbdSeries(p, q, z float64) (S, Sp, Sq, Sz float64, ok bool) {
	if z == 0 {
		return 1, 0, 0, p / q, true
	}
	c, hp, hq := 1.0, 0.0, 0.0
	S = 1
	var nS float64 // Σ n c_n z^n
	for n := 0; n < maxSeriesTerms; n++ {
		fn := float64(n)
		iq := 1 / (q + fn)
		hp += 1 / (p + fn)
		hq += iq
		c *= (p + fn) * iq * z
		S += c
		Sp += c * hp
		Sq += c * hq
		nS += (fn + 1) * c
		if c*(fn+2+hp+hq) <= 1e-17*S*(1-z) {
			return S, Sp, Sq, nS / z, true
		}
	}
	return S, Sp, Sq, nS / z, false
}

// pnbdTermGrad returns the log of one term of A0 at time t (as pnbdLogTerm)
// and its derivatives in r, α, s, β. With k = r+s+x both branches reduce, by
// Euler's transformation, to -(r+x) log(α+t) - s log(β+t) + log S with
// S = pnbdSeries(r+x, k+1, (α-β)/(α+t)) for α >= β, and to
// -(r+x-1) log(α+t) - (s+1) log(β+t) + log S with
// S = pnbdSeries(s+1, k+1, (β-α)/(β+t)) for α < β.
// la and lb are log(α+t) and log(β+t).
func pnbdTermGrad(r, alpha, s, beta, x, t, la, lb float64, g *[4]float64) (float64, bool) {
	k := r + s + x
	var S, Sp, Sq, Sz float64
	var ok bool
	if alpha >= beta {
		S, Sp, Sq, Sz, ok = pnbdSumGrad(r+x, k+1, (alpha-beta)/(alpha+t))
		zA := (beta + t) / ((alpha + t) * (alpha + t))
		zB := -1 / (alpha + t)
		g[0] = -la + (Sp-Sq)/S
		g[2] = -lb - Sq/S
		g[1] = -(r+x)/(alpha+t) + Sz/S*zA
		g[3] = -s/(beta+t) + Sz/S*zB
	} else {
		S, Sp, Sq, Sz, ok = pnbdSumGrad(s+1, k+1, (beta-alpha)/(beta+t))
		zA := -1 / (beta + t)
		zB := (alpha + t) / ((beta + t) * (beta + t))
		g[0] = -la - Sq/S
		g[2] = -lb + (Sp-Sq)/S
		g[1] = -(r+x-1)/(alpha+t) + Sz/S*zA
		g[3] = -(s+1)/(beta+t) + Sz/S*zB
		return -(r+x-1)*la - (s+1)*lb + math.Log(S), ok
	}
	return -(r+x)*la - s*lb + math.Log(S), ok
}

// pnbdObjective is the negative log-likelihood of the collapsed data with its
// analytic gradient. The hypergeometric terms depend on a row only through
// (x, t): they are computed once per distinct (x, t) pair and evaluation.
func pnbdObjective(d *countData) objective {
	type pair struct{ xi, ti int32 }
	idx := map[pair]int32{}
	var pairs []pair
	get := func(p pair) int32 {
		j, ok := idx[p]
		if !ok {
			j = int32(len(pairs))
			idx[p] = j
			pairs = append(pairs, p)
		}
		return j
	}
	ptx := make([]int32, len(d.x))
	pT := make([]int32, len(d.x))
	for i := range d.x {
		ptx[i] = get(pair{d.xi[i], d.txi[i]})
		pT[i] = get(pair{d.xi[i], d.Ti[i]})
	}
	lterm := make([]float64, len(pairs))
	dterm := make([][4]float64, len(pairs))
	la := make([]float64, len(d.tv))
	lb := make([]float64, len(d.tv))
	ia := make([]float64, len(d.tv))
	ib := make([]float64, len(d.tv))
	lsk := make([]float64, len(d.xs))
	return objective{
		names:    []string{"r", "alpha", "s", "beta"},
		analytic: true,
		weight:   d.weight,
		rows:     len(d.x),
		nll: func(theta, grad []float64) float64 {
			r, alpha, s, beta := theta[0], theta[1], theta[2], theta[3]
			sum := 0.0
			var g0 [4]float64
			lgr, lal, lbl := lgam(r), math.Log(alpha), math.Log(beta)
			psr := mathext.Digamma(r)
			for k, x := range d.xs {
				w := d.xw[k]
				sum += w * (lgam(r+x) - lgr + r*lal + s*lbl)
				g0[0] += w * (mathext.Digamma(r+x) - psr + lal)
				g0[1] += w * r / alpha
				g0[2] += w * lbl
				g0[3] += w * s / beta
			}
			for j, v := range d.tv {
				la[j], lb[j] = math.Log(alpha+v), math.Log(beta+v)
				ia[j], ib[j] = 1/(alpha+v), 1/(beta+v)
			}
			var bad [1]float64
			blockSum(len(pairs), 1, bad[:], func(lo, hi int, acc []float64) {
				for j := lo; j < hi; j++ {
					p := pairs[j]
					l, ok := pnbdTermGrad(r, alpha, s, beta, d.xs[p.xi], d.tv[p.ti], la[p.ti], lb[p.ti], &dterm[j])
					if !ok || math.IsNaN(l) {
						acc[0]++
					}
					lterm[j] = l
				}
			})
			if bad[0] > 0 {
				return math.Inf(1)
			}
			for q, x := range d.xs {
				lsk[q] = math.Log(s / (r + s + x))
			}
			var acc [5]float64
			blockSum(len(d.x), 5, acc[:], func(lo, hi int, out []float64) {
				var ll, gr, ga, gs, gb float64
				// Rows of weight 1 add log(1+e) through a running product
				// (see bgObjective), saving a logarithm per row.
				prod := logProduct{p: 1}
				for i := lo; i < hi; i++ {
					x, w := d.x[i], d.w[i]
					ti := d.Ti[i]
					k := r + s + x
					a1 := -(r+x)*la[ti] - s*lb[ti]
					// Alive at T (a1) or died in (t_x, T] (a2).
					g1r, g1a, g1s, g1b := -la[ti], -(r+x)*ia[ti], -lb[ti], -s*ib[ti]
					ll += w * a1
					if ptx[i] == pT[i] {
						gr += w * g1r
						ga += w * g1a
						gs += w * g1s
						gb += w * g1b
						continue
					}
					l1, l2 := lterm[ptx[i]], lterm[pT[i]]
					om := -math.Expm1(l2 - l1) // 1 - ρ
					rho := 1 - om
					// e = exp(a2 - a1), a2 = log(s/k) + log(e^l1 - e^l2).
					var u2 float64
					if dl := lsk[d.xi[i]] + l1 - a1; dl < 200 {
						e := math.Exp(dl) * om
						v := 1 + e
						if w == 1 && v < 1e100 {
							prod.mul(v)
						} else {
							ll += w * math.Log(v)
						}
						u2 = e / v
					} else {
						a2 := dl + math.Log(om)
						ll += w * (a2 + math.Log1p(math.Exp(-a2)))
						u2 = 1 / (1 + math.Exp(-a2))
					}
					u1 := 1 - u2
					d1, d2 := &dterm[ptx[i]], &dterm[pT[i]]
					gr += w * (u1*g1r + u2*(-1/k+(d1[0]-rho*d2[0])/om))
					ga += w * (u1*g1a + u2*(d1[1]-rho*d2[1])/om)
					gs += w * (u1*g1s + u2*(1/s-1/k+(d1[2]-rho*d2[2])/om))
					gb += w * (u1*g1b + u2*(d1[3]-rho*d2[3])/om)
				}
				ll += prod.log()
				out[0] += ll
				out[1] += gr
				out[2] += ga
				out[3] += gs
				out[4] += gb
			})
			if grad != nil {
				for q := range 4 {
					grad[q] = -(g0[q] + acc[q+1])
				}
			}
			return -(sum + acc[0])
		},
	}
}

// FitParetoNBD fits the Pareto/NBD model by maximum likelihood; arguments as FitBGNBD.
func FitParetoNBD(x, tx, T, w []float64, opt Options) (*Result, error) {
	d, err := newCountData(x, tx, T, w, true)
	if err != nil {
		return nil, err
	}
	if err := d.checkRepeat(); err != nil {
		return nil, err
	}
	rate := d.repeatRate()
	var starts [][]float64
	if len(opt.Start) == 4 {
		u := append([]float64(nil), opt.Start...)
		u[1] /= d.scale
		u[3] /= d.scale
		starts = append(starts, u)
	}
	starts = append(starts,
		[]float64{1, 1 / rate, 1, 1},
		[]float64{0.5, 0.5 / rate, 0.5, 0.5},
		[]float64{2, 2 / rate, 2, 4},
	)
	obj := pnbdObjective(d)
	f, ferr := minimise(obj, starts, opt, []float64{1, d.scale, 1, d.scale})
	res := countResult("pnbd", obj.names, d, f, opt)
	if res != nil {
		res.scale(1, d.scale)
		res.scale(3, d.scale)
		res.LogLikelihood = unscaledLogLik(obj, f.Theta, d)
	}
	if ferr != nil {
		return res, fmt.Errorf("pnbd: %w", ferr)
	}
	return res, finiteResult(res)
}
