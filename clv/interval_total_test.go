package clv

import (
	"math"
	"testing"
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
