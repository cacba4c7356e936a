package segment

import (
	"errors"
	"fmt"
	"math"
	"slices"
)

// CurveOptions controls BuildCurve. The zero value uses the defaults.
type CurveOptions struct {
	// Quantiles are the spend quantiles listed per tenure period
	// (default 0.25, 0.5, 0.75, 0.9), each in (0, 1).
	Quantiles []float64
	// MaxTenure pools the observations of longer tenures into tenure
	// MaxTenure (default 120 periods).
	MaxTenure int
	// Lambda is the smoothing penalty; 0 chooses it over 10^−2 … 10^6 by
	// cross-validation: by Fold when given, else generalised cross-validation.
	Lambda float64
	// Fold, when set, holds a cross-validation fold (0 … 9) per observation;
	// all observations of one subscriber must share a fold. Neighbouring
	// tenures are mostly the same subscribers a period apart, so their means
	// have correlated errors, and generalised cross-validation, which assumes
	// independent errors, undersmooths; leaving whole subscribers out does
	// not.
	Fold []int8
	// Subject, when set, identifies the subscriber of each observation; the
	// curve then also holds the within-subscriber shape (TenurePoint.Within).
	Subject []int32
	// Season, with Subject, holds a season index per observation (0 …
	// Seasons−1, e.g. the calendar month for monthly periods): the
	// within-subscriber curve then also has seasonal factors.
	Season  []int8
	Seasons int
}

// DefaultCurveQuantiles are the spend quantiles of a value curve.
var DefaultCurveQuantiles = []float64{0.25, 0.5, 0.75, 0.9}

// DefaultMaxTenure is the longest tenure a value curve lists on its own.
const DefaultMaxTenure = 120

// TenurePoint is the spend of the subscribers active in one tenure period.
type TenurePoint struct {
	// Tenure counts periods since the activation period (0 = that period).
	Tenure int
	// Subscribers is the number of subscriber-periods observed.
	Subscribers int
	// Mean is the mean spend per subscriber; Quantiles the spend quantiles
	// of CurveOptions.Quantiles (type 7, as R's quantile).
	Mean      float64
	Quantiles []float64
	// Fitted is the smoothed mean (see Curve).
	Fitted float64
	// Within is the smoothed within-subscriber curve scaled to spend (see
	// Curve); 0 without CurveOptions.Subject.
	Within float64
}

// Curve is the value curve of a group of subscribers: spend per subscriber
// by tenure period and its smoothed shape.
//
// The smooth is a Whittaker–Henderson smoother (a penalised spline with one
// coefficient per tenure period and a second-difference penalty, Eilers
// 2003) on the log of the mean spend, weighted by the subscribers observed
// per period, with the penalty chosen by generalised cross-validation. It
// follows a fast ramp-up in the first periods and an inverted U where the
// data have one, without forcing either shape (a log-quadratic cannot bend
// at a few periods and flatten after); long, sparsely observed tenures are
// pulled to a straight line in log spend. Beyond the longest observed tenure
// the curve is held flat: no extrapolation.
type Curve struct {
	Points    []TenurePoint
	Quantiles []float64
	// Lambda is the smoothing penalty used; Smoothed is false when fewer than
	// three periods had positive mean spend (Fitted is then the overall
	// mean).
	Lambda   float64
	Smoothed bool
	// Peak is the tenure of the highest fitted value, PeakValue that value.
	Peak      int
	PeakValue float64
	// HasWithin is true when Within was estimated (CurveOptions.Subject);
	// WithinPeak is the tenure of its highest value.
	HasWithin  bool
	WithinPeak int
}

// ErrNoCurve reports a value curve without observations.
var ErrNoCurve = errors.New("no subscriber-period to build a value curve")

