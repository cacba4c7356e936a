package segment

import "math"

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
func (c *Curve) within(tenure []int32, spend []float64, subject []int32, season []int8, seasons, maxTenure int) {
	nt := maxTenure + 1
	if season == nil {
		seasons = 1
	}
	m := &withinModel{x: spend, t: make([]int32, len(spend)), s: make([]int8, len(spend)), sub: make([]int32, len(spend)),
		nt: nt, seasons: seasons, obs: make([]float64, nt)}
	index := map[int32]int32{}
	for i, id := range subject {
		k, ok := index[id]
		if !ok {
			k = int32(len(index))
			index[id] = k
		}
		m.sub[i] = k
		m.t[i] = int32(min(int(tenure[i]), maxTenure))
		m.obs[m.t[i]]++
		if season != nil {
			m.s[i] = season[i]
		}
	}
	m.ns = len(index)
	m.total = make([]float64, m.ns)
	for i, x := range spend {
		m.total[m.sub[i]] += x
	}
	theta := make([]float64, nt+seasons)
	for k := range theta {
		theta[k] = 1
	}
	theta = m.step(theta)
	for range maxWithinIterations {
		// SQUAREM (Varadhan & Roland 2008, scheme 3) on the fixed-point map,
		// with the log-likelihood as the safeguard.
		t1 := m.step(theta)
		t2 := m.step(t1)
		var rr, vv float64
		r, v := make([]float64, len(theta)), make([]float64, len(theta))
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
			ext := make([]float64, len(theta))
			for k := range theta {
				ext[k] = math.Max(0, theta[k]-2*a*r[k]+a*a*v[k])
			}
			ext = m.step(ext)
			if l := m.logLik(ext); l >= nextLL && !math.IsNaN(l) {
				next, nextLL = ext, l
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
	g, sf := theta[:nt], theta[nt:]
	obs := m.obs
	var total, gsum float64
	for i, x := range spend {
		total += x
		gsum += g[m.t[i]] * sf[m.s[i]]
	}
	if gsum <= 0 {
		return
	}
	scale := total / gsum
	ten := make([]int, len(c.Points))
	vals := make([]float64, len(c.Points))
	w := make([]float64, len(c.Points))
	for k, p := range c.Points {
		ten[k], vals[k], w[k] = p.Tenure, g[p.Tenure]*scale, obs[p.Tenure]
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

// withinModel is the multiplicative model spend ≈ α_subject g(tenure)
// s(season) of Curve.within, with α profiled out.
type withinModel struct {
	x            []float64
	t            []int32
	s            []int8
	sub          []int32
	nt, seasons  int
	ns           int
	obs, total   []float64 // observations per tenure; spend per subject
	alpha, num   []float64
	den, sNum, b []float64
}

// alphas sets α_k = Σ spend_k / Σ_k g(t) s(season), the maximum given g, s.
func (m *withinModel) alphas(theta []float64) {
	if m.alpha == nil {
		m.alpha, m.b = make([]float64, m.ns), make([]float64, m.ns)
	}
	g, sf := theta[:m.nt], theta[m.nt:]
	clear(m.b)
	for i := range m.x {
		m.b[m.sub[i]] += g[m.t[i]] * sf[m.s[i]]
	}
	for k := range m.alpha {
		m.alpha[k] = 0
		if m.b[k] > 0 {
			m.alpha[k] = math.Max(0, m.total[k]/m.b[k])
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
	if m.num == nil {
		m.num, m.den = make([]float64, m.nt), make([]float64, m.nt)
		m.sNum = make([]float64, 2*m.seasons)
	}
	clear(m.num)
	clear(m.den)
	for i, x := range m.x {
		m.num[m.t[i]] += x
		m.den[m.t[i]] += m.alpha[m.sub[i]] * sf[m.s[i]]
	}
	var gObs float64
	for t := range g {
		if m.den[t] > 0 {
			g[t] = math.Max(0, m.num[t]/m.den[t])
		}
		gObs += g[t] * m.obs[t]
	}
	if gObs > 0 {
		for t := range g {
			g[t] *= float64(len(m.x)) / gObs
		}
	}
	if m.seasons > 1 {
		sn, sd := m.sNum[:m.seasons], m.sNum[m.seasons:]
		clear(sn)
		clear(sd)
		for i, x := range m.x {
			sn[m.s[i]] += x
			sd[m.s[i]] += m.alpha[m.sub[i]] * g[m.t[i]]
		}
		var mean float64
		for k := range sf {
			sf[k] = 1
			if sd[k] > 0 && sn[k] > 0 {
				sf[k] = sn[k] / sd[k]
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
	m.alphas(theta)
	g, sf := theta[:m.nt], theta[m.nt:]
	var ll float64
	for i, x := range m.x {
		mu := m.alpha[m.sub[i]] * g[m.t[i]] * sf[m.s[i]]
		if x != 0 {
			if mu <= 0 {
				return math.Inf(-1)
			}
			ll += x * math.Log(mu)
		}
		ll -= mu
	}
	return ll
}
