package btyd

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/stat/distuv"
)

// simulate draws n customers from a BG/NBD (pareto = false) or Pareto/NBD
// process with the given parameters, observed for T uniform on 1..maxDays
// days; times are in weeks, rounded down to whole days as in a transaction
// export. The source is seeded, so the data are the same on every run.
func simulate(n int, pareto bool, p [4]float64, maxDays int, seed uint64) (x, tx, T []float64) {
	src := rand.NewPCG(seed, 7)
	rng := rand.New(src)
	lam := distuv.Gamma{Alpha: p[0], Beta: p[1], Src: src}
	var drop distuv.Beta
	var mu distuv.Gamma
	if pareto {
		mu = distuv.Gamma{Alpha: p[2], Beta: p[3], Src: src}
	} else {
		drop = distuv.Beta{Alpha: p[2], Beta: p[3], Src: src}
	}
	x, tx, T = make([]float64, n), make([]float64, n), make([]float64, n)
	for i := range n {
		days := 1 + rng.IntN(maxDays)
		Ti := float64(days) / 7
		l := lam.Rand()
		end := Ti
		var pd float64
		if pareto {
			end = math.Min(Ti, rng.ExpFloat64()/mu.Rand())
		} else {
			pd = drop.Rand()
		}
		t, last, k := 0.0, 0.0, 0
		for {
			t += rng.ExpFloat64() / l
			if t > end {
				break
			}
			k++
			last = t
			if !pareto && rng.Float64() < pd {
				break
			}
		}
		T[i] = Ti
		if k > 0 {
			// Repeat purchases on whole days after the first; same-day ones merge.
			x[i], tx[i] = float64(k), math.Min(math.Floor(last*7)/7, Ti)
			if tx[i] == 0 {
				x[i], tx[i] = 0, 0
			}
		}
	}
	return x, tx, T
}

// A fit recovers the parameters the data were simulated from, within four
// standard errors (a check that can fail, unlike a fixed expected output).
func TestRecoverSimulatedParameters(t *testing.T) {
	cases := []struct {
		name   string
		pareto bool
		p      [4]float64
		fit    func(x, tx, T, w []float64, o Options) (*Result, error)
	}{
		{"bgnbd", false, [4]float64{0.8, 4, 0.6, 3}, FitBGNBD},
		{"pnbd", true, [4]float64{0.8, 4, 0.7, 20}, FitParetoNBD},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			x, tx, T := simulate(20000, c.pareto, c.p, 728, 42)
			res, err := c.fit(x, tx, T, nil, Options{})
			if err != nil {
				t.Fatal(err)
			}
			for i := range c.p {
				if math.Abs(res.Params[i]-c.p[i]) > 4*res.SE[i] {
					t.Errorf("%s = %.4f ± %.4f, simulated with %g", res.Names[i], res.Params[i], res.SE[i], c.p[i])
				}
			}
		})
	}
}

func benchmarkFit(b *testing.B, pareto bool, fit func(x, tx, T, w []float64, o Options) (*Result, error)) {
	for _, n := range []int{10_000, 100_000, 1_000_000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			p := [4]float64{0.8, 4, 0.6, 3}
			if pareto {
				p = [4]float64{0.8, 4, 0.7, 20}
			}
			x, tx, T := simulate(n, pareto, p, 728, 1)
			b.ResetTimer()
			for b.Loop() {
				if _, err := fit(x, tx, T, nil, Options{}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkFitBGNBD(b *testing.B)     { benchmarkFit(b, false, FitBGNBD) }
func BenchmarkFitParetoNBD(b *testing.B) { benchmarkFit(b, true, FitParetoNBD) }

func BenchmarkPredictBGNBD(b *testing.B) {
	for _, n := range []int{10_000, 100_000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			x, tx, T := simulate(n, false, [4]float64{0.8, 4, 0.6, 3}, 728, 1)
			m := BGNBD{0.8, 4, 0.6, 3}
			b.ResetTimer()
			for b.Loop() {
				if _, err := Predict(m, x, tx, T, nil, PredictOptions{Horizon: 52, Discount: 0.002}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
