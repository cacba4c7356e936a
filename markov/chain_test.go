package markov

import (
	"errors"
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/mat"
)

func mustNew(t testing.TB, states []string, p [][]float64) *Chain {
	t.Helper()
	c, err := New(states, p)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func near(a, b, tol float64) bool { return math.Abs(a-b) <= tol }

// pcChain is the direct-marketing example of Pfeifer & Carraway (2000),
// "Modeling customer relationships as Markov chains", J. Interactive
// Marketing 14(2): states are recency cells 1..5 (periods since the last
// purchase; 5 = former customer, no longer mailed), purchase probabilities
// p = .30, .20, .15, .05, 0 by recency; a purchaser returns to recency 1, a
// non-purchaser moves one cell down. Rewards: net contribution 40 minus
// mailing cost 4 in cell 1 (a purchase was just made), −4 mailing cost in
// cells 2..4, 0 in cell 5; discount rate d = 0.2 per period. The inputs
// are the paper's; the reference values below are the example's value
// equations solved by hand (pcBackSubstitution), independent of the matrix
// code, and give V = (52.32, 5.55, 1.25, −1.82, 0) at d = 0.2.
func pcChain(t testing.TB) (*Chain, []float64) {
	p := []float64{.30, .20, .15, .05}
	P := make([][]float64, 5)
	for i := range P {
		P[i] = make([]float64, 5)
		if i == 4 {
			P[i][4] = 1
			continue
		}
		P[i][0] = p[i]
		P[i][i+1] = 1 - p[i]
	}
	return mustNew(t, []string{"1", "2", "3", "4", "5"}, P), []float64{36, -4, -4, -4, 0}
}

// pcBackSubstitution solves the value equations of the recency chain by
// hand, without matrices: V5 = 0 and V_k = r_k + β(p_k V1 + (1−p_k) V_{k+1})
// for k = 1..4. Writing V_k = a_k + b_k V1 from k = 4 down to 2 and solving
// the k = 1 equation for V1 gives an independent check of ValueInfinite.
func pcBackSubstitution(d float64) []float64 {
	beta := 1 / (1 + d)
	p := []float64{.30, .20, .15, .05}
	r := []float64{36, -4, -4, -4}
	a, b := make([]float64, 5), make([]float64, 5) // V_k = a[k] + b[k] V1 (0-based k)
	for k := 3; k >= 1; k-- {
		a[k] = r[k] + beta*(1-p[k])*a[k+1]
		b[k] = beta*p[k] + beta*(1-p[k])*b[k+1]
	}
	// V1 = r1 + β p1 V1 + β (1−p1)(a2 + b2 V1)
	v1 := (r[0] + beta*(1-p[0])*a[1]) / (1 - beta*p[0] - beta*(1-p[0])*b[1])
	v := make([]float64, 5)
	v[0] = v1
	for k := 1; k < 4; k++ {
		v[k] = a[k] + b[k]*v1
	}
	return v
}

func TestPfeiferCarraway(t *testing.T) {
	c, R := pcChain(t)
	for _, d := range []float64{0.2, 0.1, 0.01} {
		want := pcBackSubstitution(d)
		got, err := c.ValueInfinite(R, d)
		if err != nil {
			t.Fatal(err)
		}
		for i := range want {
			if !near(got[i], want[i], 1e-9*math.Max(1, math.Abs(want[i]))) {
				t.Errorf("d=%g: V[%d] = %.12g, want %.12g", d, i+1, got[i], want[i])
			}
		}
	}
	// Qualitative facts of the example: a recent buyer is worth the most and
	// value falls with recency; a recency-4 customer is worth less than
	// nothing at these costs (mailing them loses money), the former customer
	// exactly nothing.
	v, _ := c.ValueInfinite(R, 0.2)
	for i := 1; i < 4; i++ {
		if v[i] >= v[i-1] {
			t.Errorf("value not decreasing in recency: %v", v)
		}
	}
	if v[3] >= 0 || v[4] != 0 {
		t.Errorf("V4 = %g should be negative and V5 = %g zero", v[3], v[4])
	}

	// What-if policy: stop mailing recency 4 (its purchase probability
	// becomes 0 and its cost 0). The recency-4 value rises to 0, and since
	// that state only loses money, every other value rises too.
	P := c.Matrix()
	P[3] = []float64{0, 0, 0, 0, 1}
	stop := mustNew(t, c.States(), P)
	v2, err := stop.ValueInfinite([]float64{36, -4, -4, 0, 0}, 0.2)
	if err != nil {
		t.Fatal(err)
	}
	if !near(v2[3], 0, 1e-12) {
		t.Errorf("V4 without mailing = %g, want 0", v2[3])
	}
	for i := 0; i < 3; i++ {
		if v2[i] <= v[i] {
			t.Errorf("V%d: stopping the unprofitable mailing should raise value: %g ≤ %g", i+1, v2[i], v[i])
		}
	}
}

// directSum computes Σ_{t=0..T} (βP)^t R with explicit matrix powers.
func directSum(c *Chain, R []float64, d float64, T int) []float64 {
	n := c.Len()
	m := c.dense()
	m.Scale(1/(1+d), m)
	acc := mat.NewVecDense(n, nil)
	pow := eye(n)
	r := mat.NewVecDense(n, append([]float64(nil), R...))
	for k := 0; k <= T; k++ {
		var term mat.VecDense
		term.MulVec(pow, r)
		acc.AddVec(acc, &term)
		var next mat.Dense
		next.Mul(pow, m)
		pow = &next
	}
	return acc.RawVector().Data
}

func TestValueFinite(t *testing.T) {
	pc, R := pcChain(t)
	// A recurrent three-state migration chain with negative and positive rewards.
	mig := mustNew(t, []string{"low", "mid", "high"}, [][]float64{
		{.6, .3, .1}, {.2, .5, .3}, {.1, .2, .7},
	})
	cases := []struct {
		name string
		c    *Chain
		R    []float64
		d    float64
	}{
		{"pfeifer-carraway", pc, R, 0.2},
		{"migration", mig, []float64{-1, 5, 20}, 0.05},
		{"undiscounted", mig, []float64{-1, 5, 20}, 0},
	}
	for _, tc := range cases {
		for _, T := range []int{0, 1, 2, 5, 12, 40} {
			t.Run(tc.name, func(t *testing.T) {
				got, err := tc.c.Value(tc.R, tc.d, T)
				if err != nil {
					t.Fatal(err)
				}
				want := directSum(tc.c, tc.R, tc.d, T)
				for i := range want {
					if !near(got[i], want[i], 1e-9*math.Max(1, math.Abs(want[i]))) {
						t.Errorf("T=%d V[%d] = %.12g, direct sum %.12g", T, i, got[i], want[i])
					}
				}
			})
		}
	}
	// T = 0 is the reward itself.
	v, _ := mig.Value([]float64{-1, 5, 20}, 0.1, 0)
	if v[0] != -1 || v[1] != 5 || v[2] != 20 {
		t.Errorf("T=0 value %v, want the rewards", v)
	}
}

func TestValueInfiniteIsLimitOfFinite(t *testing.T) {
	pc, R := pcChain(t)
	mig := mustNew(t, []string{"low", "mid", "high"}, [][]float64{
		{.6, .3, .1}, {.2, .5, .3}, {.1, .2, .7},
	})
	cases := []struct {
		name string
		c    *Chain
		R    []float64
		d    float64
	}{
		{"pfeifer-carraway d=0.2", pc, R, 0.2},
		{"migration d=0.05", mig, []float64{-1, 5, 20}, 0.05},
		{"migration d=0.01", mig, []float64{-1, 5, 20}, 0.01},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			inf, err := tc.c.ValueInfinite(tc.R, tc.d)
			if err != nil {
				t.Fatal(err)
			}
			// The tail after T periods is at most max|R| β^(T+1) / (1−β).
			T := int(math.Ceil(math.Log(1e-10*tc.d/(1+tc.d)/20) / math.Log(1/(1+tc.d))))
			fin, err := tc.c.Value(tc.R, tc.d, T)
			if err != nil {
				t.Fatal(err)
			}
			for i := range inf {
				if !near(inf[i], fin[i], 1e-8) {
					t.Errorf("V[%d]: infinite %.12g, T=%d finite %.12g", i, inf[i], T, fin[i])
				}
			}
		})
	}
}

