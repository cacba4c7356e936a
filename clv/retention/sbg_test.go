package retention

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// Fader & Hardie (2007), "How to project customer retention", Journal of
// Interactive Marketing 21(1), Table 1: percentage of 1000 customers of each
// segment still active after years 1..12 (the paper fits years 1–7 and
// projects years 8–12). The same series appear in the paper's Figure 1/4 and in
// the companion spreadsheet.
var (
	fhRegular = []float64{1000, 631, 468, 382, 326, 289, 262, 241}
	fhHighEnd = []float64{1000, 869, 743, 653, 593, 551, 517, 491}
	// Years 8–12 actuals (held out in the paper).
	fhRegularLater = []float64{223, 207, 194, 183, 173}
	fhHighEndLater = []float64{468, 445, 427, 409, 394}
)

func TestFitSBGFaderHardie2007(t *testing.T) {
	cases := []struct {
		name        string
		survivors   []float64
		later       []float64
		alpha, beta float64 // published MLEs, Fader & Hardie (2007), section 4
	}{
		{"regular", fhRegular, fhRegularLater, 0.704, 1.182},
		{"high end", fhHighEnd, fhHighEndLater, 0.668, 3.806},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			d, err := Cohort(c.survivors)
			if err != nil {
				t.Fatal(err)
			}
			fit, err := FitSBG(d, FitOptions{})
			if err != nil {
				t.Fatal(err)
			}
			// The paper reports three decimals.
			if math.Abs(fit.Alpha-c.alpha) > 1.5e-3 || math.Abs(fit.Beta-c.beta) > 1.5e-3 {
				t.Errorf("alpha %.4f beta %.4f, want %.3f %.3f", fit.Alpha, fit.Beta, c.alpha, c.beta)
			}
			if !(fit.AlphaSE > 0 && fit.BetaSE > 0) {
				t.Errorf("standard errors %g %g", fit.AlphaSE, fit.BetaSE)
			}
			// Projection of years 8–12: the paper reports that the sBG
			// projections stay within a few percent of the held-out actuals
			// (year 12: about 2% off for Regular, 4% for High End).
			proj := fit.Project(12)
			for i, actual := range c.later {
				got := proj[7+i].Survival * 1000
				if rel := math.Abs(got-actual) / actual; rel > 0.05 {
					t.Errorf("year %d: projected %.1f, actual %.0f (%.1f%% off)", 8+i, got, actual, 100*rel)
				}
			}
		})
	}
}

func TestLogLikelihoodFaderHardie2007(t *testing.T) {
	// Fader & Hardie (2007), appendix: with the High End data expressed per
	// customer, the spreadsheet's log-likelihood at the starting values
	// alpha = beta = 1 is −2.115 (also the check value of
	// jdmaturen/shifted_beta_geometric_py's test).
	d, _ := Cohort(fhHighEnd)
	ll := SBG{1, 1}.LogLikelihood(d) / 1000
	if math.Abs(ll-(-2.115)) > 1e-3 { // reported to three decimals
		t.Errorf("LL(1,1) per customer = %.4f, want -2.115", ll)
	}
}

func TestProjectionHighEnd(t *testing.T) {
	// jdmaturen/shifted_beta_geometric_py README (documented output): the
	// High End fit projects survival 0.460, 0.436, 0.414, 0.395, 0.378 for
	// years 8–12, and DERL(d = 0.10, n = 7) = 7.530.
	d, _ := Cohort(fhHighEnd)
	fit, err := FitSBG(d, FitOptions{})
	if err != nil {
		t.Fatal(err)
	}
	want := []float64{0.460, 0.436, 0.414, 0.395, 0.378}
	proj := fit.Project(12)
	for i, w := range want {
		if got := proj[7+i].Survival; math.Abs(got-w) > 6e-4 {
			t.Errorf("year %d: %.4f, want %.3f", 8+i, got, w)
		}
	}
	derl, err := fit.DERL(0.10, 7)
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(derl-7.530) > 6e-3 {
		t.Errorf("DERL(0.1, 7) = %.4f, want 7.530", derl)
	}
}

