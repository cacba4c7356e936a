package btyd

import (
	"math"

	"gonum.org/v1/gonum/integrate/quad"
)

// quadNodes is the Gauss-Legendre rule on [-1, 1] used by pnbdQuad.
var quadNodes, quadWeights = func() ([]float64, []float64) {
	x, w := make([]float64, 32), make([]float64, 32)
	quad.Legendre{}.FixedLocations(x, w, -1, 1)
	return x, w
}()

// pnbdQuadFrom is the distance 1-z below which pnbdSumGrad integrates instead
// of summing: the series then needs up to ~40/(1-z) terms (more than 10^4.6),
// the integral a few hundred nodes.
const pnbdQuadFrom = 1e-3

// maxQuadPanels bounds the panels of pnbdQuad.
const maxQuadPanels = 4000

// pnbdSumGrad returns what pnbdSeries returns, S = 2F1(1, p; q; z) with its
// derivatives Sp = ∂S/∂p, Sq = -∂S/∂q and Sz = ∂S/∂z: by the series, or,
// for z close to 1 (where the series converges slowest), by Gauss-Legendre
// quadrature of Euler's integral (pnbdQuad).
func pnbdSumGrad(p, q, z float64) (S, Sp, Sq, Sz float64, ok bool) {
	if 1-z < pnbdQuadFrom {
		return pnbdQuad(p, q, z)
	}
	return pnbdSeries(p, q, z)
}

// pnbdQuad evaluates 2F1(1, p; q; z) for 0 < z < 1, 0 < p < q, q > 1 from
// Euler's integral with v = e^-y:
//
//	S = (q-1) ∫_0^∞ e^{φ(y)} dy,  φ(y) = -(q-1)y - p log g(y),  g(y) = 1 - z + z e^{-y},
//
// and its derivatives under the integral sign: ∂/∂p brings -log g, ∂/∂q
// brings 1/(q-1) - y, ∂/∂z brings p (1 - e^{-y}) / g. The integrand is
// analytic in a strip of half-width π around the real axis (g vanishes only
// at Im y = ±π); its log-slope φ'(y) = -(q-1) + p z e^{-y}/g decreases
// monotonically from -(q-p-1)·z-ish values to -(q-1). Panels of length
// min(4, 16/|φ'|) get a 32-point rule each (for length 4 the Bernstein
// ellipse of the strip bounds the error by about 3.4^-64; for a slope λ the
// rule integrates e^{-λt} over a panel of length 16/λ to double precision),
// until φ has fallen 45 below its maximum while decreasing.
func pnbdQuad(p, q, z float64) (S, Sp, Sq, Sz float64, ok bool) {
	w := 1 - z
	phi := func(y float64) (v, slope float64) {
		ey := math.Exp(-y)
		g := w + z*ey
		return -(q-1)*y - p*math.Log(g), -(q - 1) + p*z*ey/g
	}
	var s0, sp, sq, sz float64
	a := 0.0
	top := math.Inf(-1)
	for range maxQuadPanels {
		v, slope := phi(a)
		top = math.Max(top, v)
		if slope < 0 && v < top-45 {
			S = (q - 1) * s0
			Sp = (q - 1) * sp
			// -∂S/∂q = -(s0 + (q-1) ∫ (-y) ...) = (q-1) ∫ y ... - s0.
			Sq = (q-1)*sq - s0
			Sz = (q - 1) * sz
			ok = !math.IsNaN(S+Sp+Sq+Sz) && !math.IsInf(S+Sp+Sq+Sz, 0)
			return S, Sp, Sq, Sz, ok
		}
		h := math.Min(4, 16/math.Max(1, math.Abs(slope)))
		for i, t := range quadNodes {
			y := a + (t+1)*h/2
			ey := math.Exp(-y)
			g := w + z*ey
			lg := math.Log(g)
			f := math.Exp(-(q-1)*y-p*lg) * quadWeights[i] * h / 2
			s0 += f
			sp -= f * lg
			sq += f * y
			sz += f * p * (1 - ey) / g
		}
		a += h
	}
	return math.NaN(), math.NaN(), math.NaN(), math.NaN(), false
}