func TestValueErrors(t *testing.T) {
	pc, R := pcChain(t)
	if _, err := pc.ValueInfinite(R, 0); !errors.Is(err, ErrSingular) {
		t.Errorf("d = 0: err = %v, want ErrSingular", err)
	}
	for _, d := range []float64{-0.1, math.NaN(), math.Inf(1)} {
		if _, err := pc.ValueInfinite(R, d); !errors.Is(err, ErrInvalid) {
			t.Errorf("d = %v: err = %v, want ErrInvalid", d, err)
		}
		if _, err := pc.Value(R, d, 3); !errors.Is(err, ErrInvalid) {
			t.Errorf("finite d = %v: err = %v, want ErrInvalid", d, err)
		}
	}
	if _, err := pc.Value(R[:3], 0.1, 3); !errors.Is(err, ErrInvalid) {
		t.Errorf("short rewards: err = %v, want ErrInvalid", err)
	}
	if _, err := pc.Value(R, 0.1, -1); !errors.Is(err, ErrInvalid) {
		t.Errorf("negative horizon: err = %v, want ErrInvalid", err)
	}
	if _, err := pc.Value([]float64{math.NaN(), 0, 0, 0, 0}, 0.1, 1); !errors.Is(err, ErrInvalid) {
		t.Errorf("NaN reward: err = %v, want ErrInvalid", err)
	}
}