func TestFitSBGMultiCohort(t *testing.T) {
	// Fader & Hardie, "Fitting the sBG model to multi-cohort data" (note,
	// brucehardie.com, 2007): four cohorts of 10000 observed for 4, 3, 2 and 1
	// renewals give alpha = 3.80, beta = 15.19.
	var ds []Durations
	for _, c := range [][]float64{
		{10000, 8000, 6480, 5307, 4391},
		{10000, 8000, 6480, 5307},
		{10000, 8000, 6480},
		{10000, 8000},
	} {
		d, err := Cohort(c)
		if err != nil {
			t.Fatal(err)
		}
		ds = append(ds, d)
	}
	fit, err := FitSBG(Merge(ds...), FitOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(fit.Alpha-3.80) > 0.01 || math.Abs(fit.Beta-15.19) > 0.05 {
		t.Errorf("alpha %.3f beta %.3f, want 3.80 15.19", fit.Alpha, fit.Beta)
	}
}

func TestFitSBGRecoversSimulatedBase(t *testing.T) {
	// A live base: subscribers activated uniformly over 60 periods, each with
	// its own churn probability θ ~ beta(α, β), observed up to period 60 with
	// a random share of the current period elapsed. The fit must recover α,
	// β within 4 standard errors.
	for _, truth := range []SBG{{0.7, 1.2}, {3.8, 15.2}, {1.5, 40}} {
		t.Run(fmt.Sprint(truth), func(t *testing.T) {
			rng := rand.New(rand.NewPCG(1, 2))
			var d Durations
			cens := map[[2]float64]float64{}
			for i := 0; i < 20000; i++ {
				theta := betaDraw(rng, truth.Alpha, truth.Beta)
				window := 1 + rng.IntN(60) // periods entered so far
				frac := rng.Float64()
				if frac == 0 {
					frac = 0.5
				}
				tt := 1
				for ; tt <= window; tt++ {
					if tt < window || rng.Float64() < frac {
						if rng.Float64() < theta {
							break
						}
					} else {
						tt = window + 1
						break
					}
				}
				if tt <= window {
					for len(d.Churned) < tt {
						d.Churned = append(d.Churned, 0)
					}
					d.Churned[tt-1]++
				} else {
					cens[[2]float64{float64(window), frac}]++
				}
			}
			for k, w := range cens {
				d.Censored = append(d.Censored, Censored{Period: int(k[0]), Fraction: k[1], Weight: w})
			}
			fit, err := FitSBG(Merge(d), FitOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if math.Abs(fit.Alpha-truth.Alpha) > 4*fit.AlphaSE || math.Abs(fit.Beta-truth.Beta) > 4*fit.BetaSE {
				t.Errorf("fit %.3f±%.3f, %.3f±%.3f; truth %v", fit.Alpha, fit.AlphaSE, fit.Beta, fit.BetaSE, truth)
			}
		})
	}
}

// betaDraw draws from beta(a, b) as X/(X+Y) with gamma variates (Marsaglia–Tsang).
func betaDraw(rng *rand.Rand, a, b float64) float64 {
	x, y := gammaDraw(rng, a), gammaDraw(rng, b)
	return x / (x + y)
}

func gammaDraw(rng *rand.Rand, k float64) float64 {
	if k < 1 {
		return gammaDraw(rng, k+1) * math.Pow(rng.Float64(), 1/k)
	}
	d := k - 1.0/3
	c := 1 / math.Sqrt(9*d)
	for {
		x := rng.NormFloat64()
		v := 1 + c*x
		if v <= 0 {
			continue
		}
		v = v * v * v
		u := rng.Float64()
		if math.Log(u) < 0.5*x*x+d-d*v+d*math.Log(v) {
			return d * v
		}
	}
}

func TestFitSBGFailures(t *testing.T) {
	geometric := []float64{1000}
	for i := 0; i < 10; i++ {
		geometric = append(geometric, geometric[len(geometric)-1]*0.8)
	}
	homog, _ := Cohort(geometric)
	small, _ := Cohort([]float64{20, 15, 12})
	none, _ := Cohort([]float64{100, 100, 100})
	cases := []struct {
		name string
		d    Durations
		want error
	}{
		// Running off to the boundary and data without churn are both
		// ErrNotIdentified (exit code 3, as for the repeat-purchase models).
		{"constant retention", homog, ErrNotIdentified},
		{"too small", small, ErrTooLittleData},
		{"nobody churned", none, ErrTooLittleData},
		{"nobody churned: not identified", none, ErrNotIdentified},
		{"one period", Durations{Churned: []float64{40}, Censored: []Censored{{Period: 1, Fraction: 0.5, Weight: 60}}}, ErrTooLittleData},
		{"one period: not identified", Durations{Churned: []float64{40}, Censored: []Censored{{Period: 1, Fraction: 0.5, Weight: 60}}}, ErrNotIdentified},
		{"empty", Durations{}, ErrTooLittleData},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := FitSBG(c.d, FitOptions{})
			if !errors.Is(err, c.want) {
				t.Errorf("error %v, want %v", err, c.want)
			}
		})
	}
}