// BuildCurve summarises the spend observations (tenure[i], spend[i]), one per
// subscriber-period a subscriber was active, into a value curve.
func BuildCurve(tenure []int32, spend []float64, opt CurveOptions) (*Curve, error) {
	if len(tenure) != len(spend) {
		return nil, fmt.Errorf("value curve: %d tenures for %d spends", len(tenure), len(spend))
	}
	if opt.MaxTenure <= 0 {
		opt.MaxTenure = DefaultMaxTenure
	}
	if opt.MaxTenure > 10000 {
		return nil, fmt.Errorf("%w: value curve: max tenure %d (want at most 10000)", ErrRules, opt.MaxTenure)
	}
	if opt.Quantiles == nil {
		opt.Quantiles = DefaultCurveQuantiles
	}
	for _, q := range opt.Quantiles {
		if !(q > 0 && q < 1) {
			return nil, fmt.Errorf("%w: value curve quantile %g outside (0, 1)", ErrRules, q)
		}
	}
	if opt.Lambda < 0 || math.IsNaN(opt.Lambda) || math.IsInf(opt.Lambda, 0) {
		return nil, fmt.Errorf("%w: value curve penalty %g", ErrRules, opt.Lambda)
	}
	if opt.Subject != nil && len(opt.Subject) != len(tenure) {
		return nil, fmt.Errorf("value curve: %d subjects for %d observations", len(opt.Subject), len(tenure))
	}
	if opt.Season != nil {
		if len(opt.Season) != len(tenure) || opt.Seasons < 1 || opt.Seasons > 120 {
			return nil, fmt.Errorf("value curve: %d seasons (of %d) for %d observations", len(opt.Season), opt.Seasons, len(tenure))
		}
		for _, x := range opt.Season {
			if x < 0 || int(x) >= opt.Seasons {
				return nil, fmt.Errorf("%w: value curve season %d (want 0 to %d)", ErrRules, x, opt.Seasons-1)
			}
		}
	}
	if opt.Fold != nil && len(opt.Fold) != len(tenure) {
		return nil, fmt.Errorf("value curve: %d folds for %d observations", len(opt.Fold), len(tenure))
	}
	for _, f := range opt.Fold {
		if f < 0 || f >= maxFolds {
			return nil, fmt.Errorf("%w: value curve fold %d (want 0 to %d)", ErrRules, f, maxFolds-1)
		}
	}
	by := make([][]float64, opt.MaxTenure+1)
	for i, t := range tenure {
		if t < 0 || math.IsNaN(spend[i]) || math.IsInf(spend[i], 0) {
			return nil, fmt.Errorf("value curve: observation %d: tenure %d, spend %g", i, t, spend[i])
		}
		k := min(int(t), opt.MaxTenure)
		by[k] = append(by[k], spend[i])
	}
	c := &Curve{Quantiles: slices.Clone(opt.Quantiles)}
	for t, v := range by {
		if len(v) == 0 {
			continue
		}
		slices.Sort(v)
		p := TenurePoint{Tenure: t, Subscribers: len(v), Quantiles: make([]float64, len(opt.Quantiles))}
		for _, x := range v {
			p.Mean += x
		}
		p.Mean /= float64(len(v))
		for k, q := range opt.Quantiles {
			p.Quantiles[k] = quantile7(v, q)
		}
		c.Points = append(c.Points, p)
	}
	if len(c.Points) == 0 {
		return nil, ErrNoCurve
	}
	lambda := opt.Lambda
	if lambda == 0 && opt.Fold != nil {
		lambda = foldLambda(tenure, spend, opt.Fold, opt.MaxTenure)
	}
	c.smooth(lambda)
	c.Peak, c.PeakValue = c.Points[0].Tenure, c.Points[0].Fitted
	for _, p := range c.Points {
		if p.Fitted > c.PeakValue {
			c.Peak, c.PeakValue = p.Tenure, p.Fitted
		}
	}
	if opt.Subject != nil {
		c.within(tenure, spend, opt.Subject, opt.Season, opt.Seasons, opt.MaxTenure)
	}
	return c, nil
}

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

// maxFolds bounds the cross-validation folds of a value curve.
const maxFolds = 10

// lambdaGrid are the smoothing penalties tried: 10^−2 … 10^6.
func lambdaGrid() []float64 {
	var g []float64
	for k := -4; k <= 6; k++ {
		g = append(g, math.Pow(10, float64(k)))
	}
	return g
}

