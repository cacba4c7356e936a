package btyd

import (
	"errors"
	"math"
	"testing"
)

// Every model must give finite likelihoods and predictions over its whole
// domain: no purchases, a thousand purchases, t_x = T, and a huge T.
func TestStabilityExtremeCustomers(t *testing.T) {
	models := map[string]Counter{
		"bgnbd":    BGNBD{0.243, 4.414, 0.793, 2.426},
		"mbgnbd":   MBGNBD{0.525, 6.183, 0.891, 1.614},
		"pnbd":     ParetoNBD{0.553, 10.578, 0.606, 11.669},
		"pnbd-s1":  ParetoNBD{0.553, 10.578, 1, 11.669},
		"bgnbd-a1": BGNBD{0.243, 4.414, 1, 2.426},
	}
	rows := []struct{ x, tx, T float64 }{
		{0, 0, 0}, {0, 0, 38.86}, {1000, 38, 38.86}, {1000, 38.86, 38.86}, {1000, 0.5, 38.86},
		{5, 1e6, 1e6}, {0, 0, 1e6}, {300, 200, 1e6}, {1, 1e-9, 1e-9},
	}
	for name, m := range models {
		for _, r := range rows {
			ll := m.LogLikelihood(r.x, r.tx, r.T)
			pa := m.PAlive(r.x, r.tx, r.T)
			ce, err := m.ConditionalExpected(52, r.x, r.tx, r.T)
			if err != nil || math.IsNaN(ll) || math.IsInf(ll, 0) || !(pa >= 0 && pa <= 1) || !(ce >= 0) || math.IsInf(ce, 0) {
				t.Errorf("%s %+v: LL %v, P(alive) %v, E[Y(52)] %v, err %v", name, r, ll, pa, ce, err)
			}
		}
	}
	bb := BGBB{1.204, 0.750, 0.657, 2.783}
	for _, r := range []struct{ x, tx, n float64 }{{0, 0, 6}, {0, 0, 2000}, {1000, 1000, 1000}, {1000, 1500, 2000}, {1, 1, 1}} {
		ll := bb.LogLikelihood(r.x, r.tx, r.n)
		pa := bb.PAlive(r.x, r.tx, r.n)
		ce, err := bb.ConditionalExpected(10, r.x, r.tx, r.n)
		if err != nil || math.IsNaN(ll) || math.IsInf(ll, 0) || !(pa >= 0 && pa <= 1) || !(ce >= 0) {
			t.Errorf("bgbb %+v: LL %v, P(alive) %v, E %v, err %v", r, ll, pa, ce, err)
		}
	}
}

// Buying more often with the same recency raises P(alive) only up to a point:
// for a long-silent customer a high x makes death more likely (the
// "increasing frequency paradox" of Fader, Hardie & Lee 2005, Figure 5).
func TestPAliveMonotoneInRecency(t *testing.T) {
	for _, m := range []Counter{BGNBD{0.243, 4.414, 0.793, 2.426}, ParetoNBD{0.553, 10.578, 0.606, 11.669}} {
		prev := 0.0
		for tx := 1.0; tx <= 39; tx += 2 {
			p := m.PAlive(5, tx, 39)
			if p < prev {
				t.Errorf("%T: P(alive | x=5, t_x=%g) = %v below the value at t_x-2 (%v)", m, tx, p, prev)
			}
			prev = p
		}
	}
}