// seriesDERL sums DERL(d | n) = Σ_{k≥1} [S(n+k)/S(n)] (1+d)^−(k−1) from the
// retention curve, period by period.
func seriesDERL(m SBG, d float64, n, terms int) float64 {
	sum, ratio, disc := 0.0, 1.0, 1.0
	for k := 1; k <= terms; k++ {
		ratio *= m.Retention(n + k)
		sum += ratio * disc
		disc /= 1 + d
	}
	return sum
}

func TestDELIsDiscountedSurvivalSum(t *testing.T) {
	// Consistency: summing the fitted dynamic retention curve period by period
	// reproduces the closed-form DEL and DERL.
	d, _ := Cohort(fhRegular)
	fit, err := FitSBG(d, FitOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, disc := range []float64{0.05, 0.1, 0.25} {
		t.Run(fmt.Sprint(disc), func(t *testing.T) {
			del, err := fit.DEL(disc)
			if err != nil {
				t.Fatal(err)
			}
			sum := 0.0
			for i, p := range fit.Project(3000) {
				sum += p.Survival / math.Pow(1+disc, float64(i+1))
			}
			sum++ // S(0) = 1 at t = 0
			if math.Abs(del-sum) > 1e-9*del {
				t.Errorf("DEL %.12g, summed survival %.12g", del, sum)
			}
			for _, n := range []int{0, 1, 7, 30} {
				got, err := fit.DERL(disc, n)
				if err != nil {
					t.Fatal(err)
				}
				if want := seriesDERL(fit.SBG, disc, n, 5000); math.Abs(got-want) > 1e-9*want {
					t.Errorf("DERL(n=%d) %.12g, summed %.12g", n, got, want)
				}
			}
			der0, _ := fit.DERL(disc, 0)
			if math.Abs(del-(1+der0/(1+disc))) > 1e-12*del {
				t.Errorf("DEL %g != 1 + DERL(0)/(1+d) = %g", del, 1+der0/(1+disc))
			}
		})
	}
}

func TestDERLRobust(t *testing.T) {
	cases := []struct {
		name string
		m    SBG
		d    float64
		n    int
	}{
		{"large beta", SBG{0.7, 1e6}, 0.01, 0},
		{"huge beta", SBG{2, 1e9}, 0.01, 12},
		{"tenure 500", SBG{0.7, 1.2}, 0.01, 500},
		{"tenure 5000", SBG{3.8, 15.2}, 0.005, 5000},
		{"discount 1e-6", SBG{0.7, 1.2}, 1e-6, 24},
		{"discount 1e-9 alpha>1", SBG{3.8, 15.2}, 1e-9, 24},
		{"tiny alpha", SBG{0.01, 0.5}, 0.01, 3},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			v, err := c.m.DERL(c.d, c.n)
			if err != nil {
				t.Fatal(err)
			}
			// Bounds: between the next renewal probability (one payment) and
			// the undiscounted-retention annuity (1+d)/d.
			lo, hi := c.m.Retention(c.n+1), (1+c.d)/c.d
			if math.IsNaN(v) || v < lo*(1-1e-12) || v > hi {
				t.Errorf("DERL %g outside [%g, %g]", v, lo, hi)
			}
		})
	}
	// d → 0 with alpha > 1 approaches the closed form (β+n)/(α−1).
	m := SBG{3.8, 15.2}
	v0, err := m.DERL(0, 10)
	if err != nil {
		t.Fatal(err)
	}
	if want := 25.2 / 2.8; math.Abs(v0-want) > 1e-12 {
		t.Errorf("DERL(0) %g, want %g", v0, want)
	}
	v, err := m.DERL(1e-8, 10)
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(v-v0) > 1e-4*v0 {
		t.Errorf("DERL(1e-8) %g not close to DERL(0) %g", v, v0)
	}
	if _, err := (SBG{0.7, 1.2}).DERL(0, 3); !errors.Is(err, ErrInfiniteValue) {
		t.Errorf("alpha <= 1 at d = 0: %v", err)
	}
	if _, err := (SBG{0.7, 1.2}).DEL(-0.1); !errors.Is(err, ErrInvalidInput) {
		t.Errorf("negative discount: %v", err)
	}
}

func ExampleSBG_DERL() {
	// High End segment of Fader & Hardie (2007): alpha = 0.668, beta = 3.806.
	m := SBG{Alpha: 0.668, Beta: 3.806}
	del, _ := m.DEL(0.10)
	derl, _ := m.DERL(0.10, 7)
	fmt.Printf("next-year retention after 7 renewals %.3f\n", m.Retention(8))
	fmt.Printf("DEL %.2f, DERL after 7 renewals %.2f\n", del, derl)
	// Output:
	// next-year retention after 7 renewals 0.942
	// DEL 5.92, DERL after 7 renewals 7.53
}

