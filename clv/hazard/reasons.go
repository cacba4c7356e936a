package hazard

import (
	"cmp"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"

	"github.com/clvkit/clv/clv/dataset"
	"gonum.org/v1/gonum/mat"
)

// group is a set of columns read together as one reason.
type group struct {
	feature string
	cols    []int
}

// groups returns the reason groups of the design: tenure (all bands), each
// behaviour feature, each attribute (all levels).
func (d *design) groups() []group {
	var gs []group
	t := group{feature: "tenure"}
	for b := 1; b <= d.tenureCols(); b++ {
		t.cols = append(t.cols, b)
	}
	gs = append(gs, t)
	bs := d.behaviourStart()
	for j, name := range behaviourNames[:colSlope] {
		gs = append(gs, group{feature: name, cols: []int{bs + j}})
	}
	slope := group{feature: "spend_slope"}
	for j := colSlope; j < numBehaviour; j++ {
		slope.cols = append(slope.cols, bs+j)
	}
	gs = append(gs, slope)
	off := d.attrStart()
	for _, a := range d.Attrs {
		g := group{feature: a.Name}
		for k := range a.Levels {
			g.cols = append(g.cols, off+k)
		}
		off += len(a.Levels)
		gs = append(gs, g)
	}
	return gs
}

// reasons returns up to three feature groups with the largest positive
// contribution Σ_j β_j (x_j − mean x_j), averaged over the lag models.
func (m *Model) reasons(x []float64, rw raw, row int, subs *dataset.Subscribers) []Reason {
	var out []Reason
	for _, g := range m.design.groups() {
		var c float64
		for _, l := range m.Lags {
			for _, j := range g.cols {
				if l.Scale[j] > 0 {
					c += l.Coef[j] * (x[j] - l.Mean[j]) / l.Scale[j]
				}
			}
		}
		c /= float64(len(m.Lags))
		if !(c > 1e-9) {
			continue
		}
		out = append(out, Reason{Feature: g.feature, Text: m.describe(g.feature, rw, row, subs), Contribution: c})
	}
	slices.SortStableFunc(out, func(a, b Reason) int { return cmp.Compare(b.Contribution, a.Contribution) })
	return out[:min(3, len(out))]
}

// describe says what the subscriber's value of a feature group is.
func (m *Model) describe(feature string, rw raw, row int, subs *dataset.Subscribers) string {
	per := m.Options.Period.String()
	switch feature {
	case "tenure":
		return fmt.Sprintf("tenure %.0f months", math.Floor(rw.TenureMonths))
	case "recency":
		return fmt.Sprintf("no purchase for %.0f days", rw.RecencyDays)
	case "no_purchase":
		return "no purchase since activation"
	case "spend_level":
		return fmt.Sprintf("spend %.2f per %s", rw.Level, per)
	case "spend_trend":
		return fmt.Sprintf("spend %+.0f%% vs the previous %d %ss", 100*rw.Trend, history, per)
	case "spend_change":
		return fmt.Sprintf("spend %+.0f%% vs the previous %s", 100*rw.Change, per)
	case "spend_slope":
		return fmt.Sprintf("spend trending %+.0f%% a %s over the last %d %ss", 100*rw.Slope, per, slopeWindow, per)
	case "active_share":
		return fmt.Sprintf("spend in %.0f%% of %ss", 100*rw.Share, per)
	}
	return feature + " " + subs.Attr(feature)[row]
}

// Interval is a per-subscriber interval of the churn probability.
type Interval struct {
	Level     float64
	Low, High []float64
	// Draws[d][i] is the probability of subscriber i under parameter draw
	// d, for combining with other uncertain values (see ProductInterval).
	Draws [][]float64
}