func TestFitErrors(t *testing.T) {
	zeros := []float64{0, 0, 0, 0}
	T := []float64{10, 20, 30, 40}
	t.Run("no repeat purchases", func(t *testing.T) {
		for _, fit := range []func(x, tx, T, w []float64, o Options) (*Result, error){FitBGNBD, FitParetoNBD, FitMBGNBD} {
			if _, err := fit(zeros, zeros, T, nil, Options{}); !errors.Is(err, ErrNotIdentified) {
				t.Errorf("err = %v, want ErrNotIdentified", err)
			}
		}
	})
	t.Run("t_x beyond T", func(t *testing.T) {
		if _, err := FitBGNBD([]float64{1}, []float64{12}, []float64{10}, nil, Options{}); !errors.Is(err, ErrInvalidData) {
			t.Errorf("err = %v, want ErrInvalidData", err)
		}
	})
	t.Run("iteration limit", func(t *testing.T) {
		s := loadCDNOW(t)
		_, err := FitParetoNBD(s.x, s.tx, s.T, nil, Options{MaxIterations: 2})
		if !errors.Is(err, ErrNotConverged) {
			t.Errorf("err = %v, want ErrNotConverged", err)
		}
	})
	t.Run("gamma-gamma without spend", func(t *testing.T) {
		if _, err := FitGammaGamma([]float64{0, 0, 1}, []float64{0, 0, 5}, nil, Options{}); !errors.Is(err, ErrNotIdentified) {
			t.Errorf("err = %v, want ErrNotIdentified", err)
		}
	})
}

// The L2 penalty shrinks the estimates (lifetimes' penalizer test, reproduced
// as a property: the penalised sum of parameters is smaller).
func TestPenalizerShrinks(t *testing.T) {
	s := loadCDNOW(t)
	free, err := FitBGNBD(s.x, s.tx, s.T, nil, Options{})
	if err != nil {
		t.Fatal(err)
	}
	pen, err := FitBGNBD(s.x, s.tx, s.T, nil, Options{Penalizer: 0.1})
	if err != nil {
		t.Fatal(err)
	}
	sum := func(p []float64) float64 { return p[0] + p[1]/free.TimeScale + p[2] + p[3] }
	if !(sum(pen.Params) < sum(free.Params)) || !(pen.LogLikelihood < free.LogLikelihood) {
		t.Errorf("penalised %v (LL %v) vs free %v (LL %v)", pen.Params, pen.LogLikelihood, free.Params, free.LogLikelihood)
	}
}

