package btyd

import (
	"math"

	"github.com/clvkit/clv/clv/special"
)

// errSeries reports a hypergeometric series that did not converge within
// its term budget (the special package's sentinel).
var errSeries = special.ErrNotConverged

// maxSeriesTerms bounds the other series of the package (Pareto/NBD).
const maxSeriesTerms = special.MaxSeriesTerms

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