func TestNewValidation(t *testing.T) {
	cases := []struct {
		name   string
		states []string
		P      [][]float64
	}{
		{"no states", nil, nil},
		{"row count", []string{"a", "b"}, [][]float64{{1, 0}}},
		{"row length", []string{"a", "b"}, [][]float64{{1, 0}, {1}}},
		{"row sum", []string{"a", "b"}, [][]float64{{.5, .4}, {0, 1}}},
		{"negative", []string{"a", "b"}, [][]float64{{1.2, -.2}, {0, 1}}},
		{"nan", []string{"a", "b"}, [][]float64{{math.NaN(), 1}, {0, 1}}},
		{"inf", []string{"a", "b"}, [][]float64{{math.Inf(1), 0}, {0, 1}}},
		{"duplicate name", []string{"a", "a"}, [][]float64{{1, 0}, {0, 1}}},
		{"empty name", []string{"a", " "}, [][]float64{{1, 0}, {0, 1}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := New(tc.states, tc.P); !errors.Is(err, ErrInvalid) {
				t.Errorf("err = %v, want ErrInvalid", err)
			}
		})
	}
	// Rows within Tolerance are accepted and renormalised.
	c, err := New([]string{"a", "b"}, [][]float64{{1.0 / 3, 2.0 / 3}, {0.3333333, 0.6666666}})
	if err != nil {
		t.Fatal(err)
	}
	if s := c.At(1, 0) + c.At(1, 1); !near(s, 1, 1e-15) {
		t.Errorf("row sum after renormalising = %.17g", s)
	}
}

// TestDrunkardsWalk checks the absorbing-chain quantities against the
// drunkard's walk of Grinstead & Snell, Introduction to Probability (2nd
// rev. ed., AMS 1997), §11.2, Examples 11.13–11.16: states 0..4 on a street,
// 0 and 4 absorbing, steps left/right with probability 1/2. Published
// values: N = [[3/2, 1, 1/2], [1, 2, 1], [1/2, 1, 3/2]], t = (3, 4, 3),
// B = [[3/4, 1/4], [1/2, 1/2], [1/4, 3/4]].
func TestDrunkardsWalk(t *testing.T) {
	P := [][]float64{
		{1, 0, 0, 0, 0},
		{.5, 0, .5, 0, 0},
		{0, .5, 0, .5, 0},
		{0, 0, .5, 0, .5},
		{0, 0, 0, 0, 1},
	}
	c := mustNew(t, []string{"0", "1", "2", "3", "4"}, P)
	a, err := c.Absorption()
	if err != nil {
		t.Fatal(err)
	}
	const tol = 1e-12
	wantN := [][]float64{{1.5, 1, .5}, {1, 2, 1}, {.5, 1, 1.5}}
	wantT := []float64{3, 4, 3}
	wantB := [][]float64{{.75, .25}, {.5, .5}, {.25, .75}}
	if len(a.Transient) != 3 || a.Transient[0] != 1 || len(a.Absorbing) != 2 || a.Absorbing[1] != 4 {
		t.Fatalf("transient %v absorbing %v", a.Transient, a.Absorbing)
	}
	for i := range wantN {
		for j := range wantN[i] {
			if !near(a.N[i][j], wantN[i][j], tol) {
				t.Errorf("N[%d][%d] = %g, want %g", i, j, a.N[i][j], wantN[i][j])
			}
		}
		if !near(a.Periods[i], wantT[i], tol) {
			t.Errorf("t[%d] = %g, want %g", i, a.Periods[i], wantT[i])
		}
		for k := range wantB[i] {
			if !near(a.Probabilities[i][k], wantB[i][k], tol) {
				t.Errorf("B[%d][%d] = %g, want %g", i, k, a.Probabilities[i][k], wantB[i][k])
			}
		}
	}
	// Variance (2N − I)t − t²: from the middle, 2·(1·3+2·4+1·3) − 4 − 16 = 8;
	// from an end, 2·(1.5·3+1·4+.5·3) − 3 − 9 = 8 (Grinstead & Snell
	// Theorem 11.6 applied to the numbers above).
	for i, want := range []float64{8, 8, 8} {
		if !near(a.Variance[i], want, 1e-9) {
			t.Errorf("variance[%d] = %g, want %g", i, a.Variance[i], want)
		}
	}
	if got := a.PeriodsByState(5); got[0] != 0 || got[4] != 0 || !near(got[2], 4, tol) {
		t.Errorf("PeriodsByState = %v", got)
	}
}

