package retention

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/clvkit/clv/clv/dataset"
)

func TestResidualValues(t *testing.T) {
	tn := &Tenures{
		Period:   []int32{1, 8, 3, 0},
		Fraction: []float64{0.5, 0.2, 1, 0},
		Status:   []Status{Active, Active, Churned, NotStarted},
	}
	m := SBG{0.668, 3.806}
	margin := []float64{10, 20, 30, 40}
	r, err := ResidualValues(tn, nil, m, margin, 0.1)
	if err != nil {
		t.Fatal(err)
	}
	d0, _ := m.DERL(0.1, 0)
	d7, _ := m.DERL(0.1, 7)
	want := []float64{10 * d0, 20 * d7, 0, 0}
	for i, w := range want {
		if math.Abs(r.Value[i]-w) > 1e-12*math.Max(1, w) {
			t.Errorf("row %d: value %g, want %g", i, r.Value[i], w)
		}
	}
	if r.Tenure[1] != 7 || r.Tenure[2] != 3 || math.Abs(r.RetentionNext[1]-m.Retention(8)) > 0 {
		t.Errorf("tenure %v retention %v", r.Tenure, r.RetentionNext)
	}
	if math.Abs(r.Total-want[0]-want[1]) > 1e-9 {
		t.Errorf("total %g", r.Total)
	}
	sub, err := ResidualValues(tn, []int{1}, m, margin, 0.1)
	if err != nil || len(sub.Value) != 1 || sub.Value[0] != r.Value[1] {
		t.Errorf("subset: %v %v", sub, err)
	}
}

// syntheticBase builds n subscribers activated over 10 years before
// 2024-12-31, a third of them churned, for benchmarks.
func syntheticBase(n int) *dataset.Subscribers {
	rng := rand.New(rand.NewPCG(7, 7))
	asOf := dataset.Civil(2024, 12, 31)
	s := &dataset.Subscribers{ID: make([]string, n), Activation: make([]dataset.Day, n), Churn: make([]dataset.Day, n)}
	for i := range n {
		s.ID[i] = fmt.Sprintf("S%07d", i)
		a := asOf - dataset.Day(rng.IntN(3650))
		s.Activation[i] = a
		s.Churn[i] = dataset.NoDay
		if rng.IntN(3) == 0 {
			s.Churn[i] = a + dataset.Day(rng.IntN(int(asOf-a)+1))
		}
	}
	return s
}

func BenchmarkResidualValues(b *testing.B) {
	for _, n := range []int{10_000, 100_000, 1_000_000} {
		s := syntheticBase(n)
		tn, err := ComputeTenures(s, TenureOptions{Period: dataset.PeriodMonth, AsOf: dataset.Civil(2024, 12, 31)})
		if err != nil {
			b.Fatal(err)
		}
		margin := make([]float64, n)
		for i := range margin {
			margin[i] = 30
		}
		m := SBG{0.704, 1.182}
		b.Run(fmt.Sprintf("derl/n=%d", n), func(b *testing.B) {
			for b.Loop() {
				if _, err := ResidualValues(tn, nil, m, margin, 0.01); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(fmt.Sprintf("tenures+derl/n=%d", n), func(b *testing.B) {
			for b.Loop() {
				tn, _ := ComputeTenures(s, TenureOptions{Period: dataset.PeriodMonth, AsOf: dataset.Civil(2024, 12, 31)})
				if _, err := ResidualValues(tn, nil, m, margin, 0.01); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkFitSBG(b *testing.B) {
	for _, n := range []int{1_000, 100_000, 1_000_000} {
		s := syntheticBase(n)
		tn, _ := ComputeTenures(s, TenureOptions{Period: dataset.PeriodMonth, AsOf: dataset.Civil(2024, 12, 31)})
		d := tn.Durations(nil)
		b.Run(fmt.Sprintf("collapse/n=%d", n), func(b *testing.B) {
			for b.Loop() {
				tn.Durations(nil)
			}
		})
		b.Run(fmt.Sprintf("fit/n=%d", n), func(b *testing.B) {
			for b.Loop() {
				if _, err := FitSBG(d, FitOptions{}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
	b.Run("fit/faderhardie-regular", func(b *testing.B) {
		d, _ := Cohort(fhRegular)
		for b.Loop() {
			if _, err := FitSBG(d, FitOptions{}); err != nil {
				b.Fatal(err)
			}
		}
	})
}
