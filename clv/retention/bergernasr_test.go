package retention

import (
	"errors"
	"fmt"
	"math"
	"testing"
)

// directValue sums the Berger & Nasr cash flows term by term, independently of
// Value's closed forms and of its flows table.
func directValue(s Scenario, horizon int) float64 {
	d := s.Discount
	if s.CyclesPerYear > 0 {
		d = math.Pow(1+s.Discount, 1/s.CyclesPerYear) - 1
	}
	v := -s.AcquisitionCost
	for i := 0; i <= horizon; i++ {
		ri := math.Pow(s.Retention, float64(i))
		if s.Timing == TimingStart || i > 0 {
			v += s.Margin * ri / math.Pow(1+d, float64(i))
		}
		if i > 0 {
			v -= s.RetentionCost * math.Pow(s.Retention, float64(i-1)) / math.Pow(1+d, float64(i)-0.5)
		}
	}
	return v
}

func TestValueAgainstDirectSummation(t *testing.T) {
	cases := []Scenario{
		{Margin: 100, Retention: 0.8, Discount: 0.1, Periods: 5},
		{Margin: 100, Retention: 0.8, Discount: 0.1, Periods: 5, Timing: TimingEnd},
		{Margin: 260, Retention: 0.75, Discount: 0.2, Periods: 10, RetentionCost: 50, AcquisitionCost: 80},
		{Margin: 260, Retention: 0.75, Discount: 0.2, Periods: 10, RetentionCost: 50, Timing: TimingEnd},
		{Margin: 30, Retention: 0.95, Discount: 0.12, Periods: 36, CyclesPerYear: 12, RetentionCost: 2},
		{Margin: 10, Retention: 1, Discount: 0, Periods: 7},
		{Margin: 10, Retention: 0, Discount: 0.05, Periods: 3, RetentionCost: 1},
		{Margin: 10, Retention: 0.999999, Discount: 1e-9, Periods: 240},
		// Infinite horizons: compared with a long direct sum.
		{Margin: 100, Retention: 0.8, Discount: 0.1},
		{Margin: 100, Retention: 0.8, Discount: 0.1, Timing: TimingEnd, RetentionCost: 10, AcquisitionCost: 50},
		{Margin: 25, Retention: 0.97, Discount: 0.01, Timing: TimingEnd},
		{Margin: 25, Retention: 0.9, Discount: 0.1, CyclesPerYear: 4},
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
			want := directValue(s, horizon)
			if tol := 1e-9 * math.Max(1, math.Abs(want)); math.Abs(got.CLV-want) > tol {
				t.Errorf("closed form %.12g, direct sum %.12g", got.CLV, want)
			}
			last := got.Flows[len(got.Flows)-1]
			if s.Periods > 0 {
				if len(got.Flows) != s.Periods+1 {
					t.Errorf("%d flows, want %d", len(got.Flows), s.Periods+1)
				}
				if math.Abs(last.Cumulative-got.CLV) > 1e-9*math.Max(1, math.Abs(got.CLV)) {
					t.Errorf("cumulative %.12g != CLV %.12g", last.Cumulative, got.CLV)
				}
			} else if math.Abs(last.Cumulative+got.Tail-got.CLV) > 1e-9*math.Max(1, math.Abs(got.CLV)) {
				t.Errorf("cumulative %.12g + tail %.12g != CLV %.12g", last.Cumulative, got.Tail, got.CLV)
			}
		})
	}
}

func TestMarginMultiple(t *testing.T) {
	for _, c := range []struct{ r, d float64 }{{0.9, 0.1}, {0.8, 0.12}, {0.5, 0}, {0.99, 0.01}} {
		t.Run(fmt.Sprint(c), func(t *testing.T) {
			mm, err := MarginMultiple(c.r, c.d)
			if err != nil {
				t.Fatal(err)
			}
			// The multiple is the infinite end-timing CLV per unit margin.
			v, err := Value(Scenario{Margin: 1, Retention: c.r, Discount: c.d, Timing: TimingEnd})
			if err != nil {
				t.Fatal(err)
			}
			if math.Abs(mm-v.CLV) > 1e-12*mm {
				t.Errorf("multiple %g, Value %g", mm, v.CLV)
			}
			if want := directValue(Scenario{Margin: 1, Retention: c.r, Discount: c.d, Timing: TimingEnd}, 50000); math.Abs(mm-want) > 1e-9*mm {
				t.Errorf("multiple %g, direct sum %g", mm, want)
			}
		})
	}
}

func TestValueErrors(t *testing.T) {
	cases := []struct {
		name string
		s    Scenario
		want error
	}{
		{"retention above 1", Scenario{Margin: 1, Retention: 1.2, Discount: 0.1}, ErrInvalidInput},
		{"negative discount", Scenario{Margin: 1, Retention: 0.5, Discount: -0.1}, ErrInvalidInput},
		{"NaN margin", Scenario{Margin: math.NaN(), Retention: 0.5, Discount: 0.1}, ErrInvalidInput},
		{"negative periods", Scenario{Margin: 1, Retention: 0.5, Discount: 0.1, Periods: -1}, ErrInvalidInput},
		{"infinite horizon without discount", Scenario{Margin: 1, Retention: 1, Discount: 0}, ErrInfiniteValue},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if _, err := Value(c.s); !errors.Is(err, c.want) {
				t.Errorf("error %v, want %v", err, c.want)
			}
		})
	}
	if _, err := MarginMultiple(1, 0); !errors.Is(err, ErrInfiniteValue) {
		t.Errorf("MarginMultiple(1, 0): %v", err)
	}
}

func TestValueNoDiscountIsSurvivalSum(t *testing.T) {
	// With d = 0 and start timing the value is m · Σ r^i: for r = 1 exactly
	// m · (n+1), a case that defeats the (1−q^(n+1))/(1−q) form.
	v, err := Value(Scenario{Margin: 10, Retention: 1, Discount: 0, Periods: 7})
	if err != nil {
		t.Fatal(err)
	}
	if v.CLV != 80 {
		t.Errorf("CLV %g, want 80", v.CLV)
	}
}

func ExampleValue() {
	// A customer worth 100 a year, retained with probability 0.8, discount
	// 10% a year, margin received at the start of each year (Berger & Nasr case 1),
	// over 3 years after acquisition: 100 + 80/1.1 + 64/1.21 + 51.2/1.331 = 264.09.
	v, _ := Value(Scenario{Margin: 100, Retention: 0.8, Discount: 0.1, Periods: 3})
	fmt.Printf("CLV %.2f\n", v.CLV)
	for _, f := range v.Flows {
		fmt.Printf("%d %.3f %.2f %.4f %.2f\n", f.Period, f.Survival, f.Margin, f.Discount, f.Cumulative)
	}
	// Output:
	// CLV 264.09
	// 0 1.000 100.00 1.0000 100.00
	// 1 0.800 80.00 0.9091 172.73
	// 2 0.640 64.00 0.8264 225.62
	// 3 0.512 51.20 0.7513 264.09
}

func ExampleMarginMultiple() {
	// Gupta & Lehmann: retention 80%, discount 12% → each unit of annual margin is
	// worth r/(1+d−r) = 0.8/0.32 = 2.5 units of lifetime value.
	m, _ := MarginMultiple(0.8, 0.12)
	fmt.Printf("%.2f\n", m)
	// Output: 2.50
}
