package clv

import (
	"fmt"
	"math"

	"github.com/clvkit/clv/clv/retention"
	"github.com/clvkit/clv/segment"
)

// Potential is the current and potential value of every subscriber (see
// Base.Potential). Slices are indexed by subscriber row; rows not active at
// the as-of day, or in a group without a retention model, hold zeros.
type Potential struct {
	// Valued marks the rows valued: active at the as-of day, with a model.
	Valued []bool
	// Group is the retention group (index into Retention.Groups), -1 when not valued.
	Group []int
	// Tenure counts calendar periods from the activation period to the
	// as-of period (0 = activated in it).
	Tenure []int32
	// Current is the margin per period at today's run rate (Values.Margin).
	Current []float64
	// Future is the residual value at today's run rate (Values.Value):
	// Current × DERL.
	Future []float64
	// Growth is the residual value when spend follows the group's value
	// curve from the current tenure at the subscriber's own level.
	Growth []float64
	// Value is the potential value, the growth part: Growth − Future
	// (negative when the curve and the subscriber's level point down).
	Value []float64
	// Headroom is the up-sell headroom per period: the group's 75th spend
	// percentile at the subscriber's tenure minus its run-rate spend, at
	// least 0.
	Headroom []float64
	// Level is the subscriber's spend relative to its curve after
	// shrinkage, Credibility the weight n/(n+k) on its own level.
	Level, Credibility []float64
	// K is the shrinkage constant per retention group (Bühlmann–Straub;
	// see the package comment of segment for the curve).
	K []float64
	// Curves are the value curves by the retention grouping column.
	Curves *ValueCurves
	// Totals over the valued rows.
	TotalCurrent, TotalFuture, TotalPotential, TotalHeadroom float64
	// Description says in words how the values were computed.
	Description string
}

// HeadroomQuantile is the spend quantile of the value curve that up-sell
// headroom is measured against.
const HeadroomQuantile = 0.75

// curveTable is the number of tenures whose curve values buildPotential
// tabulates (50 years of months).
const curveTable = 600

// maxShrinkage caps the shrinkage constant k (a group whose subscribers do
// not differ beyond noise trusts the curve almost entirely).
const maxShrinkage = 1000

// Potential values every active subscriber's growth: the expected future
// margin when its spend follows the value curve of its retention group (by
// Options.RetentionBy, see ValueCurves) from its current tenure, scaled by
// its own level, times survival under the group's retention model,
// discounted as in SubscriberValues — minus the value at today's run rate.
//
// A subscriber's level is the mean of spend ÷ curve over its observed
// periods, shrunk towards the group's mean by Bühlmann–Straub credibility:
// level = Z·own + (1−Z)·group with Z = n/(n+k) for n observed periods and
// k = within-subscriber variance / between-subscriber variance of the
// ratios, estimated per group (Bühlmann & Straub 1970). The growth-aware
// value of a subscriber with n completed periods and tenure τ is
//
//	Σ_{j≥1} S(n+j)/S(n) (1+d)^−(j−1) × rate × level × curve(τ+j)
//
// with the curve held flat beyond its longest tenure (the tail is then the
// run-rate DERL sum); with one constant margin m (Options.MarginSet) the
// margin follows the curve's shape, m × curve(τ+j)/curve(τ).
func (b *Base) Potential() (*Potential, error) {
	if b.potential != nil || b.potErr != nil {
		return b.potential, b.potErr
	}
	b.potential, b.potErr = b.buildPotential()
	return b.potential, b.potErr
}