// Weighted rows give the same fit as the expanded rows.
func TestWeightsEqualRepeatedRows(t *testing.T) {
	s := loadCDNOW(t)
	a, err := FitParetoNBD(s.x, s.tx, s.T, nil, Options{})
	if err != nil {
		t.Fatal(err)
	}
	w := make([]float64, len(s.x))
	for i := range w {
		w[i] = 2
	}
	b, err := FitParetoNBD(s.x, s.tx, s.T, w, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for i := range a.Params {
		if relErr(b.Params[i], a.Params[i]) > 1e-5 {
			t.Errorf("%s: doubled weights %v, single %v", a.Names[i], b.Params[i], a.Params[i])
		}
	}
	if relErr(b.LogLikelihood, 2*a.LogLikelihood) > 1e-9 {
		t.Errorf("LL doubled weights %v, want %v", b.LogLikelihood, 2*a.LogLikelihood)
	}
}

// Time rescaling: the same data in days gives alpha (and beta) 7 times the
// weekly values and the same P(alive) (lifetimes' scaling test as a property).
func TestUnitInvariance(t *testing.T) {
	s := loadCDNOW(t)
	days := func(v []float64) []float64 {
		o := make([]float64, len(v))
		for i := range v {
			o[i] = v[i] * 7
		}
		return o
	}
	wk, err := FitBGNBD(s.x, s.tx, s.T, nil, Options{})
	if err != nil {
		t.Fatal(err)
	}
	dy, err := FitBGNBD(s.x, days(s.tx), days(s.T), nil, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if relErr(dy.Params[1], 7*wk.Params[1]) > 1e-5 || relErr(dy.Params[0], wk.Params[0]) > 1e-5 {
		t.Errorf("daily %v vs weekly %v", dy.Params, wk.Params)
	}
}

// Fits stay finite when the data hold extreme customers: a thousand repeat
// purchases, t_x = T, and an age a hundred times the others.
func TestFitWithExtremeCustomers(t *testing.T) {
	s := loadCDNOW(t)
	x := append(append([]float64(nil), s.x...), 1000, 1000, 400, 0)
	tx := append(append([]float64(nil), s.tx...), 38, 38.86, 1, 0)
	T := append(append([]float64(nil), s.T...), 38.86, 38.86, 3800, 3900)
	fits := map[string]func(x, tx, T, w []float64, o Options) (*Result, error){
		"bgnbd": FitBGNBD, "pnbd": FitParetoNBD, "mbgnbd": FitMBGNBD,
	}
	for name, fit := range fits {
		t.Run(name, func(t *testing.T) {
			res, err := fit(x, tx, T, nil, Options{})
			if err != nil {
				t.Fatal(err)
			}
			if math.IsNaN(res.LogLikelihood) || math.IsInf(res.LogLikelihood, 0) || !res.Converged {
				t.Errorf("%+v", res)
			}
			m, err := res.Counter()
			if err != nil {
				t.Fatal(err)
			}
			p, err := Predict(m, x, tx, T, nil, PredictOptions{Horizon: 52, Discount: 0.01})
			if err != nil {
				t.Fatal(err)
			}
			for i := range p.Expected {
				if math.IsNaN(p.Expected[i]) || math.IsInf(p.Expected[i], 0) || math.IsNaN(p.PAlive[i]) {
					t.Fatalf("customer %d (x=%v, t_x=%v, T=%v): P(alive) %v, E %v", i, x[i], tx[i], T[i], p.PAlive[i], p.Expected[i])
				}
			}
		})
	}
}

// ConditionalExpected = PAlive × ExpectedIfAlive for every model, and the
// conditional expectation of a brand-new customer (x = t_x = T = 0) under
// BG/NBD and Pareto/NBD is the population curve E[X(t)].
func TestExpectationIdentities(t *testing.T) {
	models := []Counter{
		BGNBD{0.243, 4.414, 0.793, 2.426}, MBGNBD{0.525, 6.183, 0.891, 1.614},
		ParetoNBD{0.553, 10.578, 0.606, 11.669}, BGBB{1.204, 0.750, 0.657, 2.783},
	}
	for _, m := range models {
		for _, c := range []struct{ x, tx, T float64 }{{0, 0, 6}, {2, 4, 6}, {5, 5, 6}, {3, 3, 5}} {
			ce, err1 := m.ConditionalExpected(5, c.x, c.tx, c.T)
			ia, err2 := m.ExpectedIfAlive(5, c.x, c.T)
			if err1 != nil || err2 != nil || math.Abs(ce-m.PAlive(c.x, c.tx, c.T)*ia) > 1e-12*math.Max(1, ce) {
				t.Errorf("%T %+v: E %v vs P(alive)·E|alive %v", m, c, ce, m.PAlive(c.x, c.tx, c.T)*ia)
			}
		}
	}
	for _, m := range models[:3] {
		if _, ok := m.(MBGNBD); ok {
			continue
		}
		ce, _ := m.ConditionalExpected(26, 0, 0, 0)
		e, _ := m.Expected(26)
		if math.Abs(ce-e) > 1e-12 {
			t.Errorf("%T: E[Y(26)|0,0,0] = %v, E[X(26)] = %v", m, ce, e)
		}
	}
}

// BG/BB E[X(n)] from its closed form equals the sum over opportunities of
// P(alive at t) E[p] = α/(α+β) Σ_{t=1..n} B(γ, δ+t)/B(γ, δ), straight from the
// model's definition (alive at opportunity t with probability (1-θ)^t).
func TestBGBBExpectedBySum(t *testing.T) {
	for _, m := range []BGBB{{1.204, 0.750, 0.657, 2.783}, {0.5, 2, 1, 3}, {2, 1, 3.5, 0.8}} {
		sum := 0.0
		for n := 1; n <= 30; n++ {
			sum += m.Alpha / (m.Alpha + m.Beta) * math.Exp(lbeta(m.Gamma, m.Delta+float64(n))-lbeta(m.Gamma, m.Delta))
			e, err := m.Expected(float64(n))
			if err != nil || math.Abs(e-sum) > 1e-10*sum {
				t.Errorf("%+v: E[X(%d)] = %v, sum %v", m, n, e, sum)
			}
		}
	}
}
