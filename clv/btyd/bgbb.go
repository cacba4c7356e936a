package btyd

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mathext"
)

// BGBB is a fitted beta-geometric/beta-Bernoulli model for discrete-time
// ("opportunity") data (Fader, Hardie & Shang 2010). While alive a customer
// transacts at each opportunity with probability p ~ Beta(Alpha, Beta); before
// each opportunity an alive customer dies with probability θ ~ Beta(Gamma, Delta).
// x is the number of opportunities with a transaction among the first n after
// the initial one, t_x the index of the last of them (0 when x = 0).
type BGBB struct{ Alpha, Beta, Gamma, Delta float64 }

// LogLikelihood returns the log-likelihood of (x, t_x, n) (FHS 2010, eq. 5):
// B(α+x, β+n-x)/B(α,β) B(γ, δ+n)/B(γ,δ)
// + Σ_{i=0}^{n-t_x-1} B(α+x, β+t_x-x+i)/B(α,β) B(γ+1, δ+t_x+i)/B(γ,δ).
func (m BGBB) LogLikelihood(x, tx, n float64) float64 {
	return bgbbLogLik(m.Alpha, m.Beta, m.Gamma, m.Delta, lbeta(m.Alpha, m.Beta), lbeta(m.Gamma, m.Delta), x, tx, n)
}

func bgbbLogLik(al, be, ga, de, lbab, lbgd, x, tx, n float64) float64 {
	ll := lbeta(al+x, be+n-x) - lbab + lbeta(ga, de+n) - lbgd
	for i := 0.0; i < n-tx; i++ {
		ll = logAddExp(ll, lbeta(al+x, be+tx-x+i)-lbab+lbeta(ga+1, de+tx+i)-lbgd)
	}
	return ll
}

// PAlive returns P(alive at opportunity n+1 | x, t_x, n) (FHS 2010, eq. 11).
func (m BGBB) PAlive(x, tx, n float64) float64 {
	lbab, lbgd := lbeta(m.Alpha, m.Beta), lbeta(m.Gamma, m.Delta)
	ll := bgbbLogLik(m.Alpha, m.Beta, m.Gamma, m.Delta, lbab, lbgd, x, tx, n)
	return math.Exp(lbeta(m.Alpha+x, m.Beta+n-x) - lbab + lbeta(m.Gamma, m.Delta+n+1) - lbgd - ll)
}

// bgbbGap returns [Γ(γ+δ)/Γ(1+δ)] [Γ(1+δ+n1)/Γ(γ+δ+n1) - Γ(1+δ+n2)/Γ(γ+δ+n2)] / (γ-1),
// with its limit δ-free form ψ(1+δ+n2) - ψ(1+δ+n1) at γ = 1.
func bgbbGap(ga, de, n1, n2 float64) float64 {
	if math.Abs(ga-1) < 1e-7 {
		return mathext.Digamma(1+de+n2) - mathext.Digamma(1+de+n1)
	}
	g := func(n float64) float64 { return lgam(1+de+n) - lgam(ga+de+n) + lgam(ga+de) - lgam(1+de) }
	g1, g2 := g(n1), g(n2)
	return math.Exp(g2) * math.Expm1(g1-g2) / (ga - 1)
}

// ConditionalExpected returns the expected number of transactions in the next
// t opportunities (n+1 .. n+t) given (x, t_x, n) (FHS 2010, eq. 13). t is
// rounded down to whole opportunities.
func (m BGBB) ConditionalExpected(t, x, tx, n float64) (float64, error) {
	t = math.Floor(t + 1e-9)
	if t <= 0 {
		return 0, nil
	}
	lbab, lbgd := lbeta(m.Alpha, m.Beta), lbeta(m.Gamma, m.Delta)
	ll := bgbbLogLik(m.Alpha, m.Beta, m.Gamma, m.Delta, lbab, lbgd, x, tx, n)
	v := math.Exp(lbeta(m.Alpha+x+1, m.Beta+n-x)-lbab-ll) * m.Delta * bgbbGap(m.Gamma, m.Delta, n, n+t)
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return math.NaN(), fmt.Errorf("bgbb conditional expectation at x=%g, t_x=%g, n=%g is not finite", x, tx, n)
	}
	return v, nil
}