func (b *Base) buildPotential() (*Potential, error) {
	r, err := b.Retention()
	if err != nil {
		return nil, err
	}
	vals, err := b.SubscriberValues()
	if err != nil {
		return nil, err
	}
	curves, err := b.ValueCurves(r.By)
	if err != nil {
		return nil, err
	}
	p, err := b.Panel()
	if err != nil {
		return nil, err
	}
	s := b.Subs
	n := s.Len()
	spend, err := retention.Margins(b.Tx, b.SubOf, s, retention.MarginOptions{
		Period: b.opt.Period, AsOf: b.asOf, Window: b.opt.MarginWindow, Rate: 1})
	if err != nil {
		return nil, err
	}
	pt := &Potential{
		Valued: make([]bool, n), Group: make([]int, n), Tenure: make([]int32, n),
		Current: make([]float64, n), Future: make([]float64, n), Growth: make([]float64, n),
		Value: make([]float64, n), Headroom: make([]float64, n), Level: make([]float64, n),
		Credibility: make([]float64, n), K: make([]float64, len(r.Groups)), Curves: curves,
	}
	curveOf := make([]*segment.Curve, len(r.Groups))
	// The curves at tenures 0 … curveTable−1 looked up once, not per
	// observation.
	table := make([][]float64, len(r.Groups))
	for gi := range r.Groups {
		curveOf[gi] = curves.Curve(r.Groups[gi].Name)
		table[gi] = make([]float64, curveTable)
		for t := range table[gi] {
			table[gi][t] = curveOf[gi].At(t)
		}
	}
	curveAt := func(gi int, t int32) float64 {
		if int(t) < curveTable {
			return table[gi][t]
		}
		return curveOf[gi].At(int(t))
	}
	// Per subscriber: exposure w = Σ curve(t)/ref over its observed periods
	// (ref = the group's mean curve value, so w counts typical periods),
	// Σ spend/ref and Σ spend²/(curve(t)·ref): the weighted sums of the
	// ratios spend ÷ curve that Bühlmann–Straub credibility needs.
	ref := make([]float64, len(r.Groups))
	refN := make([]float64, len(r.Groups))
	b.curveObservations(p, func(row int, tenure int32, _ float64) {
		if gi := vals.Group[row]; gi >= 0 {
			ref[gi] += curveAt(gi, tenure)
			refN[gi]++
		}
	})
	for gi := range ref {
		if refN[gi] > 0 {
			ref[gi] /= refN[gi]
		}
	}
	cnt := make([]float64, n)
	expo := make([]float64, n)
	sum := make([]float64, n)
	sq := make([]float64, n)
	b.curveObservations(p, func(row int, tenure int32, x float64) {
		gi := vals.Group[row]
		if gi < 0 || ref[gi] <= 0 {
			return
		}
		c := curveAt(gi, tenure)
		if c <= 0 {
			return
		}
		cnt[row]++
		expo[row] += c / ref[gi]
		sum[row] += x / ref[gi]
		sq[row] += x * x / (c * ref[gi])
	})
	hq := -1
	for k, q := range curves.Pool.Quantiles {
		if q == HeadroomQuantile {
			hq = k
		}
	}
	if hq < 0 {
		return nil, fmt.Errorf("value curve has no %g quantile", HeadroomQuantile)
	}
	asOfIdx := b.opt.Period.Index(b.asOf)
	d := b.opt.Discount
	for gi := range r.Groups {
		g := &r.Groups[gi]
		k, mean := credibility(g.Rows, cnt, expo, sum, sq)
		pt.K[gi] = k
		c := curveOf[gi]
		last := c.Points[len(c.Points)-1].Tenure
		for _, i := range g.Rows {
			pt.Group[i] = -1
			if r.Tenures.Status[i] != retention.Active || g.Model == nil {
				continue
			}
			tau := asOfIdx - b.opt.Period.Index(s.Activation[i])
			z, own := 0.0, mean
			if expo[i] > 0 {
				z = expo[i] / (expo[i] + k)
				own = sum[i] / expo[i]
			}
			level := z*own + (1-z)*mean
			scale := b.opt.MarginRate * level
			if b.opt.MarginSet {
				scale = 0
				if ref := c.At(tau); ref > 0 {
					scale = b.opt.Margin / ref
				}
			}
			growth, err := growthValue(g.Model, r.Tenures.Completed(i), tau, last, d, vals.DERL[i], func(t int) float64 { return scale * c.At(t) })
			if err != nil {
				return nil, fmt.Errorf("%s: potential value of %s: %w", r.Label(g), s.ID[i], err)
			}
			pt.Valued[i], pt.Group[i], pt.Tenure[i] = true, gi, int32(tau)
			pt.Level[i], pt.Credibility[i] = level, z
			pt.Current[i], pt.Future[i], pt.Growth[i] = vals.Margin[i], vals.Value[i], growth
			pt.Value[i] = growth - vals.Value[i]
			pt.Headroom[i] = math.Max(0, c.QuantileAt(tau, hq)-spend[i])
			pt.TotalCurrent += pt.Current[i]
			pt.TotalFuture += pt.Future[i]
			pt.TotalPotential += pt.Value[i]
			pt.TotalHeadroom += pt.Headroom[i]
		}
	}
	for i := range pt.Group {
		if !pt.Valued[i] {
			pt.Group[i] = -1
		}
	}
	by := "the whole base"
	if r.By != "" {
		by = "each " + r.By
	}
	pt.Description = fmt.Sprintf("potential value: residual value when spend follows the value curve of %s from the current tenure at the subscriber's own level (Bühlmann–Straub credibility n/(n+k), k per group), under the group's retention model at %g%% per %s, minus the residual value at today's run rate; headroom: the curve's %gth spend percentile at the same tenure minus the run-rate spend per %s",
		by, 100*d, b.opt.Period, 100*HeadroomQuantile, b.opt.Period)
	return pt, nil
}