// Interval returns the central level interval (0 < level < 1) of each
// subscriber's churn probability under parameter uncertainty: a seeded
// parametric bootstrap drawing each lag model's coefficients from the normal
// approximation N(β̂_k, Cov_k), as β̂_k + L_k z with L_k the Cholesky factor
// of Cov_k and one z shared by the lags (their errors are strongly
// correlated: they are fitted on the same churn events), and taking
// percentiles of the probabilities.
func (m *Model) Interval(s *Scores, level float64, draws int, seed uint64) (*Interval, error) {
	if !(level > 0 && level < 1) {
		return nil, fmt.Errorf("%w: interval level %g (want between 0 and 1)", ErrInvalidInput, level)
	}
	if draws < 20 || draws > 100000 {
		return nil, fmt.Errorf("%w: %d draws (want 20 to 100000)", ErrInvalidInput, draws)
	}
	chol := make([]*mat.TriDense, len(m.Lags))
	for k, g := range m.Lags {
		if g.Cov == nil {
			return nil, fmt.Errorf("%w: churn hazard lag %d has no covariance (information matrix not positive definite)", ErrNotConverged, k+1)
		}
		var ch mat.Cholesky
		if !ch.Factorize(g.Cov) {
			return nil, fmt.Errorf("%w: churn hazard lag %d: covariance not positive definite", ErrNotConverged, k+1)
		}
		var l mat.TriDense
		ch.LTo(&l)
		chol[k] = &l
	}
	rng := rand.New(rand.NewPCG(seed, 0x6861_7a61_7264))
	n := len(s.Rows)
	out := &Interval{Level: level, Low: make([]float64, n), High: make([]float64, n), Draws: make([][]float64, draws)}
	beta := make([][]float64, len(m.Lags))
	for k, g := range m.Lags {
		beta[k] = make([]float64, len(g.Coef))
	}
	z := make([]float64, s.Width)
	for d := 0; d < draws; d++ {
		// One standard-normal vector for every lag: the lag models are fitted
		// on the same churn events (a churn in period p is the lag-k outcome
		// of the cutoff p − k for every k), so their estimation errors move
		// together. Independent draws would let them cancel and make the
		// H-period interval too narrow (69 % coverage of a nominal 90 % by
		// simulation; TestIntervalCoverage).
		for j := range z {
			z[j] = rng.NormFloat64()
		}
		for k, g := range m.Lags {
			w := len(g.Coef)
			for a := 0; a < w; a++ {
				v := g.Coef[a]
				for b := 0; b <= a; b++ {
					v += chol[k].At(a, b) * z[b]
				}
				beta[k][a] = v
			}
		}
		pd := make([]float64, n)
		for i := 0; i < n; i++ {
			pd[i] = m.probability(beta, s.X[i*s.Width:(i+1)*s.Width], nil)
		}
		out.Draws[d] = pd
	}
	col := make([]float64, draws)
	for i := 0; i < n; i++ {
		for d := range col {
			col[d] = out.Draws[d][i]
		}
		out.Low[i], out.High[i] = Percentiles(col, level)
	}
	return out, nil
}

// Percentiles sorts v in place and returns its (1−level)/2 and (1+level)/2
// empirical quantiles (linear interpolation between order statistics).
func Percentiles(v []float64, level float64) (lo, hi float64) {
	slices.Sort(v)
	return quantile(v, (1-level)/2), quantile(v, (1+level)/2)
}

func quantile(sorted []float64, q float64) float64 {
	if len(sorted) == 0 {
		return 0
	}
	h := q * float64(len(sorted)-1)
	i := int(math.Floor(h))
	if i >= len(sorted)-1 {
		return sorted[len(sorted)-1]
	}
	return sorted[i] + (h-float64(i))*(sorted[i+1]-sorted[i])
}

// Product returns the per-subscriber interval (at the level of iv) of the
// churn probability times another uncertain quantity, pairing draw d of the
// probability with value(d, i), for example the expected value lost under
// independent parameter draws of the value model.
func (iv *Interval) Product(value func(d, i int) float64) (low, high []float64) {
	if len(iv.Draws) == 0 {
		return nil, nil
	}
	n := len(iv.Draws[0])
	low, high = make([]float64, n), make([]float64, n)
	col := make([]float64, len(iv.Draws))
	for i := 0; i < n; i++ {
		for d, pd := range iv.Draws {
			col[d] = pd[i] * value(d, i)
		}
		low[i], high[i] = Percentiles(col, iv.Level)
	}
	return low, high
}
