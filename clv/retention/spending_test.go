package retention

import (
	"errors"
	"fmt"
	"math"
	"testing"
)

// directGrowth sums the case-3 cash flows term by term (the k-th margin is
// m(1+g)^(k−1)), independently of Value's closed forms and flows table.
func directGrowth(s Scenario, horizon int) float64 {
	d := s.Discount
	v := -s.AcquisitionCost
	for i := 0; i <= horizon; i++ {
		ri := math.Pow(s.Retention, float64(i))
		k := i // start timing: the margin at time i is the (i+1)-th
		if s.Timing == TimingEnd {
			k = i - 1
		}
		if k >= 0 {
			v += s.Margin * math.Pow(1+s.MarginGrowth, float64(k)) * ri / math.Pow(1+d, float64(i))
		}
		if i > 0 {
			v -= s.RetentionCost * math.Pow(s.Retention, float64(i-1)) / math.Pow(1+d, float64(i)-0.5)
		}
	}
	return v
}

func TestMarginGrowthAgainstDirectSummation(t *testing.T) {
	var cases []Scenario
	for _, tm := range []Timing{TimingStart, TimingEnd} {
		cases = append(cases,
			Scenario{Margin: 100, Retention: 0.8, Discount: 0.1, MarginGrowth: 0.05, Periods: 5, Timing: tm},
			Scenario{Margin: 100, Retention: 0.8, Discount: 0.1, MarginGrowth: -0.2, Periods: 12, RetentionCost: 5, Timing: tm},
			// r(1+g) > 1+d: no infinite value, a finite horizon is summed.
			Scenario{Margin: 10, Retention: 0.95, Discount: 0.01, MarginGrowth: 0.1, Periods: 60, Timing: tm},
			// r(1+g) = 1+d exactly: every term equal.
			Scenario{Margin: 10, Retention: 0.5, Discount: 0, MarginGrowth: 1, Periods: 9, Timing: tm},
			// Infinite horizons, compared with a long direct sum.
			Scenario{Margin: 100, Retention: 0.8, Discount: 0.1, MarginGrowth: 0.05, Timing: tm},
			Scenario{Margin: 30, Retention: 0.95, Discount: 0.02, MarginGrowth: 0.03, RetentionCost: 2, AcquisitionCost: 40, Timing: tm},
		)
	}
	for _, s := range cases {
		t.Run(fmt.Sprintf("%+v", s), func(t *testing.T) {
			got, err := Value(s)
			if err != nil {
				t.Fatal(err)
			}
			horizon := s.Periods
			if horizon == 0 {
				horizon = 20000
			}
			want := directGrowth(s, horizon)
			if tol := 1e-9 * math.Max(1, math.Abs(want)); math.Abs(got.CLV-want) > tol {
				t.Errorf("closed form %.12g, direct sum %.12g", got.CLV, want)
			}
			last := got.Flows[len(got.Flows)-1]
			if math.Abs(last.Cumulative+got.Tail-got.CLV) > 1e-9*math.Max(1, math.Abs(got.CLV)) {
				t.Errorf("cumulative %.12g + tail %.12g != CLV %.12g", last.Cumulative, got.Tail, got.CLV)
			}
		})
	}
}

// TestMarginGrowthHandWorked: Berger & Nasr (1998) case 3 with m = 100,
// r = 0.8, d = 0.1, g = 0.05, so q_g = 0.8 × 1.05/1.1 = 0.84/1.1, worked by hand:
//
//	infinite, start: 100 × 1.1/(1.1 − 0.84) = 110/0.26 = 423.0769
//	infinite, end:   100 × 0.8/0.26 = 307.6923
//	n = 3, start:    100 (1 + 0.763636 + 0.583140 + 0.445307) = 279.2084
//	n = 3, end:      100 × 0.8/1.1 × (1 + 0.763636 + 0.583140) = 170.6747
func TestMarginGrowthHandWorked(t *testing.T) {
	base := Scenario{Margin: 100, Retention: 0.8, Discount: 0.1, MarginGrowth: 0.05}
	for _, c := range []struct {
		timing  Timing
		periods int
		want    float64
	}{
		{TimingStart, 0, 423.0769}, {TimingEnd, 0, 307.6923},
		{TimingStart, 3, 279.2084}, {TimingEnd, 3, 170.6747},
	} {
		s := base
		s.Timing, s.Periods = c.timing, c.periods
		v, err := Value(s)
		if err != nil {
			t.Fatal(err)
		}
		if math.Abs(v.CLV-c.want) > 5e-4 { // the hand values are rounded to 4 decimals
			t.Errorf("%s timing, %d periods: CLV %.6f, want %.4f", c.timing, c.periods, v.CLV, c.want)
		}
	}
	// r(1+g) >= 1+d has no infinite-horizon value.
	_, err := Value(Scenario{Margin: 1, Retention: 0.99, Discount: 0.01, MarginGrowth: 0.05})
	if !errors.Is(err, ErrInfiniteValue) {
		t.Errorf("diverging growth: err %v, want ErrInfiniteValue", err)
	}
	if _, err := Value(Scenario{Margin: 1, Retention: 0.5, Discount: 0.01, MarginGrowth: -1}); !errors.Is(err, ErrInvalidInput) {
		t.Errorf("growth -1: err %v, want ErrInvalidInput", err)
	}
}

