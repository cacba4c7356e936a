package btyd

import (
	"math"
	"testing"
)

// P(alive) of long-silent heavy buyers is far below double-precision epsilon:
// computed as 1 - sigmoid(d) it rounded to 0 (issue 11). The references are
// 1/(1 + s/(r+s+x) (α+T)^(r+x) (β+T)^s A0) and 1/(1 + a/(b+x-1+off)
// ((α+T)/(α+t_x))^(r+x)) evaluated independently with mpmath 1.3.0 at 50
// digits (hyp2f1 for A0), with t_x = 1 and T = 78 weeks and the CDNOW
// parameters of TestStabilityExtremeCustomers (BG/NBD: FHL 2005).
func TestPAliveTinyKeepsDigits(t *testing.T) {
	cases := []struct {
		name string
		m    Counter
		x    float64
		want float64
		tol  float64 // relative
	}{
		{"bgnbd", BGNBD{0.243, 4.414, 0.793, 2.426}, 27, 2.1880902301629768467e-31, 1e-10},
		{"bgnbd moderate", BGNBD{0.243, 4.414, 0.793, 2.426}, 20, 3.1237032477791185127e-23, 1e-10},
		{"mbgnbd", MBGNBD{0.525, 6.183, 0.891, 1.614}, 26, 1.3746354947792183417e-27, 1e-10},
		{"pnbd", ParetoNBD{0.553, 10.578, 0.606, 11.669}, 40, 3.2980477226237460553e-35, 1e-8},
		{"pnbd moderate", ParetoNBD{0.553, 10.578, 0.606, 11.669}, 20, 7.9769148908530626627e-18, 1e-8},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := c.m.PAlive(c.x, 1, 78)
			if !(math.Abs(got/c.want-1) < c.tol) {
				t.Errorf("P(alive | x=%v, t_x=1, T=78) = %v, want %v (relative %g)", c.x, got, c.want, c.tol)
			}
		})
	}
}
