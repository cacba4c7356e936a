package segment

import (
	"errors"
	"math"
	"math/rand/v2"
	"testing"
)

// TestCurveCounts: means and type-7 quantiles per tenure, worked by hand.
// Tenure 0: 1, 2, 3, 4 → mean 2.5, p25 = 1 + 0.75·1 = 1.75, p50 2.5,
// p75 3.25, p90 = 3 + 0.7·1 = 3.7. Tenure 2: 10 alone. Tenure 5 (and 7,
// pooled into MaxTenure 5): 6, 8 → mean 7.
func TestCurveCounts(t *testing.T) {
	c, err := BuildCurve([]int32{0, 0, 2, 0, 0, 5, 7}, []float64{4, 2, 10, 1, 3, 6, 8}, CurveOptions{MaxTenure: 5})
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Points) != 3 {
		t.Fatalf("%d points, want 3", len(c.Points))
	}
	p := c.Points[0]
	want := []float64{1.75, 2.5, 3.25, 3.7}
	for k, q := range p.Quantiles {
		if math.Abs(q-want[k]) > 1e-12 {
			t.Errorf("tenure 0 quantile %g = %g, want %g", c.Quantiles[k], q, want[k])
		}
	}
	if p.Mean != 2.5 || p.Subscribers != 4 || c.Points[1].Mean != 10 || c.Points[2].Tenure != 5 || c.Points[2].Mean != 7 {
		t.Errorf("points %+v", c.Points)
	}
	// At: linear between listed tenures, flat outside them.
	if got := c.At(1); math.Abs(got-(c.Points[0].Fitted+c.Points[1].Fitted)/2) > 1e-12 {
		t.Errorf("At(1) = %g", got)
	}
	if c.At(50) != c.Points[2].Fitted || c.At(-1) != c.Points[0].Fitted || c.QuantileAt(4, 1) != c.Points[1].Quantiles[1] {
		t.Error("At/QuantileAt outside or between the listed tenures")
	}
	for _, bad := range []CurveOptions{{Quantiles: []float64{1}}, {Lambda: -1}, {Fold: []int8{0}}} {
		if _, err := BuildCurve([]int32{0, 1}, []float64{1, 2}, bad); err == nil {
			t.Errorf("options %+v accepted", bad)
		}
	}
	if _, err := BuildCurve(nil, nil, CurveOptions{}); !errors.Is(err, ErrNoCurve) {
		t.Errorf("empty: %v", err)
	}
}

// TestCurveSmootherNullSpace: the penalty is the second derivative of log
// spend in log(1 + tenure), so a power curve A(1+t)^B, a straight line there,
// is reproduced whatever the penalty (to 1e-4 relative: at λ = 1e6 the
// system is ill-conditioned, ~1e13, and the dense Cholesky loses digits).
func TestCurveSmootherNullSpace(t *testing.T) {
	var ten []int32
	var spend []float64
	for tt := range 40 {
		for range 1 + tt%3 {
			ten = append(ten, int32(tt))
			spend = append(spend, 10*math.Pow(1+float64(tt), 0.3))
		}
	}
	for _, l := range []float64{0, 1, 1e6} {
		c, err := BuildCurve(ten, spend, CurveOptions{Lambda: l})
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range c.Points {
			if math.Abs(p.Fitted-p.Mean) > 1e-4*p.Mean {
				t.Errorf("lambda %g: tenure %d fitted %g, mean %g", l, p.Tenure, p.Fitted, p.Mean)
			}
		}
	}
}

// TestCurveWithinRecoversTruth simulates subscribers with known truth:
// spend = level × g(t) × season(month) × noise with g(t) = 1 − 0.5 e^(−t/2)
// (a ramp, then flat), levels lognormal, and churn that falls with the level
// (high spenders stay), so the cross-sectional mean rises with tenure
// although no subscriber grows after the ramp. Each subscriber is observed
// over a 24-month window, activated up to 60 months before it. The
// within-subscriber curve, relative to its value at tenure 20, must match
// g(t)/g(20) within 4 % for tenures 1 to 50; the cross-sectional mean must
// not (it is the survivor effect the within curve removes).
func TestCurveWithinRecoversTruth(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	g := func(t int) float64 { return 1 - 0.5*math.Exp(-float64(t)/2) }
	season := func(m int) float64 { return 1 + 0.1*math.Cos(2*math.Pi*float64(m)/12) }
	var ten []int32
	var spend []float64
	var subj []int32
	var seas []int8
	for i := range 6000 {
		level := math.Exp(0.6 * rng.NormFloat64())
		churn := 0.06 / level // monthly churn probability, lower for high spenders
		act := -60 + rng.IntN(84)
		alive := true
		for m := act; m < 24 && alive; m++ {
			tt := m - act
			if tt > 0 && rng.Float64() < math.Min(0.5, churn) {
				alive = false
				break
			}
			if m < 0 {
				continue
			}
			ten = append(ten, int32(tt))
			spend = append(spend, level*g(tt)*season(m)*math.Exp(0.1*rng.NormFloat64()))
			subj = append(subj, int32(i))
			seas = append(seas, int8(((m%12)+12)%12))
		}
	}
	fold := make([]int8, len(subj))
	for i, s := range subj {
		fold[i] = int8(s % 5)
	}
	c, err := BuildCurve(ten, spend, CurveOptions{Subject: subj, Season: seas, Seasons: 12, Fold: fold})
	if err != nil {
		t.Fatal(err)
	}
	if !c.HasWithin {
		t.Fatal("no within-subscriber curve")
	}
	at := func(tt int) TenurePoint { return c.Points[c.find(tt)] }
	ref := at(20)
	for tt := 1; tt <= 50; tt++ {
		got := at(tt).Within / ref.Within
		want := g(tt) / g(20)
		if math.Abs(got/want-1) > 0.04 {
			t.Errorf("tenure %d: within ratio %.4f, truth %.4f", tt, got, want)
		}
	}
	if cross := at(50).Fitted / ref.Fitted; cross < 1.1 {
		t.Errorf("cross-sectional mean ratio 50/20 = %.3f: the simulation should show the survivor effect", cross)
	}
}
