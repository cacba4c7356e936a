package btyd

import (
	"cmp"
	"fmt"
	"math"
	"slices"

	"gonum.org/v1/gonum/mathext"
)

// GammaGamma is a fitted Gamma-Gamma model of spend per transaction (Fader,
// Hardie & Lee 2005, "RFM and CLV"; Colombo & Jiang 1999): a customer's
// transaction values are Gamma(P, ν) with ν ~ Gamma(Q, Gamma) across customers,
// independent of the purchase process. Gamma is in money units.
type GammaGamma struct{ P, Q, Gamma float64 }

// ConditionalExpectedSpend returns E[M | x, m̄], the expected value of a future
// transaction of a customer with x repeat transactions of mean value m:
// (γ + m x) p / (p x + q - 1), a weighted mean of the population mean
// p γ / (q - 1) and the customer's own mean. Without repeat purchases or with
// non-positive mean spend (m <= 0, left out of the fit) it is the population mean.
func (g GammaGamma) ConditionalExpectedSpend(x, m float64) float64 {
	if x <= 0 || !(m > 0) {
		return g.MeanSpend()
	}
	return (g.Gamma + m*x) * g.P / (g.P*x + g.Q - 1)
}

// MeanSpend returns the population mean transaction value p γ / (q - 1), or
// NaN when q <= 1 (the mean does not exist).
func (g GammaGamma) MeanSpend() float64 {
	if g.Q <= 1 {
		return math.NaN()
	}
	return g.P * g.Gamma / (g.Q - 1)
}

// LogLikelihood returns the log-likelihood of one customer's mean spend m over x transactions:
// lnΓ(px+q) - lnΓ(px) - lnΓ(q) + q ln γ + (px-1) ln m + px ln x - (px+q) ln(γ + m x).
func (g GammaGamma) LogLikelihood(x, m float64) float64 {
	px := g.P * x
	return lgam(px+g.Q) - lgam(px) - lgam(g.Q) + g.Q*math.Log(g.Gamma) + (px-1)*math.Log(m) + px*math.Log(x) - (px+g.Q)*math.Log(g.Gamma+m*x)
}

// FitGammaGamma fits the Gamma-Gamma model to customers' repeat-transaction
// counts x and mean repeat-transaction values m (w optional weights, nil for
// ones). Customers with x = 0 or m <= 0 carry no spend information under the
// model and are excluded; their number is reported in Result.Excluded. Money is
// rescaled by the mean of m during optimisation.
func FitGammaGamma(x, m, w []float64, opt Options) (*Result, error) {
	if len(m) != len(x) || (w != nil && len(w) != len(x)) {
		return nil, fmt.Errorf("%w: x, m (and weights) must have the same length", ErrInvalidData)
	}
	type key struct{ x, m float64 }
	idx := map[key]int{}
	var keys []key
	var wts []float64
	excluded := 0
	sumM, sumW := 0.0, 0.0
	for i := range x {
		wi := 1.0
		if w != nil {
			wi = w[i]
		}
		if math.IsNaN(x[i]) || math.IsNaN(m[i]) || math.IsInf(m[i], 0) || math.IsInf(x[i], 0) || !(wi >= 0) {
			return nil, fmt.Errorf("%w: row %d: x = %v, m = %v, weight %v", ErrInvalidData, i+1, x[i], m[i], wi)
		}
		if x[i] <= 0 || m[i] <= 0 {
			excluded++
			continue
		}
		if wi == 0 {
			continue
		}
		k := key{x[i], m[i]}
		j, ok := idx[k]
		if !ok {
			j = len(keys)
			idx[k] = j
			keys = append(keys, k)
			wts = append(wts, 0)
		}
		wts[j] += wi
		sumM += wi * m[i]
		sumW += wi
	}
	if len(keys) < 2 {
		return nil, fmt.Errorf("gg: %w: %d customers with repeat purchases and positive spend (need at least 2 distinct)", ErrNotIdentified, len(keys))
	}
	order := make([]int, len(keys))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int {
		if c := cmp.Compare(keys[a].x, keys[b].x); c != 0 {
			return c
		}
		return cmp.Compare(keys[a].m, keys[b].m)
	})
	scale := sumM / sumW
	n := len(keys)
	xs, ms, ws := make([]float64, n), make([]float64, n), make([]float64, n)
	for i, o := range order {
		xs[i], ms[i], ws[i] = keys[o].x, keys[o].m/scale, wts[o]
	}
	obj := ggObjective(xs, ms, ws, sumW)
	var starts [][]float64
	if len(opt.Start) == 3 {
		u := append([]float64(nil), opt.Start...)
		u[2] /= scale
		starts = append(starts, u)
	}
	starts = append(starts, []float64{1, 2, 1}, []float64{5, 3, 0.4}, []float64{0.5, 1.5, 1})
	f, ferr := minimise(obj, starts, opt, []float64{1, 1, scale})
	var res *Result
	if f != nil {
		res = &Result{
			Model: "gg", Names: obj.names,
			Params: append([]float64(nil), f.Theta...), SE: append([]float64(nil), f.SE...), HasSE: f.HasSE, Cov: copyCov(f.Cov),
			Customers: sumW, Unique: n, Excluded: excluded, Iterations: f.Iterations, Evaluations: f.Evaluations,
			Starts: f.Starts, Converged: f.Converged, Status: f.Status, Penalizer: opt.Penalizer, TimeScale: 1,
		}
		res.scale(2, scale)
		g := GammaGamma{res.Params[0], res.Params[1], res.Params[2]}
		for i := range xs {
			res.LogLikelihood += ws[i] * g.LogLikelihood(xs[i], ms[i]*scale)
		}
	}
	if ferr != nil {
		return res, fmt.Errorf("gg: %w", ferr)
	}
	return res, finiteResult(res)
}