func TestFitSBGLeftTruncated(t *testing.T) {
	// A base activated over 120 periods whose export holds only the
	// subscribers alive at period 96 (or activated later), observed until
	// period 120. Churn happens uniformly within the period of loss. With the
	// entries declared the fit recovers α, β; ignoring the truncation the
	// survivors of early cohorts make retention look too flat.
	truth := SBG{0.7, 4}
	rng := rand.New(rand.NewPCG(3, 4))
	const window, asOf = 96.0, 120.0
	type key struct {
		p int
		f float64
	}
	var d Durations
	cens, entries := map[key]float64{}, map[key]float64{}
	for kept := 0; kept < 10000; {
		act := rng.Float64() * asOf
		theta := betaDraw(rng, truth.Alpha, truth.Beta)
		tt := 1
		for rng.Float64() >= theta {
			tt++
		}
		lost := act + float64(tt-1) + rng.Float64()
		if lost <= window {
			continue // churned before the export's window: not in the file
		}
		kept++
		if act < window {
			e := math.Floor(window - act)
			entries[key{int(e) + 1, (window - act) - e}]++
		}
		if lost <= asOf {
			for len(d.Churned) < tt {
				d.Churned = append(d.Churned, 0)
			}
			d.Churned[tt-1]++
		} else {
			p := math.Floor(asOf - act)
			cens[key{int(p) + 1, (asOf - act) - p}]++
		}
	}
	for k, w := range cens {
		d.Censored = append(d.Censored, Censored{Period: k.p, Fraction: k.f, Weight: w})
	}
	for k, w := range entries {
		d.Entries = append(d.Entries, Censored{Period: k.p, Fraction: k.f, Weight: w})
	}
	d = Merge(d)
	fit, err := FitSBG(d, FitOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(fit.Alpha-truth.Alpha) > 4*fit.AlphaSE || math.Abs(fit.Beta-truth.Beta) > 4*fit.BetaSE {
		t.Errorf("fit %.3f±%.3f, %.3f±%.3f; truth %v", fit.Alpha, fit.AlphaSE, fit.Beta, fit.BetaSE, truth)
	}
	naive := d
	naive.Entries = nil
	nf, err := FitSBG(naive, FitOptions{})
	t.Logf("with entries %.3f±%.3f %.3f±%.3f; ignoring them %v %v", fit.Alpha, fit.AlphaSE, fit.Beta, fit.BetaSE, nf, err)
	if err == nil && math.Abs(nf.Beta-truth.Beta) < 4*nf.BetaSE && math.Abs(nf.Alpha-truth.Alpha) < 4*nf.AlphaSE {
		t.Errorf("ignoring the truncation should bias the fit, got %.3f %.3f", nf.Alpha, nf.Beta)
	}
	// The life table with entries tracks the true survival curve.
	rows := LifeTable(d)
	for _, r := range rows[:60] {
		if want := truth.Survival(r.Period); math.Abs(r.Survival-want) > 0.03 {
			t.Errorf("period %d: life-table survival %.3f, true %.3f", r.Period, r.Survival, want)
		}
	}
}

func TestFitGeometricFallback(t *testing.T) {
	// A cohort with constant retention 0.8: the sBG fit reports that churn
	// does not vary with tenure, and the constant-retention fit recovers 0.8.
	geometric := []float64{1000}
	for i := 0; i < 10; i++ {
		geometric = append(geometric, geometric[len(geometric)-1]*0.8)
	}
	d, _ := Cohort(geometric)
	_, err := FitSBG(d, FitOptions{})
	if !errors.Is(err, ErrNoHeterogeneity) || !errors.Is(err, ErrNotIdentified) {
		t.Fatalf("sBG error %v", err)
	}
	g, err := FitGeometric(d, FitOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(g.Rate-0.8) > 1e-9 || !(g.SE > 0) {
		t.Errorf("retention %g ± %g, want 0.8", g.Rate, g.SE)
	}
	// Its DERL is the sBG's in the limit of large α, β with α/(α+β) = 0.2.
	want, _ := (SBG{2e6, 8e6}).DERL(0.05, 3)
	got, _ := g.DERL(0.05, 3)
	if math.Abs(got-want) > 1e-4*want {
		t.Errorf("geometric DERL %g, sBG limit %g", got, want)
	}
	del, _ := g.DEL(0.05)
	if math.Abs(del-(1+got/1.05)) > 1e-12 {
		t.Errorf("DEL %g != 1 + DERL/(1+d)", del)
	}
}
