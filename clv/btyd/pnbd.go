package btyd

import (
	"fmt"
	"math"
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
		lf, _, err = Hyp2F1(k, s+1, k+1, (alpha-beta)/(alpha+t))
		return lf - k*math.Log(alpha+t), err
	}
	lf, _, err = Hyp2F1(k, r+x, k+1, (beta-alpha)/(beta+t))
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
	return 1 - sigmoid(math.Log(m.S/k)+(m.R+x)*math.Log(m.Alpha+T)+m.S*math.Log(m.Beta+T)+la0)
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

// pnbdObjective is the negative log-likelihood of the collapsed data. The
// hypergeometric terms depend on a row only through (x, t): they are computed
// once per distinct (x, t) pair and evaluation.
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
	la := make([]float64, len(d.tv))
	lb := make([]float64, len(d.tv))
	return objective{
		names:  []string{"r", "alpha", "s", "beta"},
		weight: d.weight,
		nll: func(theta, _ []float64) float64 {
			r, alpha, s, beta := theta[0], theta[1], theta[2], theta[3]
			sum := 0.0
			lgr := lgam(r)
			for k, x := range d.xs {
				sum += d.xw[k] * (lgam(r+x) - lgr + r*math.Log(alpha) + s*math.Log(beta))
			}
			for j, v := range d.tv {
				la[j] = math.Log(alpha + v)
				lb[j] = math.Log(beta + v)
			}
			var bad [1]float64
			blockSum(len(pairs), 1, bad[:], func(lo, hi int, acc []float64) {
				for j := lo; j < hi; j++ {
					p := pairs[j]
					l, err := pnbdLogTerm(r, alpha, s, beta, d.xs[p.xi], d.tv[p.ti])
					if err != nil {
						acc[0]++
					}
					lterm[j] = l
				}
			})
			if bad[0] > 0 {
				return math.Inf(1)
			}
			var acc [1]float64
			blockSum(len(d.x), 1, acc[:], func(lo, hi int, out []float64) {
				ll := 0.0
				for i := lo; i < hi; i++ {
					x := d.x[i]
					k := r + s + x
					la0 := logSubExp(lterm[ptx[i]], lterm[pT[i]])
					ll += d.w[i] * logAddExp(-(r+x)*la[d.Ti[i]]-s*lb[d.Ti[i]], math.Log(s/k)+la0)
				}
				out[0] += ll
			})
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
	if opt.Start != nil && len(opt.Start) == 4 {
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
	f, ferr := minimise(obj, starts, opt)
	res := countResult("pnbd", obj.names, d, f, opt)
	if res != nil {
		res.Params[1] *= d.scale
		res.SE[1] *= d.scale
		res.Params[3] *= d.scale
		res.SE[3] *= d.scale
		m := ParetoNBD{res.Params[0], res.Params[1], res.Params[2], res.Params[3]}
		res.LogLikelihood = collapsedLogLik(d, m.LogLikelihood)
	}
	if ferr != nil {
		return res, fmt.Errorf("pnbd: %w", ferr)
	}
	return res, finiteResult(res)
}
