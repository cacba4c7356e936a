package btyd

import (
	"math"
	"testing"
)

// The analytic gradients agree with central differences of the objective,
// and the objectives agree with the per-customer log-likelihoods.
func TestAnalyticGradients(t *testing.T) {
	s := loadCDNOW(t)
	d, err := newCountData(s.x, s.tx, s.T, nil, true)
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name  string
		obj   objective
		theta []float64
		ll    func(th []float64, x, tx, T float64) float64
	}{
		{"bgnbd", bgObjective(d, 0), []float64{0.3, 0.15, 0.8, 2.5}, func(th []float64, x, tx, T float64) float64 {
			return BGNBD{th[0], th[1], th[2], th[3]}.LogLikelihood(x, tx, T)
		}},
		{"mbgnbd", bgObjective(d, 1), []float64{0.5, 0.2, 0.9, 1.6}, func(th []float64, x, tx, T float64) float64 {
			return MBGNBD{th[0], th[1], th[2], th[3]}.LogLikelihood(x, tx, T)
		}},
		{"pnbd a>b", pnbdObjective(d), []float64{0.55, 0.27, 0.6, 0.2}, func(th []float64, x, tx, T float64) float64 {
			return ParetoNBD{th[0], th[1], th[2], th[3]}.LogLikelihood(x, tx, T)
		}},
		{"pnbd a<b", pnbdObjective(d), []float64{0.55, 0.27, 0.6, 0.3}, func(th []float64, x, tx, T float64) float64 {
			return ParetoNBD{th[0], th[1], th[2], th[3]}.LogLikelihood(x, tx, T)
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			g := make([]float64, 4)
			v := c.obj.nll(c.theta, g)
			want := 0.0
			for i := range d.x {
				want -= d.w[i] * c.ll(c.theta, d.x[i], d.tx[i], d.T[i])
			}
			if math.Abs(v-want) > 1e-9*math.Abs(want) {
				t.Errorf("objective %.10f, sum of log-likelihoods %.10f", v, want)
			}
			for q := range 4 {
				th := append([]float64(nil), c.theta...)
				h := 1e-6 * th[q]
				th[q] += h
				fp := c.obj.nll(th, nil)
				th[q] -= 2 * h
				fm := c.obj.nll(th, nil)
				num := (fp - fm) / (2 * h)
				if math.Abs(g[q]-num) > 1e-5*math.Max(1, math.Abs(num)) {
					t.Errorf("d/d%s: analytic %.8g, numeric %.8g", c.obj.names[q], g[q], num)
				}
			}
		})
	}
}

// Gamma-Gamma: the analytic gradient agrees with central differences, and
// the objective with the per-customer log-likelihoods.
func TestGammaGammaGradient(t *testing.T) {
	s := loadCDNOW(t)
	var xs, ms, ws []float64
	for i := range s.x {
		if s.x[i] > 0 && s.m[i] > 0 {
			xs, ms, ws = append(xs, s.x[i]), append(ms, s.m[i]), append(ws, 1)
		}
	}
	obj := ggObjective(xs, ms, ws, float64(len(xs)))
	theta := []float64{5, 3, 12}
	g := make([]float64, 3)
	v := obj.nll(theta, g)
	want := 0.0
	for i := range xs {
		want -= GammaGamma{theta[0], theta[1], theta[2]}.LogLikelihood(xs[i], ms[i])
	}
	if math.Abs(v-want) > 1e-9*math.Abs(want) {
		t.Errorf("objective %.10f, sum of log-likelihoods %.10f", v, want)
	}
	for q := range 3 {
		th := append([]float64(nil), theta...)
		h := 1e-6 * th[q]
		th[q] += h
		fp := obj.nll(th, nil)
		th[q] -= 2 * h
		fm := obj.nll(th, nil)
		if num := (fp - fm) / (2 * h); math.Abs(g[q]-num) > 1e-5*math.Max(1, math.Abs(num)) {
			t.Errorf("d/d%s: analytic %.8g, numeric %.8g", obj.names[q], g[q], num)
		}
	}
}
