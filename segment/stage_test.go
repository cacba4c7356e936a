package segment

import (
	"math"
	"testing"
)

func TestTrend(t *testing.T) {
	cases := []struct {
		name  string
		spend []float64
		want  float64
	}{
		// Hand-computed: slope of 9,10,11 is 1, mean 10 → 0.1.
		{"rising", []float64{9, 10, 11}, 0.1},
		{"falling", []float64{11, 10, 9}, -0.1},
		{"flat", []float64{5, 5, 5, 5}, 0},
		// 0,0,0,4: x̄ = 1.5, Σ(x−x̄)(y−ȳ) = 1.5·3 = 4.5... with ȳ = 1:
		// Σ(x−x̄)y = 1.5·4 = 6, Σ(x−x̄)² = 5 → slope 1.2, /1 = 1.2.
		{"late spike", []float64{0, 0, 0, 4}, 1.2},
		{"single", []float64{7}, 0},
		{"zero mean", []float64{0, 0, 0}, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := Trend(c.spend); math.Abs(got-c.want) > 1e-12 {
				t.Errorf("Trend(%v) = %v, want %v", c.spend, got, c.want)
			}
		})
	}
}

func TestClassify(t *testing.T) {
	r := DefaultStageRules()
	r.GrowthSlope, r.DeclineSlope = 0.1, -0.1
	cases := []struct {
		name string
		in   StageInput
		want Stage
	}{
		{"new subscriber", StageInput{Spend: []float64{50}, Tenure: 1, SincePurchase: 0}, Acquisition},
		{"new, never bought yet", StageInput{Spend: []float64{0, 0}, Tenure: 2, SincePurchase: -1}, Acquisition},
		{"last acquisition period", StageInput{Spend: []float64{10, 20, 30}, Tenure: 3, SincePurchase: 0}, Acquisition},
		{"first period after acquisition, stable", StageInput{Spend: []float64{30, 30, 30, 30}, Tenure: 4, SincePurchase: 0}, Maturity},
		{"growing", StageInput{Spend: []float64{10, 20, 30, 40, 50}, Tenure: 5, SincePurchase: 0}, Growth},
		{"declining", StageInput{Spend: []float64{50, 40, 30, 20, 10}, Tenure: 8, SincePurchase: 0}, Decline},
		{"recency rising", StageInput{Spend: []float64{30, 30, 30, 30, 30, 0}, Tenure: 6, SincePurchase: 1}, Decline},
		{"churn date", StageInput{Spend: []float64{30, 30, 30, 30, 30}, Tenure: 5, SincePurchase: 0, Churned: true}, Churned},
		{"churned in acquisition", StageInput{Spend: []float64{30}, Tenure: 1, SincePurchase: 0, Churned: true}, Churned},
		{"lapsed at threshold", StageInput{Spend: []float64{30, 30, 0, 0, 0}, Tenure: 5, SincePurchase: 3}, Churned},
		{"one below lapse", StageInput{Spend: []float64{30, 30, 30, 0, 0}, Tenure: 5, SincePurchase: 2}, Decline},
		{"never bought, past lapse", StageInput{Spend: []float64{0, 0, 0, 0}, Tenure: 4, SincePurchase: -1}, Churned},
		{"alive probability falling", StageInput{Spend: []float64{30, 30, 30, 30}, Tenure: 4, SincePurchase: 0, AliveDrop: 0.2}, Decline},
		{"alive probability slightly falling", StageInput{Spend: []float64{30, 30, 30, 30}, Tenure: 4, SincePurchase: 0, AliveDrop: 0.19}, Maturity},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := r.Classify(c.in); got != c.want {
				t.Errorf("Classify = %v (trend %.4f), want %v", got, Trend(r.window(c.in.Spend)), c.want)
			}
		})
	}
}

