package segment

import (
	"math"
	"slices"
)

// maxFolds bounds the cross-validation folds of a value curve.
const maxFolds = 10

// lambdaGrid are the smoothing penalties tried: 10^−4 … 10^6.
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
func foldLambda(sum, cnt []float64, used [maxFolds]bool, maxTenure int) float64 {
	nt := maxTenure + 1
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

// whittaker solves (W + λ D'ΩD) z = W y, with D the second divided
// differences on u = log(1 + tenure) of the grid first, first+1, … (see
// below), by a dense Cholesky factorisation; with trace it also returns the
// trace of the hat matrix (W + λ D'ΩD)⁻¹ W. It returns nil when the system is not
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
