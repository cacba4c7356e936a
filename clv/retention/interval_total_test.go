package retention

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestResidualIntervalTotals: the total interval and PositiveTotal, summed
// per distinct tenure, equal the row-by-row sums of Value over every draw
// (computed here directly) to 1e-12 relative; some margins are negative.
func TestResidualIntervalTotals(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	ten := simulateBase(r, 2000, 24, 0.9, 3.5)
	margin := make([]float64, ten.Len())
	for i := range margin {
		margin[i] = -5 + 40*r.Float64()
	}
	fit, err := FitSBG(ten.Durations(nil), FitOptions{})
	if err != nil {
		t.Fatal(err)
	}
	band, err := ResidualInterval(ten, nil, fit, margin, 0.01, IntervalOptions{Level: 0.9, Draws: 300, Seed: 5})
	if err != nil {
		t.Fatal(err)
	}
	totals := make([]float64, len(band.Tables))
	negatives := 0
	for d := range band.Tables {
		var pos float64
		for j := range ten.Len() {
			v := band.Value(d, j)
			totals[d] += v
			pos += math.Max(0, v)
			if d == 0 && v < 0 {
				negatives++
			}
		}
		if got := band.PositiveTotal(d); math.Abs(got-pos) > 1e-12*math.Abs(pos) {
			t.Fatalf("draw %d: PositiveTotal %.15g, row by row %.15g", d, got, pos)
		}
	}
	if negatives == 0 {
		t.Fatal("no negative value: the test does not exercise max(0, ·)")
	}
	lo, hi := percentiles(totals, 0.9)
	if math.Abs(lo-band.TotalLow) > 1e-12*math.Abs(lo) || math.Abs(hi-band.TotalHigh) > 1e-12*math.Abs(hi) {
		t.Errorf("total interval [%.15g, %.15g], row by row [%.15g, %.15g]", band.TotalLow, band.TotalHigh, lo, hi)
	}
}
