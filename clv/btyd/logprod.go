package btyd

import "math"

// logProduct accumulates a product of many factors ≥ 1 whose logarithm is
// wanted: Σ log vᵢ costs one multiplication per factor and a single
// logarithm at the end. The running product is renormalised by its binary
// exponent before it can overflow.
type logProduct struct {
	p   float64 // mantissa part of the product
	exp int     // binary exponent taken out of p
}

// mul multiplies the product by v.
func (l *logProduct) mul(v float64) {
	l.p *= v
	if l.p > 1e200 {
		var ex int
		l.p, ex = math.Frexp(l.p)
		l.exp += ex
	}
}

// log returns the logarithm of the product.
func (l *logProduct) log() float64 { return math.Log(l.p) + float64(l.exp)*math.Ln2 }