func TestAbsorptionErrors(t *testing.T) {
	oz := landOfOz(t)
	if _, err := oz.Absorption(); !errors.Is(err, ErrNotAbsorbing) {
		t.Errorf("recurrent chain: err = %v, want ErrNotAbsorbing", err)
	}
	// b and c form a closed class that never reaches the absorbing state a.
	c := mustNew(t, []string{"a", "b", "c"}, [][]float64{{1, 0, 0}, {0, .5, .5}, {0, .5, .5}})
	if _, err := c.Absorption(); !errors.Is(err, ErrNotAbsorbing) {
		t.Errorf("trapped states: err = %v, want ErrNotAbsorbing", err)
	}
}

// landOfOz is Example 11.1 of Grinstead & Snell (weather in the Land of Oz:
// rain, nice, snow); its stationary (fixed) vector is w = (2/5, 1/5, 2/5)
// (Example 11.19 there).
func landOfOz(t testing.TB) *Chain {
	return mustNew(t, []string{"R", "N", "S"}, [][]float64{
		{.5, .25, .25}, {.5, 0, .5}, {.25, .25, .5},
	})
}

func TestStationary(t *testing.T) {
	pc, _ := pcChain(t)
	cases := []struct {
		name string
		c    *Chain
		want []float64
	}{
		{"land of oz", landOfOz(t), []float64{.4, .2, .4}},
		// A single absorbing class: all mass ends in the former-customer state.
		{"pfeifer-carraway", pc, []float64{0, 0, 0, 0, 1}},
		// Periodic two-state flip: unique π although Pⁿ does not converge.
		{"periodic", mustNew(t, []string{"a", "b"}, [][]float64{{0, 1}, {1, 0}}), []float64{.5, .5}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			pi, err := tc.c.Stationary()
			if err != nil {
				t.Fatal(err)
			}
			for i := range tc.want {
				if !near(pi[i], tc.want[i], 1e-12) {
					t.Errorf("π = %v, want %v", pi, tc.want)
					break
				}
			}
		})
	}
	two := mustNew(t, []string{"a", "b", "c"}, [][]float64{{1, 0, 0}, {.5, 0, .5}, {0, 0, 1}})
	if _, err := two.Stationary(); !errors.Is(err, ErrNoStationary) {
		t.Errorf("two absorbing states: err = %v, want ErrNoStationary", err)
	}
}

func TestForecast(t *testing.T) {
	oz := landOfOz(t)
	// Grinstead & Snell Example 11.2: from rain, P² row 1 = (.4375, .1875, .375).
	f, err := oz.Forecast([]float64{1, 0, 0}, 2)
	if err != nil {
		t.Fatal(err)
	}
	want := []float64{.4375, .1875, .375}
	for j := range want {
		if !near(f[2][j], want[j], 1e-12) {
			t.Errorf("x(2) = %v, want %v", f[2], want)
		}
	}
	// Counts stay counts and the total is conserved.
	f, _ = oz.Forecast([]float64{100, 50, 10}, 30)
	total := 0.0
	for _, v := range f[30] {
		total += v
	}
	if !near(total, 160, 1e-9) || !near(f[30][1]/total, .2, 1e-9) {
		t.Errorf("x(30) = %v", f[30])
	}
	if _, err := oz.Forecast([]float64{1, 0}, 2); !errors.Is(err, ErrInvalid) {
		t.Errorf("short vector: err = %v", err)
	}
	if _, err := oz.Forecast([]float64{-1, 0, 2}, 2); !errors.Is(err, ErrInvalid) {
		t.Errorf("negative entry: err = %v", err)
	}
}

