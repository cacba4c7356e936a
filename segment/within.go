package segment

import (
	"math"
	"slices"
)

// maxWithinIterations bounds the alternating estimation of the
// within-subscriber curve.
const maxWithinIterations = 200

// within estimates the within-subscriber curve: spend of subscriber i at
// tenure t ≈ α_i g(t), by alternating g(t) = Σ_i spend_it / Σ_i α_i over the
// subscribers observed at t and α_i = Σ_t spend_it / Σ_t g(t) (the maximum
// likelihood of a Poisson model with multiplicative subscriber and tenure
// effects), accelerated by SQUAREM with the likelihood as a safeguard, until
// g and s change by less than 1e-10 relatively (at most maxWithinIterations
// accelerated rounds of three steps; about 20–40 on the telecom example). Comparing each
// subscriber with itself removes the change of the mix of subscribers with
// tenure: in the cross-section, long tenures hold the survivors, and the
// survivors of a heterogeneous base differ from the newcomers. With seasons,
// spend ≈ α_i g(t) s(season) and s (mean 1) is estimated alongside: a window
// that opens in a low month and closes in a high one would otherwise show
// every subscriber growing, and the growth would add up along the tenure
// axis. (A calendar trend that is not seasonal, such as a price rise, cannot
// be told apart from growth with tenure: within one subscriber tenure and
// calendar time move together.) log g is smoothed like the mean, with the
// same penalty, and scaled to spend by the ratio of total spend to Σ g s
// over the observations.
//
// The estimation works on aggregates (see newWithinModel), so its rounds
// cost the number of distinct observation patterns, not the number of
// observations.
func (c *Curve) within(m *withinModel, total float64) {
	nt, seasons := m.nt, m.seasons
	theta := fitWithin(m, nt+seasons)
	g, sf := theta[:nt], theta[nt:]
	var gsum float64
	for k, mult := range m.cellObs {
		gsum += mult * g[k/seasons] * sf[k%seasons]
	}
	if gsum <= 0 {
		return
	}
	scale := total / gsum
	ten := make([]int, len(c.Points))
	vals := make([]float64, len(c.Points))
	w := make([]float64, len(c.Points))
	for k, p := range c.Points {
		ten[k], vals[k], w[k] = p.Tenure, g[p.Tenure]*scale, m.obs[p.Tenure]
	}
	fit, _, ok := smoothPoints(ten, vals, w, c.Lambda)
	if !ok {
		return
	}
	c.HasWithin = true
	c.WithinPeak = c.Points[0].Tenure
	best := math.Inf(-1)
	for k := range c.Points {
		c.Points[k].Within = fit[k]
		if fit[k] > best {
			best, c.WithinPeak = fit[k], c.Points[k].Tenure
		}
	}
}

// withinFitter is the fixed-point map of the alternating maximisation and
// its log-likelihood, over θ = (g, s).
type withinFitter interface {
	step(theta []float64) []float64
	logLik(theta []float64) float64
}

// fitWithin runs the fixed-point map from θ = 1 to convergence (relative
// change below 1e-10, at most maxWithinIterations accelerated rounds).
func fitWithin(m withinFitter, n int) []float64 {
	theta := make([]float64, n)
	for k := range theta {
		theta[k] = 1
	}
	theta = m.step(theta)
	r, v := make([]float64, n), make([]float64, n)
	ext := make([]float64, n)
	for range maxWithinIterations {
		// SQUAREM (Varadhan & Roland 2008, scheme 3) on the fixed-point map,
		// with the log-likelihood as the safeguard.
		t1 := m.step(theta)
		t2 := m.step(t1)
		var rr, vv float64
		for k := range theta {
			r[k] = t1[k] - theta[k]
			v[k] = t2[k] - t1[k] - r[k]
			rr += r[k] * r[k]
			vv += v[k] * v[k]
		}
		next := t2
		nextLL := m.logLik(t2)
		if vv > 0 {
			a := math.Min(-1, -math.Sqrt(rr/vv))
			for k := range theta {
				ext[k] = math.Max(0, theta[k]-2*a*r[k]+a*a*v[k])
			}
			stepped := m.step(ext)
			if l := m.logLik(stepped); l >= nextLL && !math.IsNaN(l) {
				next, nextLL = stepped, l
			}
		}
		change := 0.0
		for k := range theta {
			if theta[k] > 0 {
				change = math.Max(change, math.Abs(next[k]-theta[k])/theta[k])
			} else if next[k] > 0 {
				change = math.Inf(1)
			}
		}
		theta = next
		if change < 1e-10 {
			break
		}
	}
	return theta
}

