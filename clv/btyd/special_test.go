package btyd

import (
	"math"
	"testing"
)

// pnbdLogA0 against direct quadrature of its integral definition,
// A0 = (r+s+x) ∫_{t_x}^{T} (α+τ)^-(r+x) (β+τ)^-(s+1) dτ, by composite
// Simpson on u = log(α+τ), for both branches (α >= β, α < β) and large x.
func TestParetoA0Quadrature(t *testing.T) {
	cases := []struct{ r, alpha, s, beta, x, tx, T float64 }{
		{0.553, 10.578, 0.606, 11.669, 2, 30.43, 38.86},
		{0.553, 10.578, 0.606, 11.669, 0, 0, 38.86},
		{0.553, 12.0, 0.606, 3.0, 5, 10, 38},
		{0.553, 0.272, 0.606, 0.300, 1000, 0.2, 1},
		{10.465, 7.98565181e-03, 3.0516, 2.820, 400, 5, 6},
		{0.553, 10.578, 0.606, 0.05, 0, 0, 52},
	}
	for _, c := range cases {
		got, err := pnbdLogA0(c.r, c.alpha, c.s, c.beta, c.x, c.tx, c.T)
		if err != nil {
			t.Fatal(err)
		}
		// log of the integrand in u, relative to its value at u0 to avoid underflow.
		u0, u1 := math.Log(c.alpha+c.tx), math.Log(c.alpha+c.T)
		lf := func(u float64) float64 {
			tau := math.Exp(u) - c.alpha
			return u - (c.r+c.x)*u - (c.s+1)*math.Log(c.beta+tau)
		}
		ref := lf(u0)
		const n = 400000
		h := (u1 - u0) / n
		sum := 0.0
		for i := 0; i <= n; i++ {
			w := 2.0
			if i == 0 || i == n {
				w = 1
			} else if i%2 == 1 {
				w = 4
			}
			sum += w * math.Exp(lf(u0+float64(i)*h)-ref)
		}
		want := math.Log(c.r+c.s+c.x) + ref + math.Log(sum*h/3)
		if math.Abs(got-want) > 1e-8*math.Max(1, math.Abs(want)) {
			t.Errorf("%+v: log A0 = %.12g, quadrature %.12g", c, got, want)
		}
	}
}
