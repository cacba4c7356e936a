package clv

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/clvkit/clv/clv/dataset"
	"github.com/clvkit/clv/clv/synth"
	"github.com/clvkit/clv/segment"
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

// TestValueCurvesManyGroups: a column with 70 values is built in two
// passes of at most curveBatch groups; every group's curve equals BuildCurve
// on that group's observations gathered directly, and the groups' periods
// add up to the whole base's.
func TestValueCurvesManyGroups(t *testing.T) {
	d := generated(t, 3000)
	bucket := make([]string, d.Subs.Len())
	for i := range bucket {
		bucket[i] = fmt.Sprintf("b%03d", i%70)
	}
	d.Subs.AttrNames = append(d.Subs.AttrNames, "bucket")
	d.Subs.Attrs = append(d.Subs.Attrs, bucket)
	b, err := New(d, DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	v, err := b.ValueCurves("bucket")
	if err != nil {
		t.Fatal(err)
	}
	if len(v.Names) != 70 || 70 <= curveBatch {
		t.Fatalf("%d groups (batch %d)", len(v.Names), curveBatch)
	}
	p, err := b.Panel()
	if err != nil {
		t.Fatal(err)
	}
	type obs struct {
		ten, subj []int32
		spend     []float64
		fold, sea []int8
	}
	direct := map[string]*obs{}
	b.curveObservations(p, func(row int, tenure int32, spend float64) {
		o := direct[bucket[row]]
		if o == nil {
			o = &obs{}
			direct[bucket[row]] = o
		}
		idx := p.Period.Index(d.Subs.Activation[row]) + int(tenure)
		o.ten, o.subj, o.spend = append(o.ten, tenure), append(o.subj, int32(row)), append(o.spend, spend)
		o.fold, o.sea = append(o.fold, int8(row%curveFolds)), append(o.sea, int8(((idx%12)+12)%12))
	})
	total := 0
	for k, name := range v.Names {
		o := direct[name]
		want, err := segment.BuildCurve(o.ten, o.spend, segment.CurveOptions{Fold: o.fold, Subject: o.subj, Season: o.sea, Seasons: 12})
		if err != nil {
			t.Fatal(err)
		}
		got := v.Curves[k]
		if got == nil || len(got.Points) != len(want.Points) || got.HasWithin != want.HasWithin {
			t.Fatalf("%s: %v", name, v.Errs[k])
		}
		for j, pt := range got.Points {
			w := want.Points[j]
			if pt.Subscribers != w.Subscribers || pt.Mean != w.Mean || pt.Fitted != w.Fitted || pt.Within != w.Within {
				t.Fatalf("%s tenure %d: %+v, direct %+v", name, pt.Tenure, pt, w)
			}
			total += pt.Subscribers
		}
	}
	if total != v.Observations {
		t.Errorf("groups hold %d subscriber-periods, the whole base %d", total, v.Observations)
	}
}
