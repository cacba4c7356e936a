package clv

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/clvkit/clv/clv/dataset"
	"github.com/clvkit/clv/clv/synth"
)

// TestValueIntervalEqualsBands: the report's total interval (ValueInterval,
// summed per distinct tenure) equals the total interval of ValueBands (the
// per-subscriber path, row by row) to 1e-12 relative, with one sBG fit per
// plan.
func TestValueIntervalEqualsBands(t *testing.T) {
	b, err := New(generated(t, 3000), DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	vb, err := b.ValueBands(0.9, 400, 17)
	if err != nil {
		t.Fatal(err)
	}
	lo, hi, err := b.ValueInterval(0.9, 400, 17)
	if err != nil {
		t.Fatal(err)
	}
	if !(vb.TotalLow < vb.TotalHigh) {
		t.Fatalf("degenerate interval [%g, %g]", vb.TotalLow, vb.TotalHigh)
	}
	if math.Abs(lo-vb.TotalLow) > 1e-12*math.Abs(lo) || math.Abs(hi-vb.TotalHigh) > 1e-12*math.Abs(hi) {
		t.Errorf("ValueInterval [%.15g, %.15g], ValueBands [%.15g, %.15g]", lo, hi, vb.TotalLow, vb.TotalHigh)
	}
}

// TestHazardMemoryEstimate: the churn-hazard model is refused before it is
// fitted when its estimate (3 kB per subscriber) is over the memory limit,
// with the estimate, the limit and the heuristic as the way around.
func TestHazardMemoryEstimate(t *testing.T) {
	opt := DefaultOptions()
	opt.MemoryLimit = 1_000_000 // 1 MB for 3000 subscribers × 3 kB = 9 MB
	b, err := New(generated(t, 3000), opt)
	if err != nil {
		t.Fatal(err)
	}
	_, err = b.Risk(RiskOptions{Horizon: 3})
	if !errors.Is(err, dataset.ErrTooLarge) {
		t.Fatalf("risk over the limit: %v", err)
	}
	for _, want := range []string{"3000 subscribers need about 9 MB", "1 MB available", "--risk-model heuristic"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("message lacks %q: %v", want, err)
		}
	}
	// The segments fall back to the heuristic with --risk-model auto.
	if s, err := b.Segments(); err != nil || s.Hazard != nil {
		t.Errorf("segments: %v, hazard %v", err, s != nil && s.Hazard != nil)
	}
}

// BenchmarkValueInterval: the report's interval of the base value (500
// parameter draws per sBG fit) on a base whose values are computed already.
func BenchmarkValueInterval(b *testing.B) {
	for _, n := range []int{3000, 30000, 300000} {
		g, err := synth.Generate(synth.Options{Subscribers: n, Months: 24, Seed: 1})
		if err != nil {
			b.Fatal(err)
		}
		base, err := New(Data{Tx: &g.Transactions, Subs: &g.Subscribers}, DefaultOptions())
		if err != nil {
			b.Fatal(err)
		}
		if _, err := base.SubscriberValues(); err != nil {
			b.Fatal(err)
		}
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			for b.Loop() {
				if _, _, err := base.ValueInterval(0.9, 500, 1); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