func TestSpendValueAgainstDirectSummation(t *testing.T) {
	p := Response{Ceiling: 0.9, K: 0.05}
	for _, tm := range []Timing{TimingStart, TimingEnd} {
		for _, n := range []int{0, 4} {
			for _, c := range []float64{0, 7.5, 20, 80} {
				s := Scenario{Margin: 100, Discount: 0.1, Timing: tm, Periods: n, AcquisitionCost: 10}
				got, err := SpendValue(s, p, c)
				if err != nil {
					t.Fatal(err)
				}
				d := s
				d.Retention, d.RetentionCost = 0.9*(1-math.Exp(-0.05*c)), c
				horizon := n
				if n == 0 {
					horizon = 20000
				}
				want := directGrowth(d, horizon)
				if math.Abs(got-want) > 1e-9*math.Max(1, math.Abs(want)) {
					t.Errorf("%s, n %d, C %g: closed form %.12g, direct sum %.12g", tm, n, c, got, want)
				}
			}
		}
	}
}

// TestOptimalSpendingHandWorked: Berger & Nasr (1998) case 4 with m = 100,
// d = 0.1, start timing, infinite horizon, r(C) = 0.9 (1 − e^(−0.05 C)):
//
//	CLV(C) = (m(1+d) − C √(1+d)) / (1 + d − r(C))
//
// At C = 20, r = 0.9 (1 − e^(−1)) = 0.568909 and CLV = (110 − 20.976177)/0.531091
// = 167.6243 (by hand). The maximum, from a brute-force scan of this formula
// at steps of 0.0001 (an independent computation in Python), is at C = 44.255
// with CLV 213.0439; at the maximum the first-order condition
// (m(1+d) − C√(1+d)) r'(C) = √(1+d) (1+d−r(C)) holds.
func TestOptimalSpendingHandWorked(t *testing.T) {
	s := Scenario{Margin: 100, Discount: 0.1}
	p := Response{Ceiling: 0.9, K: 0.05}
	v, err := SpendValue(s, p, 20)
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(v-167.6243) > 5e-4 {
		t.Errorf("CLV(20) = %.6f, want 167.6243", v)
	}
	opt, err := OptimalSpending(s, p, 100, 20)
	if err != nil {
		t.Fatal(err)
	}
	if len(opt.Grid) != 21 || opt.Grid[4].Spend != 20 || math.Abs(opt.Grid[4].CLV-v) > 1e-12 {
		t.Errorf("grid: %d points, point 4 = %+v", len(opt.Grid), opt.Grid[4])
	}
	if math.Abs(opt.Best.Spend-44.255) > 1e-3 || math.Abs(opt.Best.CLV-213.0439) > 1e-4 {
		t.Errorf("best %+v, want C 44.255 (± 0.001), CLV 213.0439", opt.Best)
	}
	c, sq := opt.Best.Spend, math.Sqrt(1.1)
	deriv := 0.9 * 0.05 * math.Exp(-0.05*c)
	if foc := (110-c*sq)*deriv - sq*(1.1-opt.Best.Retention); math.Abs(foc) > 1e-6 {
		t.Errorf("first-order condition off by %g at C %g", foc, c)
	}
	if opt.Evaluations > maxSpendEvaluations+2 {
		t.Errorf("%d evaluations", opt.Evaluations)
	}
	for _, g := range opt.Grid {
		if g.CLV > opt.Best.CLV+1e-9 {
			t.Errorf("grid point %+v beats the optimum %+v", g, opt.Best)
		}
	}
}

func TestOptimalSpendingEdges(t *testing.T) {
	// Spending that cannot pay (a tiny margin): the best is C = 0.
	opt, err := OptimalSpending(Scenario{Margin: 0.01, Discount: 0.1}, Response{Ceiling: 0.9, K: 0.05}, 0, 10)
	if err != nil {
		t.Fatal(err)
	}
	if opt.Best.Spend != 0 {
		t.Errorf("best spend %g, want 0", opt.Best.Spend)
	}
	for _, p := range []Response{{0, 1}, {1.1, 1}, {0.9, 0}, {0.9, math.Inf(1)}} {
		if _, err := OptimalSpending(Scenario{Margin: 1, Discount: 0.1}, p, 0, 10); !errors.Is(err, ErrInvalidInput) {
			t.Errorf("%+v: err %v, want ErrInvalidInput", p, err)
		}
	}
}