func TestClassifyTies(t *testing.T) {
	// The trend window holds exactly 9, 10, 11 (trend +0.1) or 11, 10, 9
	// (−0.1); a threshold equal to the trend assigns the stage it leads to.
	r := DefaultStageRules()
	r.TrendWindow = 3
	cases := []struct {
		name          string
		growth, decl  float64
		spend         []float64
		want          Stage
		wantBelowTies Stage
	}{
		{"growth", 0.1, -0.1, []float64{100, 9, 10, 11}, Growth, Maturity},
		{"decline", 0.1, -0.1, []float64{100, 11, 10, 9}, Decline, Maturity},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r.GrowthSlope, r.DeclineSlope = c.growth, c.decl
			in := StageInput{Spend: c.spend, Tenure: 4, SincePurchase: 0}
			if got := r.Classify(in); got != c.want {
				t.Errorf("at threshold: %v, want %v", got, c.want)
			}
			// Thresholds moved just past the trend: no longer reached.
			r.GrowthSlope, r.DeclineSlope = c.growth+1e-9, c.decl-1e-9
			if got := r.Classify(in); got != c.wantBelowTies {
				t.Errorf("past threshold: %v, want %v", got, c.wantBelowTies)
			}
		})
	}
	// Tenure at the acquisition threshold is acquisition; one more is not.
	r = DefaultStageRules()
	flat := []float64{5, 5, 5, 5}
	if got := r.Classify(StageInput{Spend: flat[:3], Tenure: 3}); got != Acquisition {
		t.Errorf("tenure 3: %v", got)
	}
	if got := r.Classify(StageInput{Spend: flat, Tenure: 4}); got != Maturity {
		t.Errorf("tenure 4: %v", got)
	}
}

func TestPath(t *testing.T) {
	r := DefaultStageRules()
	// Columns: two before activation, then 3 acquisition periods, growth,
	// a gap (decline), lapse (churned after 3 empty periods), win-back. At the
	// win-back the window is 20,40,0,0,0,50: slope 15/17.5, mean 18.33, trend
	// 0.047 (by hand) — below the growth slope, so maturity.
	spend := []float64{0, 0, 10, 10, 10, 20, 40, 0, 0, 0, 50}
	want := []Stage{NoStage, NoStage, Acquisition, Acquisition, Acquisition, Growth, Growth, Decline, Decline, Churned, Maturity}
	got := r.Path(spend, 2, -1, nil)
	for j := range want {
		if got[j] != want[j] {
			t.Fatalf("Path = %v, want %v", got, want)
		}
	}
	// A recorded churn is final even with later spend.
	got = r.Path([]float64{10, 10, 10, 10, 10, 10}, 0, 4, got)
	if got[3] != Maturity || got[4] != Churned || got[5] != Churned {
		t.Fatalf("Path with churn = %v", got)
	}
	// Activated 5 columns before the row: tenure 6.. (never acquisition), and
	// with no purchase seen yet the periods since purchase count from column
	// 0. Column 3's window 0,0,0,10 has trend 3/2.5 = 1.2 and column 4's
	// 0,0,0,10,10 has 3/4 = 0.75 (by hand): growth.
	got = r.Path([]float64{0, 0, 0, 10, 10}, -5, -1, got)
	want = []Stage{Maturity, Decline, Decline, Growth, Growth}
	for j := range want {
		if got[j] != want[j] {
			t.Fatalf("Path before the row = %v, want %v", got, want)
		}
	}
}

func TestStageNames(t *testing.T) {
	for _, s := range Stages {
		p, err := ParseStage(s.String())
		if err != nil || p != s {
			t.Errorf("ParseStage(%q) = %v, %v", s, p, err)
		}
	}
	if NoStage.String() != "none" {
		t.Errorf("NoStage = %q", NoStage)
	}
	if _, err := ParseStage("dormant"); err == nil {
		t.Error("unknown stage accepted")
	}
}

func TestStageRulesValidate(t *testing.T) {
	if err := DefaultStageRules().Validate(); err != nil {
		t.Fatal(err)
	}
	bad := []func(*StageRules){
		func(r *StageRules) { r.TrendWindow = 1 },
		func(r *StageRules) { r.DeclineSlope = r.GrowthSlope },
		func(r *StageRules) { r.LapsePeriods = 0 },
		func(r *StageRules) { r.DeclineRecency = r.LapsePeriods },
		func(r *StageRules) { r.GrowthSlope = math.NaN() },
		func(r *StageRules) { r.AliveDrop = 2 },
	}
	for i, f := range bad {
		r := DefaultStageRules()
		f(&r)
		if r.Validate() == nil {
			t.Errorf("case %d: invalid rules accepted: %+v", i, r)
		}
	}
}