// ggObjective is the Gamma-Gamma negative log-likelihood of repeat counts xs
// and mean spends ms (weights ws, total sumW) with its analytic gradient.
func ggObjective(xs, ms, ws []float64, sumW float64) objective {
	n := len(xs)
	lm, lx := make([]float64, n), make([]float64, n)
	// The gamma-function terms depend on a row only through x: index the
	// distinct x values so they are evaluated once per value and evaluation.
	xIndex := map[float64]int32{}
	var xv []float64
	xi := make([]int32, n)
	for i := range xs {
		lm[i], lx[i] = math.Log(ms[i]), math.Log(xs[i])
		k, ok := xIndex[xs[i]]
		if !ok {
			k = int32(len(xv))
			xIndex[xs[i]] = k
			xv = append(xv, xs[i])
		}
		xi[i] = k
	}
	cg := make([]float64, len(xv)) // lnΓ(px+q) - lnΓ(px)
	dp := make([]float64, len(xv)) // ψ(px+q) - ψ(px)
	dq := make([]float64, len(xv)) // ψ(px+q)
	return objective{
		names:       []string{"p", "q", "gamma"},
		analytic:    true,
		moreThuente: true,
		weight:      sumW,
		rows:        n,
		nll: func(th, grad []float64) float64 {
			p, q, ga := th[0], th[1], th[2]
			lgq, lga := lgam(q), math.Log(ga)
			var psq float64
			if grad != nil {
				psq = mathext.Digamma(q)
			}
			for k, x := range xv {
				px := p * x
				cg[k] = lgam(px+q) - lgam(px)
				if grad != nil {
					dq[k] = mathext.Digamma(px + q)
					dp[k] = dq[k] - mathext.Digamma(px)
				}
			}
			var acc [4]float64
			blockSum(n, 4, acc[:], func(lo, hi int, out []float64) {
				var s0, s1, s2, s3 float64
				for i := lo; i < hi; i++ {
					x, mm, w := xs[i], ms[i], ws[i]
					k := xi[i]
					px := p * x
					lgm := math.Log(ga + mm*x)
					s0 += w * (cg[k] - lgq + q*lga + (px-1)*lm[i] + px*lx[i] - (px+q)*lgm)
					if grad != nil {
						s1 += w * x * (dp[k] + lm[i] + lx[i] - lgm)
						s2 += w * (dq[k] - psq + lga - lgm)
						s3 += w * (q/ga - (px+q)/(ga+mm*x))
					}
				}
				out[0] += s0
				out[1] += s1
				out[2] += s2
				out[3] += s3
			})
			if grad != nil {
				grad[0], grad[1], grad[2] = -acc[1], -acc[2], -acc[3]
			}
			return -acc[0]
		},
	}
}
