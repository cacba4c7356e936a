package special

import (
	"errors"
	"math"
)

// maxFractionTerms bounds the continued fraction of 2F1(1, b; c; z).
const maxFractionTerms = 200000

// ErrNotConverged reports a hypergeometric series (or continued fraction)
// that did not converge within its term budget.
var ErrNotConverged = errors.New("hypergeometric series did not converge")

// MaxSeriesTerms bounds the Gauss series. With every parameter choice made by
// Hyp2F1 the terms eventually shrink at least like z^n, so the budget covers
// z up to about 1-3e-5 at double precision.
const MaxSeriesTerms = 1_000_000

// Hyp2F1 returns log|2F1(a,b;c;z)| and the sign of 2F1 for real a, b, c and
// 0 <= z < 1, where c is not zero or a negative integer.
//
// For a = 1 and 0 < b < c (the discounted expected lifetimes of the sBG
// model: z = 1/(1+d) near 1, b in the hundreds) Gauss's continued fraction is
// used (see fraction1), with the plain series as its fallback.
//
// The Gauss series sum_n (a)_n (b)_n / ((c)_n n!) z^n is summed with a running
// rescaling, so the value may exceed the float64 range (only its logarithm is
// returned). When it shortens the series, Euler's transformation
// 2F1(a,b;c;z) = (1-z)^(c-a-b) 2F1(c-a,c-b;c;z) is applied first: it turns the
// large numerator parameters of the BTYD expressions (r+x, b+x with x in the
// hundreds) into small ones. An error is returned when the series has not
// converged after a million terms (z extremely close to 1) or z is outside [0,1).
func Hyp2F1(a, b, c, z float64) (logAbs, sign float64, err error) {
	if !(z >= 0 && z < 1) || math.IsNaN(a+b+c) {
		return math.NaN(), 0, ErrNotConverged
	}
	if c <= 0 && c == math.Floor(c) {
		return math.NaN(), 0, ErrNotConverged
	}
	if z == 0 {
		return 0, 1, nil
	}
	if a == 1 && 0 < b && b < c {
		// 2F1(1, b; c; z), the sBG lifetimes' case: Gauss's continued
		// fraction first (fast and accurate up to z near 1 and b in the
		// millions), then the plain series.
		if v, ok := fraction1(b, c, z); ok {
			return math.Log(v), 1, nil
		}
		if v, ok := series1(b, c, z); ok {
			return math.Log(v), 1, nil
		}
	}
	prefix := 0.0
	if math.Abs(c-a)+math.Abs(c-b) < math.Abs(a)+math.Abs(b) {
		prefix = (c - a - b) * math.Log1p(-z)
		a, b = c-a, c-b
	}
	l, s, err := gaussSeries(a, b, c, z)
	return l + prefix, s, err
}

// gaussSeries sums the Gauss series directly, in scaled arithmetic.
func gaussSeries(a, b, c, z float64) (float64, float64, error) {
	sum, term, logScale := 1.0, 1.0, 0.0
	for n := 0; n < MaxSeriesTerms; n++ {
		fn := float64(n)
		ratio := (a + fn) * (b + fn) / ((c + fn) * (fn + 1)) * z
		term *= ratio
		sum += term
		if term == 0 {
			break
		}
		as := math.Abs(sum)
		if as > 1e200 {
			logScale += math.Log(as)
			term /= as
			sum /= as
			as = 1
		}
		// Once the ratio is below one it decreases towards z, so the tail is
		// bounded by |term| * ratio/(1-ratio) <= |term| * z/(1-z).
		if math.Abs(ratio) < 1 && math.Abs(term)*z/(1-z) <= 1e-16*as && fn+1 > math.Abs(a)+math.Abs(b) {
			break
		}
		if n == MaxSeriesTerms-1 {
			return math.NaN(), 0, ErrNotConverged
		}
	}
	if sum == 0 {
		return math.Inf(-1), 0, nil
	}
	sign := 1.0
	if sum < 0 {
		sign = -1
	}
	return math.Log(math.Abs(sum)) + logScale, sign, nil
}

// fraction1 evaluates Gauss's continued fraction
//
//	2F1(1, b; c; z) = 1/(1+ d1/(1+ d2/(1+ ...)))
//	d_{2m+1} = −(p+m)(b+m) z / ((p+2m)(p+2m+1)),  d_{2m} = m(q−m) z / ((p+2m−1)(p+2m))
//
// with p = c − 1, q = b − p.
func fraction1(b, c, z float64) (float64, bool) {
	const tiny = 1e-300
	p := c - 1
	q := b - p
	guard := func(x float64) float64 {
		if math.Abs(x) < tiny {
			return tiny
		}
		return x
	}
	cc := 1.0
	dd := 1 / guard(1-b*z/c)
	f := dd
	for m := 1; m <= maxFractionTerms; m++ {
		fm := float64(m)
		a := fm * (q - fm) * z / ((p - 1 + 2*fm) * (p + 2*fm))
		dd = 1 / guard(1+a*dd)
		cc = guard(1 + a/cc)
		f *= dd * cc
		a = -(p + fm) * (b + fm) * z / ((p + 2*fm) * (p + 1 + 2*fm))
		dd = 1 / guard(1+a*dd)
		cc = guard(1 + a/cc)
		del := dd * cc
		f *= del
		if math.Abs(del-1) < 1e-15 {
			if f > 0 && !math.IsInf(f, 0) {
				return f, true
			}
			return 0, false
		}
	}
	return 0, false
}

// series1 sums Σ_k (b)_k/(c)_k z^k directly.
func series1(b, c, z float64) (float64, bool) {
	sum, term := 1.0, 1.0
	tail := z / (1 - z)
	for k := 0; k < MaxSeriesTerms; k++ {
		fk := float64(k)
		term *= (b + fk) / (c + fk) * z
		sum += term
		if term*tail < 1e-16*sum {
			return sum, !math.IsInf(sum, 0)
		}
	}
	return 0, false
}