// foldLambda chooses the penalty by leaving one fold of subscribers out at a
// time: the smooth of the other folds' log mean spend per tenure predicts the
// held-out fold's log means, errors weighted by the held-out counts. It
// returns 0 (generalised cross-validation) when fewer than two folds hold
// observations.
func foldLambda(tenure []int32, spend []float64, fold []int8, maxTenure int) float64 {
	nt := maxTenure + 1
	sum := make([]float64, maxFolds*nt)
	cnt := make([]float64, maxFolds*nt)
	used := [maxFolds]bool{}
	for i, t := range tenure {
		k := int(fold[i])*nt + min(int(t), maxTenure)
		sum[k] += spend[i]
		cnt[k]++
		used[fold[i]] = true
	}
	folds := 0
	for _, u := range used {
		if u {
			folds++
		}
	}
	if folds < 2 {
		return 0
	}
	best, bestErr := 0.0, math.Inf(1)
	y, w := make([]float64, nt), make([]float64, nt)
	for _, l := range lambdaGrid() {
		var total float64
		ok := true
		for f := range maxFolds {
			if !used[f] {
				continue
			}
			clear(y)
			clear(w)
			for t := range nt {
				var s, n float64
				for g := range maxFolds {
					if g != f {
						s += sum[g*nt+t]
						n += cnt[g*nt+t]
					}
				}
				if n > 0 && s > 0 {
					y[t], w[t] = math.Log(s/n), n
				}
			}
			z := smoothLog(y, w, l)
			if z == nil {
				ok = false
				break
			}
			for t := range nt {
				if n, s := cnt[f*nt+t], sum[f*nt+t]; n > 0 && s > 0 && z[t] != nil {
					e := math.Log(s/n) - *z[t]
					total += n * e * e
				}
			}
		}
		if ok && total < bestErr {
			best, bestErr = l, total
		}
	}
	return best
}

// smoothLog smooths y (weights w, 0 = no observation) over the range of
// tenures with observations; it returns per tenure the smoothed value, nil
// outside that range, or nil when fewer than three tenures are observed.
func smoothLog(y, w []float64, lambda float64) []*float64 {
	first, last, used := -1, -1, 0
	for t, x := range w {
		if x > 0 {
			if first < 0 {
				first = t
			}
			last = t
			used++
		}
	}
	if used < 3 {
		return nil
	}
	ws := slices.Clone(w[first : last+1])
	var mean float64
	for _, x := range ws {
		mean += x
	}
	mean /= float64(used)
	for i := range ws {
		ws[i] /= mean
	}
	z, _ := whittaker(y[first:last+1], ws, first, lambda, false)
	if z == nil {
		return nil
	}
	out := make([]*float64, len(y))
	for i := range z {
		out[first+i] = &z[i]
	}
	return out
}

// quantile7 is the type-7 sample quantile of sorted v.
func quantile7(v []float64, q float64) float64 {
	h := q * float64(len(v)-1)
	lo := int(math.Floor(h))
	if lo >= len(v)-1 {
		return v[len(v)-1]
	}
	return v[lo] + (h-float64(lo))*(v[lo+1]-v[lo])
}

// smooth fills Fitted: the smooth of the mean spend per tenure (see
// smoothPoints); the overall mean when it cannot be smoothed.
func (c *Curve) smooth(lambda float64) {
	ten := make([]int, len(c.Points))
	mean := make([]float64, len(c.Points))
	w := make([]float64, len(c.Points))
	var total, wsum float64
	for k, p := range c.Points {
		ten[k], mean[k], w[k] = p.Tenure, p.Mean, float64(p.Subscribers)
		total += p.Mean * float64(p.Subscribers)
		wsum += float64(p.Subscribers)
	}
	fit, used, ok := smoothPoints(ten, mean, w, lambda)
	for k := range c.Points {
		if ok {
			c.Points[k].Fitted = fit[k]
		} else {
			c.Points[k].Fitted = math.Max(0, total/wsum)
		}
	}
	c.Lambda, c.Smoothed = used, ok
}

// smoothPoints smooths log values (weights w; values ≤ 0 get weight 0 and
// are interpolated) on the grid of tenures from the first to the last of ten
// (ascending) with the Whittaker smoother; lambda 0 chooses the penalty by
// generalised cross-validation. It returns the smoothed values at ten, the
// penalty used, and false when fewer than three values are positive.
func smoothPoints(ten []int, values, weights []float64, lambda float64) ([]float64, float64, bool) {
	first, last := ten[0], ten[len(ten)-1]
	n := last - first + 1
	y, w := make([]float64, n), make([]float64, n)
	var used int
	for k, t := range ten {
		if values[k] > 0 && weights[k] > 0 {
			y[t-first] = math.Log(values[k])
			w[t-first] = weights[k]
			used++
		}
	}
	if used < 3 {
		return nil, 0, false
	}
	// Normalise the weights to mean 1 over the used points, so that the
	// penalty's scale does not depend on the number of subscribers.
	mean := 0.0
	for _, x := range w {
		mean += x
	}
	mean /= float64(used)
	for i := range w {
		w[i] /= mean
	}
	var z []float64
	if lambda > 0 {
		z, _ = whittaker(y, w, first, lambda, false)
	} else {
		best := math.Inf(1)
		for _, l := range lambdaGrid() {
			zl, tr := whittaker(y, w, first, l, true)
			if zl == nil {
				continue
			}
			var rss float64
			for i := range y {
				rss += w[i] * (y[i] - zl[i]) * (y[i] - zl[i])
			}
			if den := float64(used) - tr; den > 0 {
				if g := float64(used) * rss / (den * den); g < best {
					best, z, lambda = g, zl, l
				}
			}
		}
	}
	if z == nil {
		return nil, 0, false
	}
	out := make([]float64, len(ten))
	for k, t := range ten {
		out[k] = math.Exp(z[t-first])
	}
	return out, lambda, true
}

