package btyd

import (
	"errors"
	"math"
)

// errSeries reports a hypergeometric series that did not converge within the term budget.
var errSeries = errors.New("hypergeometric series did not converge")

// maxSeriesTerms bounds the Gauss series. With every parameter choice made by
// Hyp2F1 the terms eventually shrink at least like z^n, so the budget covers
// z up to about 1-3e-5 at double precision.
const maxSeriesTerms = 1_000_000

// Hyp2F1 returns log|2F1(a,b;c;z)| and the sign of 2F1 for real a, b, c and
// 0 <= z < 1, where c is not zero or a negative integer.
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
		return math.NaN(), 0, errSeries
	}
	if c <= 0 && c == math.Floor(c) {
		return math.NaN(), 0, errSeries
	}
	if z == 0 {
		return 0, 1, nil
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
	for n := 0; n < maxSeriesTerms; n++ {
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
		if n == maxSeriesTerms-1 {
			return math.NaN(), 0, errSeries
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

// lbeta returns log B(a, b) for a, b > 0.
func lbeta(a, b float64) float64 {
	la, _ := math.Lgamma(a)
	lb, _ := math.Lgamma(b)
	lab, _ := math.Lgamma(a + b)
	return la + lb - lab
}

// lgam returns log Γ(x) for x > 0.
func lgam(x float64) float64 {
	l, _ := math.Lgamma(x)
	return l
}

// logAddExp returns log(e^a + e^b) without overflow.
func logAddExp(a, b float64) float64 {
	if math.IsInf(a, -1) {
		return b
	}
	if math.IsInf(b, -1) {
		return a
	}
	if a < b {
		a, b = b, a
	}
	return a + math.Log1p(math.Exp(b-a))
}

// logSubExp returns log(e^a - e^b) for a >= b; -Inf when they are equal.
func logSubExp(a, b float64) float64 {
	if math.IsInf(b, -1) {
		return a
	}
	if b >= a {
		return math.Inf(-1)
	}
	d := b - a
	if d > -math.Ln2 {
		return a + math.Log(-math.Expm1(d))
	}
	return a + math.Log1p(-math.Exp(d))
}

// softplus returns log(1 + e^x).
func softplus(x float64) float64 {
	if x > 35 {
		return x
	}
	if x < -35 {
		return math.Exp(x)
	}
	return math.Log1p(math.Exp(x))
}

// sigmoid returns e^x / (1 + e^x).
func sigmoid(x float64) float64 {
	if x >= 0 {
		return 1 / (1 + math.Exp(-x))
	}
	e := math.Exp(x)
	return e / (1 + e)
}

// powRatioMinus returns (1 - u^k)/k for 0 < u <= 1, with the limit -log u at k = 0.
// It is the building block of the Pareto/NBD expectations, which divide by s-1.
func powRatioMinus(logU, k float64) float64 {
	if math.Abs(k*logU) < 1e-300 || k == 0 {
		return -logU
	}
	return -math.Expm1(k*logU) / k
}