// credibility estimates the Bühlmann–Straub shrinkage constant k and the
// collective mean of the ratios X = spend ÷ curve with weights w = curve/ref
// (per row: cnt observations, expo = Σ w, sum = Σ w X, sq = Σ w X²):
//
//	X̄_i = sum_i/expo_i,  s² = Σ_i (sq_i − expo_i X̄_i²) / Σ_i (cnt_i − 1)
//	X̄  = Σ sum_i / Σ expo_i
//	a  = (Σ_i expo_i (X̄_i − X̄)² − (I − 1) s²) / (W − Σ_i expo_i²/W)
//	k  = s²/a   (maxShrinkage when a ≤ 0)
//
// (Bühlmann, H. and Straub, E., "Glaubwürdigkeit für Schadensätze",
// Mitteilungen der Vereinigung Schweizerischer Versicherungsmathematiker 70,
// 1970). A subscriber's credibility is expo/(expo + k).
func credibility(rows []int, cnt, expo, sum, sq []float64) (k, mean float64) {
	var wTot, w2, sTot, within, df, subjects float64
	for _, i := range rows {
		if expo[i] <= 0 {
			continue
		}
		subjects++
		wTot += expo[i]
		w2 += expo[i] * expo[i]
		sTot += sum[i]
		m := sum[i] / expo[i]
		within += math.Max(0, sq[i]-expo[i]*m*m)
		df += cnt[i] - 1
	}
	if wTot == 0 {
		return maxShrinkage, 1
	}
	mean = sTot / wTot
	if df == 0 || subjects < 2 {
		return maxShrinkage, mean
	}
	s2 := within / df
	var between float64
	for _, i := range rows {
		if expo[i] > 0 {
			m := sum[i] / expo[i]
			between += expo[i] * (m - mean) * (m - mean)
		}
	}
	a := (between - (subjects-1)*s2) / (wTot - w2/wTot)
	if a <= 0 {
		return maxShrinkage, mean
	}
	return math.Min(maxShrinkage, s2/a), mean
}

// growthValue sums Σ_{j≥1} S(n+j)/S(n) (1+d)^−(j−1) × margin(τ+j) until
// τ+j reaches the curve's last tenure, where the margin is flat and the rest
// is margin(last) × (derl − the survival weights summed so far).
func growthValue(m retention.Model, n, tau, last int, d, derl float64, margin func(t int) float64) (float64, error) {
	var v, wsum float64
	w := 1.0
	for j := 1; tau+j < last; j++ {
		w *= m.Retention(n + j)
		if j > 1 {
			w /= 1 + d
		}
		wsum += w
		v += w * margin(tau+j)
	}
	v += math.Max(0, derl-wsum) * margin(max(last, tau+1))
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, fmt.Errorf("%w: growth-aware value %g", retention.ErrInfiniteValue, v)
	}
	return v, nil
}

// QuadrantRow sums one current × potential quadrant of the segments over
// the customers not churned.
type QuadrantRow struct {
	Quadrant    segment.Quadrant
	Subscribers int
	// Current is the sum of current value per period (segment's
	// current_value), CLV of future value, Potential of potential value
	// (0 without potential values) and Headroom of up-sell headroom per
	// period.
	Current, CLV, Potential, Headroom float64
}

// Quadrants sums the segments by quadrant (stars, potentials, cash cows,
// low value), leaving out churned customers.
func (s *Segments) Quadrants() []QuadrantRow {
	r := s.Result
	out := []QuadrantRow{{Quadrant: segment.Stars}, {Quadrant: segment.Potentials}, {Quadrant: segment.CashCows}, {Quadrant: segment.LowValue}}
	for i := range r.IDs {
		if r.Stage[i] == segment.Churned {
			continue
		}
		q := &out[r.Quadrant[i]]
		q.Subscribers++
		q.Current += r.Current[i]
		q.CLV += r.CLV[i]
		if r.Potential != nil {
			q.Potential += r.Potential[i]
		}
		if s.Headroom != nil {
			q.Headroom += s.Headroom[i]
		}
	}
	return out
}