// whittaker solves (W + λ D'D) z = W y with D the second-difference matrix,
// by a dense Cholesky factorisation; with trace it also returns the trace of
// the hat matrix (W + λ D'D)⁻¹ W. It returns nil when the system is not
// positive definite.
func whittaker(y, w []float64, first int, lambda float64, trace bool) ([]float64, float64) {
	n := len(y)
	a := make([]float64, n*n)
	for i := range n {
		a[i*n+i] = w[i]
	}
	// D'ΩD: row k of D is the second divided difference at u_k, u_k+1,
	// u_k+2 with u = log(1 + tenure), Ω its share (h1+h2)/2 of the axis, so
	// that the penalty approximates ∫ f''(u)² du.
	u := func(k int) float64 { return math.Log1p(float64(first + k)) }
	for k := 0; k+2 < n; k++ {
		h1, h2 := u(k+1)-u(k), u(k+2)-u(k+1)
		d := [3]float64{2 / (h1 * (h1 + h2)), -2 / (h1 * h2), 2 / (h2 * (h1 + h2))}
		omega := (h1 + h2) / 2
		for i := range 3 {
			for j := range 3 {
				a[(k+i)*n+k+j] += lambda * omega * d[i] * d[j]
			}
		}
	}
	// Cholesky A = L L' in place (lower triangle).
	for j := range n {
		s := a[j*n+j]
		for k := range j {
			s -= a[j*n+k] * a[j*n+k]
		}
		if s <= 0 {
			return nil, 0
		}
		a[j*n+j] = math.Sqrt(s)
		for i := j + 1; i < n; i++ {
			s := a[i*n+j]
			for k := range j {
				s -= a[i*n+k] * a[j*n+k]
			}
			a[i*n+j] = s / a[j*n+j]
		}
	}
	solve := func(b []float64) []float64 {
		x := slices.Clone(b)
		for i := range n {
			for k := range i {
				x[i] -= a[i*n+k] * x[k]
			}
			x[i] /= a[i*n+i]
		}
		for i := n - 1; i >= 0; i-- {
			for k := i + 1; k < n; k++ {
				x[i] -= a[k*n+i] * x[k]
			}
			x[i] /= a[i*n+i]
		}
		return x
	}
	b := make([]float64, n)
	for i := range b {
		b[i] = w[i] * y[i]
	}
	z := solve(b)
	var tr float64
	if trace {
		e := make([]float64, n)
		for i := range n {
			if w[i] == 0 {
				continue
			}
			clear(e)
			e[i] = 1
			tr += solve(e)[i] * w[i]
		}
	}
	return z, tr
}

// At returns the curve a subscriber's spend follows at tenure t: Within when
// estimated, else Fitted; between listed tenures linear, below the first
// tenure the first point's value, beyond the last one the last point's.
func (c *Curve) At(t int) float64 {
	v := func(p TenurePoint) float64 {
		if c.HasWithin {
			return p.Within
		}
		return p.Fitted
	}
	i := c.find(t)
	p := c.Points[i]
	if p.Tenure >= t || i == len(c.Points)-1 {
		return v(p)
	}
	q := c.Points[i+1]
	f := float64(t-p.Tenure) / float64(q.Tenure-p.Tenure)
	return v(p) + f*(v(q)-v(p))
}

// QuantileAt returns quantile k (index into Quantiles) of the listed tenure
// nearest to t at or below it (the first tenure below it, the last beyond).
func (c *Curve) QuantileAt(t, k int) float64 { return c.Points[c.find(t)].Quantiles[k] }

// find returns the index of the last point with Tenure <= t, or 0.
func (c *Curve) find(t int) int {
	i, found := slices.BinarySearchFunc(c.Points, t, func(p TenurePoint, t int) int { return p.Tenure - t })
	if found || i == 0 {
		return i
	}
	return i - 1
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