// withinModel is the multiplicative model spend ≈ α_subject g(tenure)
// s(season) of Curve.within, with α profiled out, on aggregates.
//
// Given (g, s), subject k's α_k = max(0, total_k)/b_k with b_k = Σ g(t) s(season)
// over its observations: b_k depends only on the subject's multiset of
// (tenure, season) cells, its pattern. Subjects sharing a pattern P share
// b_P, so every sum over observations the fixed-point map and the
// likelihood need reduces to sums over cells and patterns:
//
//	Σ_{k∈P} α_k = T⁺_P / b_P            (T⁺_P = Σ_{k∈P} max(0, total_k))
//	Σ_i α_k(i) s(season_i) [t_i = t] = Σ_P (T⁺_P/b_P) Σ_{cells (t, s) of P} mult · s
//	Σ_i x_i log μ_i = Σ_{k: total>0} total_k log total_k − Σ_P T⁺_P log b_P + Σ_cells X_cell log(g s)
//	Σ_i μ_i = Σ_{P: b_P>0} T⁺_P
//
// which are the per-observation sums of the direct model regrouped, not an
// approximation. A subscriber base has few patterns (activation period ×
// observed span), so a round costs a few thousand operations however many
// subscribers there are.
type withinModel struct {
	nt, seasons int
	nObs        float64
	obs         []float64 // observations per tenure
	cellObs     []float64 // observations per cell t*seasons + season
	cellX       []float64 // spend per cell
	cellNZ      []bool    // a cell holds a non-zero spend
	tenureX     []float64 // spend per tenure
	seasonX     []float64 // spend per season
	// Patterns: cells[start[p]:start[p+1]] with multiplicities mult.
	start    []int32
	cells    []int32
	mult     []float64
	tPos     []float64 // T⁺ per pattern
	entropy  float64   // Σ total_k log total_k over total_k > 0
	alwaysNA bool      // a subject with non-zero spend summing to ≤ 0: α = 0, likelihood −∞

	b, alpha, den, sNum []float64
}

// newWithinModel aggregates the observations (tenure, spend, subject,
// season: parallel slices, season nil = none) into cells and patterns, the
// observations of each subject in their order, subjects in order of first
// appearance.
func newWithinModel(tenure []int32, spend []float64, subject []int32, season []int8, seasons, maxTenure int) *withinModel {
	if season == nil {
		seasons = 1
	}
	a := newWithinAcc(seasons, maxTenure)
	add := func(i int) {
		s := 0
		if season != nil {
			s = int(season[i])
		}
		// Adjacent by construction (see below): add cannot fail.
		_ = a.add(subject[i], min(int(tenure[i]), maxTenure), s, spend[i])
	}
	order := subjectOrder(subject)
	if order == nil {
		for i := range spend {
			add(i)
		}
	} else {
		for _, i := range order {
			add(int(i))
		}
	}
	return a.model()
}

// subjectOrder lists the observations subject by subject (subjects in order
// of first appearance, a stable counting sort), or returns nil when each
// subject's observations are already adjacent.
func subjectOrder(subject []int32) []int32 {
	dense := denseSubjects(subject)
	adjacent := true
	for i := 1; i < len(dense); i++ {
		if dense[i] < dense[i-1] {
			adjacent = false
			break
		}
	}
	if adjacent {
		return nil
	}
	ns := int(slices.Max(dense)) + 1
	first := make([]int32, ns+1)
	for _, d := range dense {
		first[d+1]++
	}
	for k := range ns {
		first[k+1] += first[k]
	}
	order := make([]int32, len(dense))
	for i, d := range dense {
		order[first[d]] = int32(i)
		first[d]++
	}
	return order
}