func TestClassesAndWithAbsorbing(t *testing.T) {
	pc, _ := pcChain(t)
	cl := pc.Classes()
	// {1,2,3,4} communicate (recency 1 is reachable from 2..4) and leak into the closed {5}.
	if len(cl) != 2 || len(cl[0].States) != 4 || cl[0].Closed || !cl[1].Closed {
		t.Fatalf("classes = %+v", cl)
	}
	// First passage in the Land of Oz: expected days until the first nice
	// day. Grinstead & Snell Example 11.29 (mean first passage times):
	// m(R,N) = m(S,N) = 4.
	oz := landOfOz(t)
	ab, err := oz.WithAbsorbing(1)
	if err != nil {
		t.Fatal(err)
	}
	a, err := ab.Absorption()
	if err != nil {
		t.Fatal(err)
	}
	got := a.PeriodsByState(3)
	if !near(got[0], 4, 1e-12) || !near(got[2], 4, 1e-12) || got[1] != 0 {
		t.Errorf("periods until first nice day = %v, want (4, 0, 4)", got)
	}
	if oz.At(1, 1) != 0 {
		t.Error("WithAbsorbing changed the original chain")
	}
}

func TestEstimateSynthetic(t *testing.T) {
	// True chain: a churn-like absorbing state and three active states.
	states := []string{"new", "active", "lapsing", "churned"}
	truth := mustNew(t, states, [][]float64{
		{.10, .55, .25, .10},
		{0, .70, .20, .10},
		{0, .30, .40, .30},
		{0, 0, 0, 1},
	})
	rng := rand.New(rand.NewPCG(20001, 5))
	tr, err := NewTransitions(states)
	if err != nil {
		t.Fatal(err)
	}
	const customers, periods = 20000, 24
	seq := make([]int, periods)
	for c := 0; c < customers; c++ {
		start := rng.IntN(periods) // customers join at different periods
		for p := range seq {
			seq[p] = -1
		}
		s := 0
		for p := start; p < periods; p++ {
			seq[p] = s
			u, acc := rng.Float64(), 0.0
			next := len(states) - 1
			for j := range states {
				acc += truth.At(s, j)
				if u < acc {
					next = j
					break
				}
			}
			s = next
		}
		tr.AddSequence(seq)
	}
	fit, err := Estimate(tr, EstimateOptions{Absorbing: []int{3}})
	if err != nil {
		t.Fatal(err)
	}
	se := fit.StdErr()
	for i := 0; i < 3; i++ {
		if fit.Totals[i] < 1000 {
			t.Fatalf("row %d has only %d transitions", i, fit.Totals[i])
		}
		for j := range states {
			got, want := fit.Chain.At(i, j), truth.At(i, j)
			// 4.5 standard errors: a false alarm in any of the 12 cells has
			// probability below 1e-4.
			tol := 4.5 * math.Max(se[i][j], math.Sqrt(want*(1-want)/float64(fit.Totals[i])))
			if math.Abs(got-want) > tol+1e-12 {
				t.Errorf("P[%s][%s] = %.4f, true %.4f (tolerance %.4f, n=%d)", states[i], states[j], got, want, tol, fit.Totals[i])
			}
		}
	}
	if !fit.Fixed[3] || fit.Chain.At(3, 3) != 1 {
		t.Error("churned row should be fixed absorbing")
	}
}