// ExpectedIfAlive returns the expected transactions in the next t opportunities
// given that the customer is alive at n+1; ConditionalExpected is it times PAlive.
func (m BGBB) ExpectedIfAlive(t, x, n float64) (float64, error) {
	t = math.Floor(t + 1e-9)
	if t <= 0 {
		return 0, nil
	}
	l := lbeta(m.Alpha+x+1, m.Beta+n-x) - lbeta(m.Alpha+x, m.Beta+n-x) - lbeta(m.Gamma, m.Delta+n+1) + lbeta(m.Gamma, m.Delta)
	v := math.Exp(l) * m.Delta * bgbbGap(m.Gamma, m.Delta, n, n+t)
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return math.NaN(), fmt.Errorf("bgbb expectation at x=%g, n=%g is not finite", x, n)
	}
	return v, nil
}

// Expected returns E[X(n)], the expected number of transactions of a new
// customer in the first n opportunities (FHS 2010, eq. 7):
// α/(α+β) δ/(γ-1) [1 - Γ(γ+δ)Γ(1+δ+n) / (Γ(γ+δ+n)Γ(1+δ))].
func (m BGBB) Expected(n float64) (float64, error) {
	n = math.Floor(n + 1e-9)
	if n <= 0 {
		return 0, nil
	}
	return m.Alpha / (m.Alpha + m.Beta) * m.Delta * bgbbGap(m.Gamma, m.Delta, 0, n), nil
}

// FitBGBB fits the BG/BB model by maximum likelihood to per-customer (x, t_x, n)
// counted in whole opportunities; w holds optional weights (nil for ones), so
// a recency/frequency table can be passed directly.
func FitBGBB(x, tx, n, w []float64, opt Options) (*Result, error) {
	for i := range x {
		if i < len(tx) && i < len(n) && (tx[i] != math.Floor(tx[i]) || n[i] != math.Floor(n[i]) || x[i] > tx[i] || (x[i] > 0 && tx[i] < 1)) {
			return nil, fmt.Errorf("%w: row %d: bgbb needs whole opportunities with x <= t_x <= n (got x=%v, t_x=%v, n=%v)", ErrInvalidData, i+1, x[i], tx[i], n[i])
		}
	}
	d, err := newCountData(x, tx, n, w, false)
	if err != nil {
		return nil, err
	}
	if err := d.checkRepeat(); err != nil {
		return nil, err
	}
	obj := objective{
		names:  []string{"alpha", "beta", "gamma", "delta"},
		weight: d.weight,
		nll: func(th, _ []float64) float64 {
			lbab, lbgd := lbeta(th[0], th[1]), lbeta(th[2], th[3])
			var acc [1]float64
			blockSum(len(d.x), 1, acc[:], func(lo, hi int, out []float64) {
				for i := lo; i < hi; i++ {
					out[0] += d.w[i] * bgbbLogLik(th[0], th[1], th[2], th[3], lbab, lbgd, d.x[i], d.tx[i], d.T[i])
				}
			})
			return -acc[0]
		},
	}
	var starts [][]float64
	if len(opt.Start) == 4 {
		starts = append(starts, opt.Start)
	}
	starts = append(starts, []float64{1, 1, 1, 1}, []float64{0.5, 0.5, 0.5, 2}, []float64{2, 1, 2, 4})
	f, ferr := minimise(obj, starts, opt, nil)
	res := countResult("bgbb", obj.names, d, f, opt)
	if res != nil {
		res.TimeScale = 1
		m := BGBB{res.Params[0], res.Params[1], res.Params[2], res.Params[3]}
		res.LogLikelihood = collapsedLogLik(d, m.LogLikelihood)
	}
	if ferr != nil {
		return res, fmt.Errorf("bgbb: %w", ferr)
	}
	return res, finiteResult(res)
}
