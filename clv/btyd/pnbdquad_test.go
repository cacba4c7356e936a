package btyd

import (
	"math"
	"testing"
)

// pnbdQuad against 2F1(1, p; q; z) and its derivatives in p, q and z from
// mpmath 1.3.0 (hyp2f1 and diff at 40 digits, at z = the float64 1-w the
// test passes, as S is ill-conditioned in z near 1), at points as the Pareto/NBD
// likelihood uses them (p = s+1 with q = r+s+x+1, or p = r+x with q = p+s+1),
// 1-z from 9e-4 down to 1e-6, where the series needs 10^4 to 10^8 terms.
// Tolerance 1e-12 relative.
func TestPnbdQuadMpmath(t *testing.T) {
	cases := []struct{ p, q, w, S, Sp, Sq, Sz float64 }{
		{1.00007, 1.20007, 0.0009, 291.93226765266904069, 1936.0823439523393222, 1852.8778226047317503, 259659.38977247510866},
		{1.00007, 1.20007, 1e-05, 10689.58024554553088, 118924.86133721563467, 115845.73687405306727, 855184288.16189991111},
		{1.3, 2.23, 0.0001, 15.189706017287658929, 74.988153083246284539, 65.339431290215209745, 22915.339128194241414},
		{2.0, 3.93, 1e-05, 3.1496145651768256262, 3.3809516006319983588, 2.306408263091384364, 79.547004895268377222},
		{3.5, 9.5, 0.0001, 1.6998512723063680476, 0.3398905912993639414, 0.13995057734598095543, 1.4870539339195419655},
		{1.00007, 2.93007, 1e-06, 2.0753006201637934949, 2.2311384949392144627, 1.155932285738748156, 38.347840127362887889},
		// p = r+x large (the α >= β branch, r running off to infinity).
		{99033.54418795582, 99037.28719077699, 4e-05, 13607.930229449099973, 1736.7239814491925316, 1736.6653835264427257, 195108649.18835926391},
		{500.25, 502.5, 0.0001, 364.33101855794783561, 244.74059036427024624, 244.06982632281290098, 278633.53934602400606},
		{40.5, 41.7, 0.0005, 98.082120031813289817, 157.97184156388242435, 156.03890949741942763, 38213.933092536604228},
		{3.2, 20.5, 1e-05, 1.1963165163071202783, 0.073392705868087128434, 0.012043922833069395437, 0.25020904389388151773},
	}
	for _, c := range cases {
		S, Sp, Sq, Sz, ok := pnbdQuad(c.p, c.q, 1-c.w)
		if !ok {
			t.Fatalf("p=%g q=%g 1-z=%g: not ok", c.p, c.q, c.w)
		}
		for _, v := range []struct {
			name      string
			got, want float64
		}{{"S", S, c.S}, {"Sp", Sp, c.Sp}, {"Sq", Sq, c.Sq}, {"Sz", Sz, c.Sz}} {
			// With p ~ 1e5 the integrand exp(-p log g) carries rounding of
			// p·eps·|log g| ~ 1e-11 in double precision: a looser bound there.
			tol := 1e-12
			if c.p > 1e4 {
				tol = 1e-11
			}
			if math.Abs(v.got/v.want-1) > tol {
				t.Errorf("p=%g q=%g 1-z=%g: %s = %.17g, mpmath %.17g (rel %.1e)", c.p, c.q, c.w, v.name, v.got, v.want, math.Abs(v.got/v.want-1))
			}
		}
	}
}

// Where both apply (1-z = 9e-4, at most a few 10^4 terms), integral and series
// agree within 1e-10 relative: the switch between them is no visible step
// for the optimiser (the series itself carries rounding of that order).
func TestPnbdQuadMatchesSeries(t *testing.T) {
	for _, p := range []float64{1.00007, 1.3, 2, 3.5} {
		for _, d := range []float64{0.2, 0.93, 1, 1.5, 1.93, 3, 6} {
			q := p + d
			s1, p1, q1, z1, ok1 := pnbdSeries(p, q, 1-9e-4)
			s2, p2, q2, z2, ok2 := pnbdQuad(p, q, 1-9e-4)
			if !ok1 || !ok2 {
				t.Fatalf("p=%g q=%g: ok %v %v", p, q, ok1, ok2)
			}
			for i, v := range [][2]float64{{s1, s2}, {p1, p2}, {q1, q2}, {z1, z2}} {
				if math.Abs(v[1]-v[0]) > 1e-10*math.Abs(v[0]) {
					t.Errorf("p=%g q=%g: value %d integral %.16g, series %.16g", p, q, i, v[1], v[0])
				}
			}
		}
	}
}