// denseSubjects numbers the subjects 0, 1, … in order of first appearance.
func denseSubjects(subject []int32) []int32 {
	out := make([]int32, len(subject))
	if len(subject) == 0 {
		return out
	}
	lo, hi := slices.Min(subject), slices.Max(subject)
	if span := int64(hi) - int64(lo) + 1; span <= 4*int64(len(subject))+1024 {
		// Subject ids are row numbers: a slice instead of a map.
		index := make([]int32, span)
		next := int32(1)
		for i, id := range subject {
			k := &index[id-lo]
			if *k == 0 {
				*k = next
				next++
			}
			out[i] = *k - 1
		}
		return out
	}
	index := map[int32]int32{}
	for i, id := range subject {
		k, ok := index[id]
		if !ok {
			k = int32(len(index))
			index[id] = k
		}
		out[i] = k
	}
	return out
}

// alphas sets b_P = Σ mult · g(t) s(season) over the cells of each pattern
// and α_P = Σ_{k∈P} α_k = T⁺_P / b_P (0 when b_P = 0), the maximum given g, s.
func (m *withinModel) alphas(theta []float64) {
	np := len(m.tPos)
	if m.alpha == nil {
		m.alpha, m.b = make([]float64, np), make([]float64, np)
	}
	g, sf := theta[:m.nt], theta[m.nt:]
	for p := range np {
		var b float64
		for j := m.start[p]; j < m.start[p+1]; j++ {
			c := int(m.cells[j])
			b += m.mult[j] * g[c/m.seasons] * sf[c%m.seasons]
		}
		m.b[p], m.alpha[p] = b, 0
		if b > 0 {
			m.alpha[p] = m.tPos[p] / b
		}
	}
}

// step is one round of the alternating maximisation: α from (g, s), g from
// (α, s), s from (α, g); g is scaled to average 1 over the observations and
// s to average 1 over the seasons (the model's scale is α's).
func (m *withinModel) step(theta []float64) []float64 {
	out := make([]float64, len(theta))
	g, sf := out[:m.nt], out[m.nt:]
	copy(sf, theta[m.nt:])
	m.alphas(theta)
	if m.den == nil {
		m.den = make([]float64, m.nt)
		m.sNum = make([]float64, m.seasons)
	}
	clear(m.den)
	for p, a := range m.alpha {
		if a == 0 {
			continue
		}
		for j := m.start[p]; j < m.start[p+1]; j++ {
			c := int(m.cells[j])
			m.den[c/m.seasons] += a * m.mult[j] * sf[c%m.seasons]
		}
	}
	var gObs float64
	for t := range g {
		if m.den[t] > 0 {
			g[t] = math.Max(0, m.tenureX[t]/m.den[t])
		}
		gObs += g[t] * m.obs[t]
	}
	if gObs > 0 {
		for t := range g {
			g[t] *= m.nObs / gObs
		}
	}
	if m.seasons > 1 {
		sd := m.sNum
		clear(sd)
		for p, a := range m.alpha {
			if a == 0 {
				continue
			}
			for j := m.start[p]; j < m.start[p+1]; j++ {
				c := int(m.cells[j])
				sd[c%m.seasons] += a * m.mult[j] * g[c/m.seasons]
			}
		}
		var mean float64
		for k := range sf {
			sf[k] = 1
			if sd[k] > 0 && m.seasonX[k] > 0 {
				sf[k] = m.seasonX[k] / sd[k]
			}
			mean += sf[k] / float64(m.seasons)
		}
		for k := range sf {
			sf[k] /= mean
		}
	}
	return out
}

// logLik is the Poisson log-likelihood Σ x log μ − μ (up to a constant) at
// (g, s) with α profiled out.
func (m *withinModel) logLik(theta []float64) float64 {
	if m.alwaysNA {
		return math.Inf(-1)
	}
	m.alphas(theta)
	g, sf := theta[:m.nt], theta[m.nt:]
	ll := m.entropy
	for c, x := range m.cellX {
		if !m.cellNZ[c] {
			continue
		}
		gs := g[c/m.seasons] * sf[c%m.seasons]
		if gs <= 0 {
			return math.Inf(-1)
		}
		ll += x * math.Log(gs)
	}
	for p, tp := range m.tPos {
		if tp == 0 {
			continue
		}
		if m.b[p] <= 0 {
			return math.Inf(-1)
		}
		ll -= tp*math.Log(m.b[p]) + tp
	}
	return ll
}