func TestEstimateCountsAndSmoothing(t *testing.T) {
	tr, _ := NewTransitions([]string{"a", "b"})
	tr.AddSequence([]int{0, 0, 1, -1, 1, 0})
	tr.AddCount(1, 1, 3)
	// Pairs: a→a, a→b, (b→miss skipped), (miss→b skipped), b→a, plus 3 × b→b.
	wantCounts := [][]int64{{1, 1}, {1, 3}}
	for i := range wantCounts {
		for j := range wantCounts[i] {
			if tr.Count(i, j) != wantCounts[i][j] {
				t.Fatalf("counts = %v, want %v", tr.Counts(), wantCounts)
			}
		}
	}
	fit, err := Estimate(tr, EstimateOptions{Smoothing: 1})
	if err != nil {
		t.Fatal(err)
	}
	// Laplace: row b = (1+1, 3+1)/(4+2).
	if !near(fit.Chain.At(1, 0), 2.0/6, 1e-15) || !near(fit.Chain.At(0, 0), .5, 1e-15) {
		t.Errorf("smoothed P = %v", fit.Chain.Matrix())
	}
	if fit.Totals[1] != 4 || fit.Counts[1][1] != 3 {
		t.Errorf("counts not kept: %v %v", fit.Totals, fit.Counts)
	}
	other, _ := NewTransitions([]string{"a", "b"})
	other.Add(0, 1)
	if err := tr.Merge(other); err != nil || tr.Count(0, 1) != 2 || tr.Total() != 7 {
		t.Errorf("merge: %v, counts %v", err, tr.Counts())
	}
	wrong, _ := NewTransitions([]string{"a", "c"})
	if err := tr.Merge(wrong); !errors.Is(err, ErrInvalid) {
		t.Errorf("merge mismatched states: %v", err)
	}
}

func TestEstimateErrors(t *testing.T) {
	empty, _ := NewTransitions([]string{"a", "b"})
	if _, err := Estimate(empty, EstimateOptions{}); !errors.Is(err, ErrNoData) {
		t.Errorf("no data: err = %v, want ErrNoData", err)
	}
	one, _ := NewTransitions([]string{"a", "b", "c"})
	one.Add(0, 1)
	one.Add(1, 1)
	_, err := Estimate(one, EstimateOptions{Smoothing: 1})
	if !errors.Is(err, ErrUnobserved) {
		t.Errorf("unobserved state: err = %v, want ErrUnobserved", err)
	}
	if _, err := Estimate(one, EstimateOptions{Absorbing: []int{2}}); err != nil {
		t.Errorf("fixed absorbing unobserved state should be fine: %v", err)
	}
	if _, err := Estimate(one, EstimateOptions{Smoothing: -1}); !errors.Is(err, ErrInvalid) {
		t.Errorf("negative smoothing: err = %v", err)
	}
	if _, err := NewTransitions([]string{"a", "a"}); !errors.Is(err, ErrInvalid) {
		t.Errorf("duplicate names: err = %v", err)
	}
}

func TestFirstPassage(t *testing.T) {
	// Land of Oz, Grinstead & Snell Example 11.29: mean first passage times
	// into nice (N) are m(R,N) = m(S,N) = 4.
	oz := landOfOz(t)
	m, sure, err := oz.FirstPassage(1)
	if err != nil {
		t.Fatal(err)
	}
	if !near(m[0], 4, 1e-12) || !near(m[2], 4, 1e-12) || m[1] != 0 || !sure[0] || !sure[1] || !sure[2] {
		t.Errorf("m = %v sure = %v", m, sure)
	}
	// Drunkard's walk: passage into home (0) is not certain from 1..3
	// (the bar at 4 is a trap), while passage into {0, 4} matches t = N1.
	P := [][]float64{
		{1, 0, 0, 0, 0}, {.5, 0, .5, 0, 0}, {0, .5, 0, .5, 0}, {0, 0, .5, 0, .5}, {0, 0, 0, 0, 1},
	}
	dw := mustNew(t, []string{"0", "1", "2", "3", "4"}, P)
	_, sure, err = dw.FirstPassage(0)
	if err != nil {
		t.Fatal(err)
	}
	if !sure[0] || sure[1] || sure[2] || sure[3] || sure[4] {
		t.Errorf("sure = %v, want only the target", sure)
	}
	m, sure, err = dw.FirstPassage(0, 4)
	if err != nil {
		t.Fatal(err)
	}
	for i, want := range []float64{0, 3, 4, 3, 0} {
		if !sure[i] || !near(m[i], want, 1e-12) {
			t.Errorf("state %d: m = %g sure = %v, want %g", i, m[i], sure[i], want)
		}
	}
	if _, _, err := dw.FirstPassage(); !errors.Is(err, ErrInvalid) {
		t.Errorf("no targets: %v", err)
	}
}
