package retention

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
)

// IntervalOptions configures ResidualInterval.
type IntervalOptions struct {
	// Level is the central coverage of the interval, in (0, 1), e.g. 0.9.
	Level float64
	// Draws is the number of parameter draws (0 means 1000; 20 to 100000).
	Draws int
	// Seed seeds the draws; the same inputs and seed give the same interval.
	Seed uint64
}

// ResidualBand is the uncertainty of the residual values of ResidualValues
// that comes from the sBG parameter estimates.
type ResidualBand struct {
	Level float64
	// Low and High bound each row's value (indexed like ResidualValues'
	// rows).
	Low, High []float64
	// TotalLow and TotalHigh bound the total value of the rows.
	TotalLow, TotalHigh float64
	// Tables[d][n] is DERL(d | n) under parameter draw d; Rows' value under
	// draw d is margin × Tables[d][Completed] (see Value).
	Tables [][]float64
	// Failed counts draws whose DERL was infinite (undiscounted values with
	// α ≤ 1); they are left out.
	Failed int

	completed []int32   // completed periods of active rows, −1 otherwise
	margin    []float64 // margin of each row
	positive  []float64 // per completed periods, the sum of the positive margins
}

// Value returns row j's residual value under parameter draw d.
func (b *ResidualBand) Value(d, j int) float64 {
	if b.completed[j] < 0 {
		return 0
	}
	return b.margin[j] * b.Tables[d][b.completed[j]]
}

// PositiveTotal returns Σ_j max(0, Value(d, j)), the total value of the rows
// under parameter draw d with negative values counted as 0, in one pass over
// the distinct tenures (DERL is positive, so a row's value is negative
// exactly when its margin is).
func (b *ResidualBand) PositiveTotal(d int) float64 {
	var v float64
	for c, m := range b.positive {
		v += m * b.Tables[d][c]
	}
	return v
}

// ResidualInterval carries the uncertainty of fit's α and β to the residual
// values of ResidualValues (same t, rows, margin, d): a seeded parametric
// bootstrap draws (log α, log β) from the normal approximation of the
// estimate (the covariance fit.Cov moved to log scale by the delta method),
// recomputes DERL for each draw and returns the percentile interval of each
// row's value and of their total. Margins are taken as known.
func ResidualInterval(t *Tenures, rows []int, fit *Fit, margin []float64, d float64, opt IntervalOptions) (*ResidualBand, error) {
	if !(opt.Level > 0 && opt.Level < 1) {
		return nil, fmt.Errorf("%w: interval level %g (want between 0 and 1)", ErrInvalidInput, opt.Level)
	}
	if opt.Draws == 0 {
		opt.Draws = 1000
	}
	if opt.Draws < 20 || opt.Draws > 100000 {
		return nil, fmt.Errorf("%w: %d draws (want 20 to 100000)", ErrInvalidInput, opt.Draws)
	}
	if len(margin) != t.Len() {
		return nil, fmt.Errorf("%w: %d margins for %d subscribers", ErrInvalidInput, len(margin), t.Len())
	}
	c := fit.Cov
	if !(c[0][0] > 0 && c[1][1] > 0) {
		return nil, fmt.Errorf("%w: the sBG fit has no covariance (flat likelihood), so its parameter uncertainty is unknown", ErrNotConverged)
	}
	// Covariance of (log α, log β): J Σ J with J = diag(1/α, 1/β).
	a, b := fit.Alpha, fit.Beta
	vaa, vab, vbb := c[0][0]/(a*a), c[0][1]/(a*b), c[1][1]/(b*b)
	// Cholesky of the 2×2 covariance.
	l11 := math.Sqrt(vaa)
	l21 := vab / l11
	l22sq := vbb - l21*l21
	if !(l22sq > 0) {
		return nil, fmt.Errorf("%w: sBG parameter covariance is not positive definite", ErrNotConverged)
	}
	l22 := math.Sqrt(l22sq)

	n := t.Len()
	if rows != nil {
		n = len(rows)
	}
	band := &ResidualBand{Level: opt.Level, Low: make([]float64, n), High: make([]float64, n),
		completed: make([]int32, n), margin: make([]float64, n)}
	maxN := 0
	for j := 0; j < n; j++ {
		i := j
		if rows != nil {
			i = rows[j]
		}
		band.completed[j] = -1
		band.margin[j] = margin[i]
		if t.Status[i] == Active {
			band.completed[j] = int32(t.Completed(i))
			maxN = max(maxN, t.Completed(i))
		}
	}
	rng := rand.New(rand.NewPCG(opt.Seed, 0x7342_4721))
	la, lb := math.Log(a), math.Log(b)
	for k := 0; k < opt.Draws; k++ {
		z1, z2 := rng.NormFloat64(), rng.NormFloat64()
		m := SBG{Alpha: math.Exp(la + l11*z1), Beta: math.Exp(lb + l21*z1 + l22*z2)}
		table, err := DERLTable(m, d, maxN)
		if err != nil {
			band.Failed++
			continue
		}
		band.Tables = append(band.Tables, table)
	}
	if len(band.Tables) < opt.Draws*9/10 {
		return nil, fmt.Errorf("%w: %d of %d parameter draws give an infinite residual lifetime (alpha near 1 without discounting)", ErrInfiniteValue, band.Failed, opt.Draws)
	}
	draws := len(band.Tables)
	// Per distinct tenure, the DERL quantiles; a row's bounds are its margin
	// times them (order swapped for a negative margin).
	qlo := make([]float64, maxN+1)
	qhi := make([]float64, maxN+1)
	col := make([]float64, draws)
	for c := 0; c <= maxN; c++ {
		for k, tb := range band.Tables {
			col[k] = tb[c]
		}
		qlo[c], qhi[c] = percentiles(col, opt.Level)
	}
	// The total under draw k is Σ_j margin_j × Tables[k][completed_j]
	// = Σ_c Tables[k][c] × (the margins of the rows with c completed
	// periods): one pass over the rows, then draws × distinct tenures.
	byCompleted := make([]float64, maxN+1)
	band.positive = make([]float64, maxN+1)
	for j := 0; j < n; j++ {
		c := band.completed[j]
		if c < 0 {
			continue
		}
		m := band.margin[j]
		lo, hi := m*qlo[c], m*qhi[c]
		band.Low[j], band.High[j] = min(lo, hi), max(lo, hi)
		byCompleted[c] += m
		band.positive[c] += max(0, m)
	}
	totals := make([]float64, draws)
	for k, tb := range band.Tables {
		for c, m := range byCompleted {
			totals[k] += m * tb[c]
		}
	}
	band.TotalLow, band.TotalHigh = percentiles(totals, opt.Level)
	return band, nil
}

// percentiles sorts v and returns its (1−level)/2 and (1+level)/2 empirical
// quantiles, interpolating linearly between order statistics.
func percentiles(v []float64, level float64) (float64, float64) {
	slices.Sort(v)
	q := func(p float64) float64 {
		h := p * float64(len(v)-1)
		i := int(math.Floor(h))
		if i >= len(v)-1 {
			return v[len(v)-1]
		}
		return v[i] + (h-float64(i))*(v[i+1]-v[i])
	}
	return q((1 - level) / 2), q((1 + level) / 2)
}
